package org.camaudit.traffic;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;

/**
 * Reads captures (pcap, pcapng), Zeek logs and NetFlow/IPFIX export files into passive
 * observations. Each file is streamed through one bounded buffer; flows from all files are kept
 * per device and peer and handed over by {@link #finish()}. Not thread-safe: one analyzer per
 * thread.
 *
 * <pre>{@code
 * TrafficAnalyzer analyzer = new TrafficAnalyzer(TrafficAnalyzer.Options.defaults(), sink);
 * FileReport report = analyzer.analyze(Path.of("site.pcapng"));
 * analyzer.finish(); // flow observations
 * }</pre>
 */
public final class TrafficAnalyzer {
    private final Options options;
    private final Emitter out;
    private final FlowBook book;
    private final FlowTable flows;
    private final LinkBook links;
    private final NetflowDecoder netflow;
    private final PacketDecoder packets;
    private final ZeekReader zeek;
    private final Tally live = new Tally();
    private volatile ByteSource reading;

    /**
     * @param bufferBytes the one read buffer; also the largest record or line accepted
     * @param maxFlows live 5-tuple flows kept before the oldest is folded away
     * @param maxFlowPairs device-and-peer pairs kept; beyond it flows are counted as dropped
     * @param factsOnly decode only DNS query names, TLS SNI and HTTP Server headers, count them,
     *     emit nothing and keep no flows (the benchmark mode)
     * @param site the site's own ranges: observations about addresses outside them are dropped,
     *     flows are about the site's side, flows between two peers are not kept
     */
    public record Options(int bufferBytes, int maxFlows, int maxFlowPairs, boolean factsOnly,
            SiteRanges site) {
        public Options {
            if (bufferBytes < 65536 + 64 || maxFlows < 1 || maxFlowPairs < 1) {
                throw new IllegalArgumentException("buffer must hold a 64 KiB frame; limits >= 1");
            }
            java.util.Objects.requireNonNull(site, "site");
        }

        /** These limits and the built-in private ranges. */
        public Options(int bufferBytes, int maxFlows, int maxFlowPairs, boolean factsOnly) {
            this(bufferBytes, maxFlows, maxFlowPairs, factsOnly, SiteRanges.builtIn());
        }

        public static Options defaults() {
            return new Options(4 << 20, 1 << 18, 1 << 20, false);
        }

        public Options withFactsOnly(boolean value) {
            return new Options(bufferBytes, maxFlows, maxFlowPairs, value, site);
        }

        public Options withSite(SiteRanges value) {
            return new Options(bufferBytes, maxFlows, maxFlowPairs, factsOnly, value);
        }
    }

    public TrafficAnalyzer(Options options, Consumer<Observation> sink) {
        this.options = options;
        this.out = new Emitter(sink, !options.factsOnly(), options.site());
        this.book = new FlowBook(options.maxFlowPairs());
        this.flows = new FlowTable(options.maxFlows(), book);
        this.links = new LinkBook(options.site());
        this.netflow = new NetflowDecoder(book, out);
        this.packets = new PacketDecoder(out, flows, links, netflow, options.factsOnly());
        this.zeek = new ZeekReader(out, book);
    }

    /**
     * Reads one file to its end or to the first fault that stops it (then in the report's
     * {@code error}, with its byte offset; what came before is kept). Per-packet faults are counted.
     *
     * @throws IOException when the file cannot be opened or read at all
     */
    public FileReport analyze(Path file) throws IOException {
        CaptureFormat format = CaptureFormat.detect(file);
        out.tally = new Tally();
        Optional<FileReport.FileError> error = Optional.empty();
        try (ByteSource in = new ByteSource(FileChannel.open(file, StandardOpenOption.READ),
                options.bufferBytes())) {
            reading = in;
            switch (format) {
                case PCAP -> PcapReader.read(in, packets);
                case PCAPNG -> PcapngReader.read(in, packets);
                case ZEEK_TSV -> zeek.read(in, false);
                case ZEEK_JSON -> zeek.read(in, true);
                case NETFLOW -> netflowFile(in, file.getFileName().toString());
                case UNKNOWN -> throw new CaptureException(0, "not a pcap, pcapng, Zeek log or"
                        + " NetFlow/IPFIX file");
            }
        } catch (CaptureException e) {
            error = Optional.of(new FileReport.FileError(e.offset(), e.getMessage()));
        }
        return out.tally.report(file.toString(), format, error);
    }

