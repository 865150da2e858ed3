package org.camaudit.probes.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One discovery protocol, zmap style: its name (the observations' {@code protocol}), the UDP port
 * it is sent to, the multicast or broadcast group it is also sent to when multicast is enabled,
 * what it sends, how a reply is recognised and how it is parsed.
 */
record DiscoveryProtocol(String name, int port, InetAddress group, PayloadBuilder payload,
        ReplyRecogniser recogniser, ReplyParser parser) {

    DiscoveryProtocol {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    byte[] request(InetSocketAddress destination) {
        return payload.build(destination);
    }

    InetSocketAddress groupDestination() {
        return new InetSocketAddress(group, port);
    }
}
