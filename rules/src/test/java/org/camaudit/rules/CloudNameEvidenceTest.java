package org.camaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Evidence;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;

/** The clouds pack as maker evidence: names a device asks for by DNS or TLS SNI. */
class CloudNameEvidenceTest {
    private static final IdentificationEngine ENGINE = IdentificationEngine.shipped();

    private static Identification of(String address, List<Identification> all) {
        return all.stream().filter(i -> i.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aDeviceThatResolvesAVendorCloudIsOfThatPlatformWithLessConfidenceThanABanner() {
        List<Observation> obs = new ArrayList<>(Devices.at("192.0.2.20")
                .obs("dns", 53, "dns.query", "time.example.net, litedev.hik-connect.com.").list());
        obs.addAll(Devices.at("192.0.2.21").obs("tls", 443, "tls.sni", "access-dss.secu100.net")
                .list());
        obs.addAll(Devices.at("192.0.2.22").obs("dns", 53, "dns.query", "nothik-connect.com")
                .list());
        List<Identification> all = ENGINE.identify(obs);
        Identification hik = of("192.0.2.20", all);
        assertThat(hik.platform()).contains("Hikvision");
        assertThat(hik.confidence()).isEqualTo(CloudNameRules.CONFIDENCE);
        assertThat(hik.evidence()).extracting(Evidence::ruleId).contains("cloud-hik-connect");
        Identification xm = of("192.0.2.21", all);
        assertThat(xm.platform()).contains("Xiongmai");
        assertThat(of("192.0.2.22", all).platform()).isEmpty();

        Identification banner = ENGINE.identify(Devices.at("192.0.2.23").obs("http", 80,
                "http.server", "App-webs/").list()).get(0);
        assertThat(banner.confidence()).isGreaterThan(hik.confidence());
    }

    @Test
    void aForwardingResolverIsNotNamedByItsClientsCloudNames() {
        List<Observation> obs = new ArrayList<>(Devices.at("192.0.2.30")
                .obs("flow", 0, "flow.src", "192.0.2.31", "flow.dst", "192.0.2.1", "flow.dport",
                        "53", "flow.proto", "udp")
                .list());
        obs.addAll(Devices.at("192.0.2.1").obs("dns", 53, "dns.query", "api.ezvizlife.com")
                .list());
        obs.addAll(Devices.at("192.0.2.31").obs("dns", 53, "dns.query", "api.ezvizlife.com")
                .list());
        List<Identification> all = ENGINE.identify(obs);
        assertThat(of("192.0.2.1", all).platform()).isEmpty();
        assertThat(of("192.0.2.31", all).platform()).contains("Hikvision");
    }
}