    private void netflowFile(ByteSource in, String exporter) throws IOException, CaptureException {
        int max = Math.min(in.capacity(), 65535 + 65535);
        while (true) {
            long offset = in.offset();
            in.require(max);
            if (in.remaining() == 0) {
                return;
            }
            if (in.remaining() < 4) {
                throw new CaptureException(offset, "netflow: truncated datagram header");
            }
            int length;
            try {
                length = NetflowDecoder.datagramLength(in.array(), in.position(),
                        in.position() + in.remaining());
            } catch (Malformed e) {
                throw new CaptureException(offset, e.getMessage());
            }
            if (length < 4 || length > in.remaining()) {
                throw new CaptureException(offset, "netflow: datagram length " + length
                        + ", file has " + in.remaining());
            }
            out.tally.frames++;
            out.tally.bytes += length;
            decodeDatagram("file:" + exporter, in.array(), in.position(), length, offset, "");
            in.skip(length);
        }
    }

    private boolean decodeDatagram(String exporter, byte[] d, int at, int length, long offset,
            String from) {
        try {
            netflow.datagram(exporter, d, at, length, offset);
            return true;
        } catch (Malformed e) {
            out.tally.error("netflow", offset + e.offset(), from + e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            out.tally.error("netflow", offset, from + "netflow: field beyond the datagram");
        }
        return false;
    }

    /**
     * Decodes one NetFlow v5/v9/IPFIX datagram received from a live exporter; templates are cached
     * per exporter ({@code address:port}) and observation domain. A malformed datagram is counted
     * with the exporter and the byte offset inside the datagram where decoding stopped, never
     * thrown. Flows are folded as for files and handed over by {@link #finish()}.
     *
     * @return false when the datagram, or part of it, could not be decoded
     */
    public boolean collect(String exporter, byte[] datagram, int length) {
        out.tally = live;
        long errorsBefore = live.errorTotal;
        live.frames++;
        live.bytes += length;
        return decodeDatagram(exporter, datagram, 0, length, 0, "from " + exporter + ": ")
                && live.errorTotal == errorsBefore;
    }

    /** What {@link #collect} has received so far. */
    public Collected collected() {
        FileReport r = live.report("udp", CaptureFormat.NETFLOW, Optional.empty());
        return new Collected(r.frames(), r.bytes(), book.added(), netflow.templatesReceived(),
                netflow.templatesCached(), netflow.exportersCached(), live.errorTotal,
                r.errorSamples());
    }

    /**
     * Counts of a live collection.
     *
     * @param flowRecords flow records decoded (before folding per device and peer)
     * @param templates template records received, repeats included
     * @param templatesCached templates held now over all exporters (bounded)
     * @param exporters exporters with a template cache now (bounded)
     * @param malformed datagrams or data sets that could not be decoded
     * @param samples the first malformed ones: exporter, byte offset, what was wrong
     */
    public record Collected(long datagrams, long bytes, long flowRecords, long templates,
            long templatesCached, long exporters, long malformed, List<String> samples) {
        public Collected {
            samples = List.copyOf(samples);
        }
    }

    /**
     * Folds the live flows of every file read so far into one flow observation per device and
     * peer, and hands them to the sink with one {@code link} observation per local address whose
     * MAC the frames tell (see {@link LinkBook}). Returns how many flow observations.
     */
    public long finish() {
        long emitted = flushFlows();
        links.emit(out);
        return emitted;
    }

    /**
     * Folds the flows received since the last call (or the start) into flow observations, hands
     * them to the sink and starts a new fold; returns how many. A live collector calls it now and
     * then, so that a flow observation covers one such period of a device-and-peer pair (as an
     * exporter's active timeout splits a long flow into several records) and what is stored keeps
     * up with what was received. {@link #finish()} does the same for the last period.
     */
    public long flushFlows() {
        out.tally = new Tally();
        flows.drain();
        book.emit(out);
        return out.tally.observations.getOrDefault("flow", 0L);
    }

    /**
     * Bytes read so far of the file {@link #analyze} is reading (in steps of the read buffer);
     * safe to call from another thread, for a progress line.
     */
    public long fileBytesRead() {
        ByteSource in = reading;
        return in == null ? 0 : in.bytesRead();
    }

    /**
     * Observations not kept because they were about an address outside the site's ranges, and
     * folded flows between two such addresses.
     */
    public long aboutPeers() {
        return out.aboutPeers + book.peerFlows();
    }

    /** Flows folded away early because the live table was full. */
    public long flowsEvicted() {
        return flows.evicted();
    }

    /** Flows not kept because the device-and-peer table was full. */
    public long flowsDropped() {
        return book.dropped();
    }
}
