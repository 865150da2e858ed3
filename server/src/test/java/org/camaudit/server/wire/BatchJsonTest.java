package org.camaudit.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.camaudit.server.db.SampleScans;
import org.junit.jupiter.api.Test;

class BatchJsonTest {
    private static final ScanHeader H = SampleScans.header(3);

    @Test
    void theStreamedBytesAreThoseOfTheBatchsTree() throws Exception {
        Batch b = SampleScans.observations(H, 0, SampleScans.observation("127.0.0.2",
                "App-webs/\t\"x\"\u00e9"), SampleScans.observation("127.0.0.3", "AXIS"));
        for (Batch batch : List.of(b, SampleScans.last(H, 1), SampleScans.last(H, 1)
                .withRevision(2))) {
            byte[] body = BatchJson.write(batch);
            // what the tree form (how batches were written before streaming) gives, byte for byte
            assertThat(BatchJson.MAPPER.writeValueAsBytes(BatchJson.MAPPER.readTree(body)))
                    .isEqualTo(body);
            assertThat(BatchJson.read(body)).isEqualTo(batch);
        }
    }

    @Test
    void revisionZeroIsNotWrittenAndAHigherOneIs() {
        String first = new String(BatchJson.write(SampleScans.last(H, 1)), StandardCharsets.UTF_8);
        assertThat(first).doesNotContain("revision").startsWith(
                "{\"scan\":{\"id\":3,").contains(",\"seq\":1,\"last\":true,\"observations\":[]");
        String later = new String(BatchJson.write(SampleScans.last(H, 1).withRevision(4)),
                StandardCharsets.UTF_8);
        assertThat(later).contains("\"last\":true,\"revision\":4,");
    }

    @Test
    void aRevisionAboveZeroIsOnlyForALastBatchWithoutObservations() {
        Batch obs = SampleScans.observations(H, 0, SampleScans.observation("127.0.0.2", "x"));
        String body = new String(BatchJson.write(obs), StandardCharsets.UTF_8).replace(
                "\"last\":false", "\"last\":false,\"revision\":1");
        assertThatThrownBy(() -> BatchJson.read(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                        "only a last batch without observations");
        String negative = body.replace("\"revision\":1", "\"revision\":-1");
        assertThatThrownBy(() -> BatchJson.read(negative.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revision");
    }
}
