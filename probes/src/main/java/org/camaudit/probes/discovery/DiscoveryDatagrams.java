package org.camaudit.probes.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.camaudit.model.Observation;

/**
 * The discovery reply parsers, for datagrams seen rather than asked for (passive traffic). A
 * datagram to or from a discovery port (SADP 37020, DHDiscover 37810, WS-Discovery 3702, SSDP 1900,
 * DVRIP 34569) that is shaped like a reply is parsed exactly as the active probe would; requests
 * (another scanner's probe, an M-SEARCH) are recognised and left alone.
 */
public final class DiscoveryDatagrams {
    private static final List<DiscoveryProtocol> PROTOCOLS = UdpDiscovery.protocols();

    private DiscoveryDatagrams() {
    }

    /** What became of one datagram. */
    public enum Outcome {
        /** not a discovery reply: another port, or a request. */
        NOT_A_REPLY,
        /** parsed; the builder holds the protocol and fields. */
        PARSED,
        /** shaped like a reply but broken; the builder holds the protocol and an error. */
        MALFORMED
    }

    /** True when either port is one of the discovery ports. */
    public static boolean isDiscoveryPort(int port) {
        for (DiscoveryProtocol p : PROTOCOLS) {
            if (p.port() == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses {@code data[0..length)} sent from {@code sourcePort} to {@code destinationPort}. The
     * builder receives the protocol name and either the fields or an {@code error}.
     */
    public static Outcome parse(int sourcePort, int destinationPort, byte[] data, int length,
            Observation.Builder out) {
        DiscoveryProtocol protocol = byPort(sourcePort).or(() -> byPort(destinationPort))
                .orElse(null);
        if (protocol == null || !protocol.recogniser().recognises(data, length)
                || looksLikeRequest(protocol, data, length)) {
            return Outcome.NOT_A_REPLY;
        }
        out.protocol(protocol.name());
        try {
            protocol.parser().parse(data, length, out);
            return Outcome.PARSED;
        } catch (MalformedReplyException e) {
            out.error(e.getMessage());
        } catch (RuntimeException e) {
            out.error(protocol.name() + ": unreadable reply: " + e.getClass().getSimpleName());
        }
        return Outcome.MALFORMED;
    }

    private static Optional<DiscoveryProtocol> byPort(int port) {
        for (DiscoveryProtocol p : PROTOCOLS) {
            if (p.port() == port) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** WS-Discovery Probe and DHDiscover.search share their reply's envelope; tell them apart. */
    private static boolean looksLikeRequest(DiscoveryProtocol protocol, byte[] data, int length) {
        if (protocol.name().equals(WsDiscovery.NAME)) {
            String head = Sniff.ascii(data, length, 4096);
            return !head.contains("ProbeMatch") && !head.contains("Fault");
        }
        if (protocol.name().equals(DhDiscover.NAME)) {
            String head = Sniff.ascii(data, length, 4096).toLowerCase(Locale.ROOT);
            return head.contains("dhdiscover.search") && !head.contains("deviceinfo");
        }
        return false;
    }
}
