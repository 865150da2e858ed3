package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeekTest {
    @TempDir
    Path dir;

    private List<Observation> run(String text, List<FileReport> reports) throws IOException {
        Path p = dir.resolve("zeek-" + reports.size() + ".log");
        Files.writeString(p, text);
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, seen::add);
        reports.add(a.analyze(p));
        a.finish();
        return seen;
    }

    @Test
    void tsvDnsAndConnLogs() throws IOException {
        String dns = """
                #separator \\x09
                #set_separator\t,
                #path\tdns
                #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers
                #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]
                1760000000.123456\tCx1\t192.0.2.103\t40001\t198.51.100.53\t53\tudp\tlitedev.hik-connect.com\t52.1.2.3
                1760000001.0\tCx2\t192.0.2.103\t40002\t198.51.100.53\t53\tudp\t-\t-
                """;
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(dns, reports);
        assertThat(reports.get(0).format()).isEqualTo(CaptureFormat.ZEEK_TSV);
        assertThat(obs).anySatisfy(o -> {
            assertThat(o.address()).isEqualTo("192.0.2.103");
            assertThat(o.fields()).containsEntry(Fields.DNS_QUERY, "litedev.hik-connect.com")
                    .containsEntry(Fields.DNS_ANSWER, "52.1.2.3");
            assertThat(o.time().getNano()).isEqualTo(123456000);
        });
        String conn = """
                #separator \\x09
                #path\tconn
                #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\tconn_state
                1760000000.0\tC1\t192.0.2.103\t50000\t47.88.1.1\t8800\tudp\t2.5\t3\t300\t2\t200\tSF
                """;
        obs = run(conn, reports);
        assertThat(obs).singleElement().satisfies(o -> assertThat(o.fields())
                .containsEntry(Fields.FLOW_DST, "47.88.1.1").containsEntry(Fields.FLOW_BYTES, "500")
                .containsEntry(Fields.FLOW_PACKETS, "5")
                .containsEntry(Fields.FLOW_LAST, "2025-10-09T08:53:22.500Z"));
    }

    @Test
    void jsonSslHttpDhcpLines() throws IOException {
        String json = """
                {"ts":1760000000.5,"uid":"C1","id.orig_h":"192.0.2.103","id.orig_p":50000,"id.resp_h":"52.1.2.3","id.resp_p":443,"server_name":"www.easy4ipcloud.com","subject":"CN=x"}
                {"ts":1760000000.6,"id.orig_h":"192.0.2.103","id.orig_p":50001,"id.resp_h":"1.2.3.4","id.resp_p":80,"method":"GET","host":"access-dss.secu100.net","uri":"/","user_agent":"XM"}
                {"ts":"2025-10-09T08:53:20Z","mac":"c0:56:e3:11:22:33","assigned_addr":"192.0.2.103","host_name":"IPC","client_software":"udhcp 1.19.4"}
                not json at all
                """;
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(json, reports);
        FileReport r = reports.get(0);
        assertThat(r.format()).isEqualTo(CaptureFormat.ZEEK_JSON);
        assertThat(r.errors()).containsEntry("zeek", 1L);
        assertThat(r.errorSamples().get(0)).startsWith("at byte " + json.indexOf("not json"));
        assertThat(obs).anyMatch(o -> "www.easy4ipcloud.com".equals(o.fields().get(Fields.TLS_SNI))
                && o.address().equals("192.0.2.103"));
        // the server's certificate is about the peer 52.1.2.3: a peer is never a device
        assertThat(obs).noneMatch(o -> o.fields().containsKey(Fields.TLS_SUBJECT));
        assertThat(obs).allMatch(o -> o.address().equals("192.0.2.103"));
        assertThat(obs).anyMatch(o -> "XM".equals(o.fields().get(Fields.HTTP_USER_AGENT)));
        assertThat(obs)
                .anyMatch(o -> "udhcp 1.19.4".equals(o.fields().get(Fields.DHCP_VENDOR_CLASS))
                        && o.mac().equals(java.util.Optional.of("c0:56:e3:11:22:33")));
    }
}
