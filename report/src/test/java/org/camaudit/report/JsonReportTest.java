package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    @Test
    void oneDocumentWithScanDevicesAndCounts() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(Fixtures.bytes(Fixtures.data(), Format.JSON));
        assertThat(doc.at("/report/version").asText()).isEqualTo("0.1.0-test");
        assertThat(doc.at("/scan/id").asLong()).isEqualTo(7);
        assertThat(doc.at("/scan/authorized_by").asText()).isEqualTo(
                "Jane Doe, CISO (ticket SEC-42)");
        assertThat(doc.at("/counts/devices").asInt()).isEqualTo(6);
        assertThat(doc.at("/counts/identified").asInt()).isEqualTo(5);
        assertThat(doc.at("/counts/oem_rebrands").asInt()).isEqualTo(2);
        assertThat(doc.at("/counts/findings").asInt()).isEqualTo(7);
        assertThat(doc.at("/counts/by_severity/critical").asInt()).isEqualTo(5);
        assertThat(doc.at("/counts/by_policy/ndaa-889").asInt()).isEqualTo(3);
        assertThat(doc.at("/counts/by_platform/Hikvision").asInt()).isEqualTo(2);
        JsonNode devices = doc.get("devices");
        assertThat(devices).hasSize(6);
        JsonNode hik = devices.get(0);
        assertThat(hik.get("address").asText()).isEqualTo("192.0.2.11");
        assertThat(hik.get("worst_severity").asText()).isEqualTo("critical");
        assertThat(hik.get("open_ports")).hasSize(4);
        assertThat(hik.at("/evidence/0/rule").asText()).isEqualTo("hikvision-sadp");
        assertThat(hik.get("findings")).hasSize(3);
        assertThat(hik.at("/findings/0/citation").isTextual()).isTrue();
        assertThat(devices.get(4).get("brand").isNull()).isTrue();
        assertThat(devices.get(4).get("findings")).isEmpty();
        assertThat(devices.get(5).get("brand").asText()).isEqualTo(Fixtures.HOSTILE_BRAND);
    }
}
