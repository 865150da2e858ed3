package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetflowTest {
    @TempDir
    Path dir;

    static byte[] v5File() {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * 2);
        b.putShort((short) 5).putShort((short) 2).putInt(100_000).putInt(1_760_000_000).putInt(0)
                .putInt(1).put((byte) 0).put((byte) 0).putShort((short) 0);
        for (int i = 0; i < 2; i++) {
            b.put(CaptureWriter.ip("192.0.2.103")).put(CaptureWriter.ip("47.88.1." + (i + 1)))
                    .putInt(0).putShort((short) 0).putShort((short) 0).putInt(10).putInt(1500)
                    .putInt(90_000).putInt(99_000).putShort((short) 40000)
                    .putShort((short) 8800).put((byte) 0).put((byte) 0).put((byte) 17)
                    .put((byte) 0).putShort((short) 0).putShort((short) 0).put((byte) 0)
                    .put((byte) 0).putShort((short) 0);
        }
        return b.array();
    }

    /** template (id 256: src, dst, dport, proto, bytes, packets) then one data record. */
    static byte[] v9File() {
        ByteBuffer t = ByteBuffer.allocate(8 + 6 * 4);
        t.putShort((short) 0).putShort((short) t.capacity()).putShort((short) 256)
                .putShort((short) 6);
        for (int[] f : new int[][]{{8, 4}, {12, 4}, {11, 2}, {4, 1}, {1, 4}, {2, 4}}) {
            t.putShort((short) f[0]).putShort((short) f[1]);
        }
        ByteBuffer d = ByteBuffer.allocate(4 + 19 + 1);
        d.putShort((short) 256).putShort((short) d.capacity()).put(CaptureWriter.ip("192.0.2.103"))
                .put(CaptureWriter.ip("114.114.114.114")).putShort((short) 53).put((byte) 17)
                .putInt(300).putInt(3).put((byte) 0);
        ByteBuffer h = ByteBuffer.allocate(20);
        h.putShort((short) 9).putShort((short) 2).putInt(5000).putInt(1_760_000_000).putInt(1)
                .putInt(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(t.array());
        out.writeBytes(d.array());
        // a second datagram: data only, the template is cached per exporter and source id
        h.putInt(12, 2);
        out.writeBytes(h.array());
        out.writeBytes(d.array());
        return out.toByteArray();
    }

    static byte[] ipfixFile() {
        ByteBuffer t = ByteBuffer.allocate(8 + 5 * 4 + 4);
        t.putShort((short) 2).putShort((short) t.capacity()).putShort((short) 300)
                .putShort((short) 5);
        for (int[] f : new int[][]{{8, 4}, {12, 4}, {11, 2}, {4, 1}}) {
            t.putShort((short) f[0]).putShort((short) f[1]);
        }
        // an enterprise field (bit 15) of 8 bytes, ignored
        t.putShort((short) 0x8001).putShort((short) 8).putInt(9999);
        ByteBuffer d = ByteBuffer.allocate(4 + 11 + 8);
        d.putShort((short) 300).putShort((short) d.capacity()).put(CaptureWriter.ip("192.0.2.104"))
                .put(CaptureWriter.ip("8.8.8.8")).putShort((short) 443).put((byte) 6)
                .putLong(7);
        int length = 16 + t.capacity() + d.capacity();
        ByteBuffer m = ByteBuffer.allocate(length);
        m.putShort((short) 10).putShort((short) length).putInt(1_760_000_000).putInt(1).putInt(7)
                .put(t.array()).put(d.array());
        return m.array();
    }

    private List<Observation> run(byte[] file, List<FileReport> reports) throws IOException {
        Path p = dir.resolve("flows-" + reports.size());
        Files.write(p, file);
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, seen::add);
        reports.add(a.analyze(p));
        a.finish();
        return seen;
    }

    @Test
    void v5RecordsBecomeFlowsPerDeviceAndPeer() throws IOException {
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(v5File(), reports);
        assertThat(reports.get(0).format()).isEqualTo(CaptureFormat.NETFLOW);
        assertThat(obs).hasSize(2).allMatch(o -> o.address().equals("192.0.2.103"))
                .anyMatch(o -> "47.88.1.2".equals(o.fields().get(Fields.FLOW_DST))
                        && "8800".equals(o.fields().get(Fields.FLOW_DPORT))
                        && "1500".equals(o.fields().get(Fields.FLOW_BYTES))
                        && "netflow-v5".equals(o.fields().get(Fields.FLOW_ORIGIN)));
    }

    @Test
    void v9TemplatesAreCachedAcrossDatagrams() throws IOException {
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(v9File(), reports);
        assertThat(reports.get(0).frames()).isEqualTo(2);
        assertThat(reports.get(0).errors()).isEmpty();
        assertThat(obs).singleElement().satisfies(o -> assertThat(o.fields())
                .containsEntry(Fields.FLOW_DST, "114.114.114.114")
                .containsEntry(Fields.FLOW_BYTES, "600").containsEntry(Fields.FLOW_COUNT, "2")
                .containsEntry(Fields.FLOW_PROTO, "udp"));
    }

    @Test
    void ipfixWithEnterpriseFields() throws IOException {
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(ipfixFile(), reports);
        assertThat(obs).singleElement().satisfies(o -> assertThat(o.fields())
                .containsEntry(Fields.FLOW_SRC, "192.0.2.104")
                .containsEntry(Fields.FLOW_DST, "8.8.8.8").containsEntry(Fields.FLOW_DPORT, "443"));
    }

    @Test
    void exportsCapturedOnUdp2055AreDecodedFromPcaps() throws IOException {
        CaptureWriter w = new CaptureWriter();
        w.udp("00:00:00:00:00:01", "192.0.2.1", 50000, "00:00:00:00:00:02", "192.0.2.2", 2055,
                v9File());
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), reports);
        // the v9 pcap payload holds two datagrams back to back; a real export has one per packet
        assertThat(obs).anyMatch(o -> "114.114.114.114".equals(o.fields().get(Fields.FLOW_DST)));
    }

    /** A v9 datagram holding one template set (id 0) or options-template set (id 1). */
    private static byte[] v9Template(int templateId, boolean options) {
        ByteBuffer b = ByteBuffer.allocate(20 + (options ? 20 : 16));
        b.putShort((short) 9).putShort((short) 1).putInt(5000).putInt(1_760_000_000).putInt(1)
                .putInt(0);
        if (options) {
            // scope: system (1), 4 bytes; option: sampling interval (34), 4 bytes; padded
            b.putShort((short) 1).putShort((short) 20).putShort((short) templateId)
                    .putShort((short) 4).putShort((short) 4).putShort((short) 1)
                    .putShort((short) 4).putShort((short) 34).putShort((short) 4).putShort(
                            (short) 0);
        } else {
            b.putShort((short) 0).putShort((short) 16).putShort((short) templateId)
                    .putShort((short) 2).putShort((short) 8).putShort((short) 4)
                    .putShort((short) 12).putShort((short) 4);
        }
        return b.array();
    }

    @Test
    void liveTemplatesAreCachedPerExporterAndMalformedDatagramsCountedWithIt() {
        byte[] file = v9File();
        int first = 20 + 32 + 24;
        byte[] withTemplate = java.util.Arrays.copyOf(file, first);
        byte[] dataOnly = java.util.Arrays.copyOfRange(file, first, file.length);
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, seen::add);
        assertThat(a.collect("127.0.0.1:5000", withTemplate, withTemplate.length)).isTrue();
        // the same source id from another exporter (or port) has no template yet
        assertThat(a.collect("127.0.0.1:5001", dataOnly, dataOnly.length)).isFalse();
        assertThat(a.collect("127.0.0.1:5000", dataOnly, dataOnly.length)).isTrue();
        assertThat(a.collect("127.0.0.1:5000", new byte[]{0, 10, 0}, 3)).isFalse();
        TrafficAnalyzer.Collected c = a.collected();
        assertThat(c.datagrams()).isEqualTo(4);
        assertThat(c.flowRecords()).isEqualTo(2);
        assertThat(c.templates()).isEqualTo(1);
        assertThat(c.malformed()).isEqualTo(2);
        assertThat(c.samples()).containsExactly(
                "at byte 20: netflow: data for unknown template 256 (domain 42) from"
                        + " 127.0.0.1:5001",
                "at byte 0: from 127.0.0.1:5000: netflow: 3-byte datagram");
        assertThat(a.finish()).isEqualTo(1);
        assertThat(seen).singleElement().satisfies(o -> assertThat(o.fields()).containsEntry(
                Fields.FLOW_COUNT, "2"));
    }

    @Test
    void optionsTemplatesAreKeptSoTheirDataIsNotAnError() {
        ByteBuffer data = ByteBuffer.allocate(20 + 4 + 8);
        data.putShort((short) 9).putShort((short) 1).putInt(5000).putInt(1_760_000_000).putInt(2)
                .putInt(0).putShort((short) 257).putShort((short) 12).putInt(1).putInt(100);
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, seen::add);
        byte[] options = v9Template(257, true);
        assertThat(a.collect("127.0.0.1:5000", options, options.length)).isTrue();
        assertThat(a.collect("127.0.0.1:5000", data.array(), data.capacity())).isTrue();
        assertThat(a.collected().malformed()).isZero();
        a.finish();
        assertThat(seen).isEmpty();
    }

    @Test
    void templateCachesAreBoundedPerExporterAndInExporters() {
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, o -> {
        });
        for (int id = 256; id < 256 + NetflowDecoder.MAX_TEMPLATES_PER_EXPORTER + 100; id++) {
            byte[] t = v9Template(id, false);
            a.collect("127.0.0.1:5000", t, t.length);
        }
        assertThat(a.collected().templatesCached())
                .isEqualTo(NetflowDecoder.MAX_TEMPLATES_PER_EXPORTER);
        byte[] t = v9Template(300, false);
        for (int port = 1; port <= NetflowDecoder.MAX_EXPORTERS + 50; port++) {
            a.collect("127.0.0.2:" + port, t, t.length);
        }
        TrafficAnalyzer.Collected c = a.collected();
        assertThat(c.exporters()).isEqualTo(NetflowDecoder.MAX_EXPORTERS);
        assertThat(c.templatesCached()).isLessThanOrEqualTo(NetflowDecoder.MAX_EXPORTERS
                + NetflowDecoder.MAX_TEMPLATES_PER_EXPORTER);
        assertThat(c.malformed()).isZero();
    }
}
