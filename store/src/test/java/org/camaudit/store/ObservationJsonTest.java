package org.camaudit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ObservationJsonTest {

    @Test
    void readsTheDocumentedExample() {
        Observation o = ObservationJson
                .fromLine("{\"time\":\"2026-11-22T12:00:00Z\",\"source\":\"active\","
                        + "\"address\":\"127.0.0.5\",\"mac\":\"aa:bb:cc:dd:ee:ff\",\"port\":80,\"transport\":\"tcp\","
                        + "\"protocol\":\"http\",\"fields\":{\"http.server\":\"App-webs/\"},\"raw\":\"...\"}");
        assertThat(o)
                .isEqualTo(new Observation(Instant.parse("2026-11-22T12:00:00Z"), Source.ACTIVE,
                        "127.0.0.5", Optional.of("aa:bb:cc:dd:ee:ff"), 80, Transport.TCP, "http",
                        Map.of("http.server", "App-webs/"), "..."));
    }

    @Test
    void roundTripsOnOneLine() {
        Observation o = new Observation(Instant.parse("2026-11-22T12:00:00.000000001Z"),
                Source.PASSIVE,
                "127.0.0.7", Optional.of("AABBCCDDEEFF"), 554, Transport.UDP, "rtsp",
                Map.of("rtsp.server", "Камера 网络 📷", "rtsp.public", "OPTIONS, DESCRIBE"),
                "RTSP/1.0 200 OK\r\n\\x00\\x7f\\\\\n\"end\"");
        String line = ObservationJson.toLine(o);
        assertThat(line).doesNotContain("\n").doesNotContain("\r").startsWith("{\"time\":");
        assertThat(ObservationJson.fromLine(line)).isEqualTo(o);
    }

    @Test
    void omitsAnUnknownMacAndRoundTrips() {
        Observation o = new Observation(Instant.parse("2026-11-22T12:00:00Z"), Source.IMPORT,
                "127.0.0.8",
                Optional.empty(), 0, Transport.NONE, "nmap-host", Map.of(), "");
        String line = ObservationJson.toLine(o);
        assertThat(line).isEqualTo("{\"time\":\"2026-11-22T12:00:00Z\",\"source\":\"import\","
                + "\"address\":\"127.0.0.8\",\"port\":0,\"transport\":\"none\",\"protocol\":\"nmap-host\","
                + "\"fields\":{},\"raw\":\"\"}");
        assertThat(ObservationJson.fromLine(line)).isEqualTo(o);
    }

    @Test
    void fillsDefaultsAndIgnoresUnknownKeys() {
        Instant before = Instant.now();
        Observation o = ObservationJson.fromLine(
                "{\"address\":\"127.0.0.9\",\"protocol\":\"http\",\"port\":8080,\"future\":{\"x\":[1]}}");
        assertThat(o.source()).isEqualTo(Source.IMPORT);
        assertThat(o.transport()).isEqualTo(Transport.TCP);
        assertThat(o.mac()).isEmpty();
        assertThat(o.fields()).isEmpty();
        assertThat(o.raw()).isEmpty();
        assertThat(o.time()).isBetween(before, Instant.now());

        Observation portless = ObservationJson
                .fromLine("{\"address\":\"127.0.0.9\",\"protocol\":\"dhcp\","
                        + "\"time\":\"2026-11-22T13:00:00+01:00\",\"fields\":{\"n\":5,\"b\":true,\"gone\":null}}");
        assertThat(portless.port()).isZero();
        assertThat(portless.transport()).isEqualTo(Transport.NONE);
        assertThat(portless.time()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(portless.fields())
                .containsExactlyInAnyOrderEntriesOf(Map.of("n", "5", "b", "true"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                                          | empty line",
            "`{\"address\":`                                             | invalid JSON at column",
            "`[1,2]`                                                     | expected a JSON object, got an array",
            "`{\"protocol\":\"http\"}`                                   | missing \"address\"",
            "`{\"address\":\"127.0.0.1\"}`                               | missing \"protocol\"",
            "`{\"address\":5,\"protocol\":\"http\"}`                     | \"address\" must be a string, got a number",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"port\":\"80\"}`  | \"port\" must be a whole number",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"port\":70000}`   | from 0 to 65535, got 70000",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"mac\":\"zz\"}`   | \"mac\" is not a MAC address: \"zz\"",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"source\":\"x\"}` | \"source\" must be active, passive or import",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"transport\":\"sctp\"}` | \"transport\" must be tcp, udp or none",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"time\":\"yesterday\"}` | \"time\" is not an ISO-8601 instant",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"fields\":[]}`    | \"fields\" must be an object, got an array",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\",\"fields\":{\"a\":{}}}` | field \"a\" must be a string, got an object",
            "`{\"address\":\"127.0.0.1\",\"protocol\":\"http\"} trailing`  | invalid JSON",
            "`{\"address\":\"127.0.0.1\",\"address\":\"127.0.0.2\",\"protocol\":\"http\"}` | invalid JSON",
    })
    void badLinesSayWhatIsWrong(String line, String message) {
        assertThatThrownBy(() -> ObservationJson.fromLine(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
