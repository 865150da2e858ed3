package org.camaudit.rules.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    static final String GOOD = "{\"id\":\"a1\",\"maker\":\"Dahua\",\"device\":\"camera\","
            + "\"fields\":{\"http.www_authenticate\":\"Digest realm=\\\"Login to 4K01\\\"\","
            + "\"rtsp.server\":\"Rtsp Server/3.0\"},\"source\":\"https://example.org/t/1\","
            + "\"licence\":\"fact\",\"label_from\":\"outside\"}";

    @TempDir
    Path dir;

    void write(String file, String... lines) throws IOException {
        Files.createDirectories(dir.resolve("records"));
        Files.write(dir.resolve("records").resolve(file), java.util.List.of(lines));
    }

    @Test
    void aGoodFileLoadsAndBlankLinesAreSkipped() throws IOException {
        write("issues.jsonl", GOOD, "", GOOD.replace("a1", "a2"));
        Corpus c = Corpus.load(dir);
        assertThat(c.records()).extracting(CorpusRecord::id).containsExactly("a1", "a2");
        CorpusRecord r = c.records().get(0);
        assertThat(r.sourceFamily()).isEqualTo("issues");
        assertThat(r.where()).isEqualTo("records/issues.jsonl:1");
        assertThat(r.families()).containsExactly("http", "rtsp");
    }

    @Test
    void observationsAreOnePerFamilyWithTheRealmDerived() throws IOException {
        write("issues.jsonl", GOOD);
        var obs = Corpus.load(dir).records().get(0).observations("127.0.0.9");
        assertThat(obs).extracting(Observation::protocol).containsExactly("http", "rtsp");
        assertThat(obs.get(0).field(Fields.HTTP_REALM)).contains("Login to 4K01");
        assertThat(obs.get(1).port()).isEqualTo(554);
    }

    @Test
    void aBadLineIsNamedByFileAndLine() throws IOException {
        write("issues.jsonl", GOOD, "{not json");
        assertThatThrownBy(() -> Corpus.load(dir)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith("records/issues.jsonl:2: not a JSON object");
    }

    @Test
    void eachKindOfMistakeHasItsMessage() throws IOException {
        check(GOOD.replace("\"maker\":\"Dahua\",", ""), "records/x.jsonl:1 (a1): missing maker");
        check(GOOD.replace("\"outside\"", "\"guess\""),
                "label_from must be outside or banner, not 'guess'");
        check(GOOD.replace("\"id\"", "\"colour\":\"red\",\"id\""), "unknown key 'colour'");
        check(GOOD.replace("rtsp.server", "Server"), "field key 'Server' is not a canonical key");
        check(GOOD.replace("\"Rtsp Server/3.0\"", "\"  \""), "field rtsp.server must be a"
                + " non-blank string");
        check(GOOD.replace("\"rtsp.server\"", "\"mac\"").replace("Rtsp Server/3.0", "nope"),
                "mac 'nope' is not a MAC address");
        check(GOOD.replace("\"device\"", "\"port\":70000,\"device\""),
                "port must be a number 1..65535");
    }

    @Test
    void anIdUsedTwiceNamesBothPlaces() throws IOException {
        write("a.jsonl", GOOD);
        write("b.jsonl", "", GOOD);
        assertThatThrownBy(() -> Corpus.load(dir)).hasMessage(
                "records/b.jsonl:2: id 'a1' is already used at records/a.jsonl:1");
    }

    @Test
    void aliasesMapEveryNameToTheFirstAndNeedASource() throws IOException {
        write("a.jsonl", GOOD);
        Files.writeString(dir.resolve(Corpus.ALIASES), "makers:\n  - names: [HP, Hewlett Packard]\n"
                + "    source: registry\n");
        assertThat(Corpus.load(dir).aliases()).containsEntry("Hewlett Packard", "HP");
        Files.writeString(dir.resolve(Corpus.ALIASES),
                "makers:\n  - names: [HP, Hewlett Packard]\n");
        assertThatThrownBy(() -> Corpus.load(dir)).hasMessage(
                "aliases.yaml: entry 1 needs names (two or more) and a source");
    }

    @Test
    void aMissingDirectoryIsSaidSo() {
        assertThatThrownBy(() -> Corpus.load(dir.resolve("nowhere"))).isInstanceOf(
                CorpusException.class).hasMessageContaining("no such directory");
    }

    private void check(String line, String message) throws IOException {
        write("x.jsonl", line);
        assertThatThrownBy(() -> Corpus.load(dir)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(message);
    }
}
