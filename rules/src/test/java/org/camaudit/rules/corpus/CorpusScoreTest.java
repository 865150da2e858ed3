package org.camaudit.rules.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped engine scored on the real, outside-labelled records of knowledge/corpus (not on the
 * classpath, so no rule can be written from them by accident): prints the tables, writes the
 * full report with every miss to {@code target/corpus-score.md}, and fails when a figure falls
 * below knowledge/corpus/floor.yaml or a device of a maker no policy concerns is called covered.
 */
class CorpusScoreTest {
    static Path corpusDirectory() {
        return Path.of(System.getProperty("camaudit.corpus", "../knowledge/corpus"));
    }

    @Test
    void theShippedEngineMeetsTheFloorOnTheRealRecords() throws IOException {
        Path dir = corpusDirectory();
        Corpus corpus = Corpus.load(dir);
        CorpusScore score = CorpusScore.of(corpus);
        String tables = ScoreReport.tables(score);
        System.out.println("Identification on " + corpus.records().size() + " corpus records ("
                + dir.toAbsolutePath().normalize() + ")\n\n" + tables);
        Path report = Path.of(System.getProperty("camaudit.corpus.report",
                "target/corpus-score.md"));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, ScoreReport.full(score));

        assertThat(score.outcomes()).hasSize(corpus.records().size());
        assertThat(Floor.load(dir.resolve("floor.yaml")).check(score)).isEmpty();
    }

    @Test
    void aFloorAboveTheMeasuredFiguresFails() {
        CorpusScore score = CorpusScore.of(Corpus.load(corpusDirectory()));
        Floor impossible = new Floor(score.outcomes().size() + 1, java.util.Map.of("all",
                java.util.Map.of("accuracy", Math.min(1.0, score.overall().accuracy() + 0.01))),
                java.util.Map.of());
        assertThat(impossible.check(score)).anySatisfy(m -> assertThat(m).contains(
                "fewer than min_records")).anySatisfy(m -> assertThat(m).contains(
                        "all accuracy"));
    }
}
