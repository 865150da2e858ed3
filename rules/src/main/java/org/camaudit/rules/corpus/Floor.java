package org.camaudit.rules.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The minimum figures of a corpus score (knowledge/corpus/floor.yaml). A figure below its floor,
 * fewer records than {@code min_records}, or any policy-covered call on a record of a maker no
 * policy concerns (always 0, not configurable) is a failure.
 *
 * <pre>
 * min_records: 30
 * slices:            # all, cameras, covered_families, other_cameras
 *   all: {accuracy: 0.5, coverage: 0.6, precision: 0.9}
 * field_families:    # optional: http, rtsp, ...
 *   http: {accuracy: 0.4}
 * </pre>
 */
public record Floor(int minRecords, Map<String, Map<String, Double>> slices,
        Map<String, Map<String, Double>> fieldFamilies) {
    private static final Set<String> SLICES = Set.of("all", "cameras", "covered_families",
            "other_cameras");
    private static final Set<String> FIGURES = Set.of("accuracy", "coverage", "precision");

    public Floor {
        slices = Map.copyOf(slices);
        fieldFamilies = Map.copyOf(fieldFamilies);
    }

    /** Reads a floor file; a wrong key or a figure outside 0..1 fails with the file's name. */
    public static Floor load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CorpusException(file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CorpusException(file + ": not a mapping");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!Set.of("min_records", "slices", "field_families").contains(k)) {
                throw new CorpusException(file + ": unknown key '" + k
                        + "' (min_records, slices, field_families)");
            }
        }
        return new Floor(root.path("min_records").asInt(0), figures(file, root.path("slices"),
                SLICES), figures(file, root.path("field_families"), null));
    }

    private static Map<String, Map<String, Double>> figures(Path file, JsonNode n,
            Set<String> allowed) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (allowed != null && !allowed.contains(e.getKey())) {
                throw new CorpusException(file + ": unknown slice '" + e.getKey() + "' (" + String
                        .join(", ", allowed.stream().sorted().toList()) + ")");
            }
            Map<String, Double> figs = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> g = f.next();
                double v = g.getValue().asDouble(-1);
                if (!FIGURES.contains(g.getKey()) || !g.getValue().isNumber() || v < 0 || v > 1) {
                    throw new CorpusException(file + ": " + e.getKey() + "." + g.getKey()
                            + " must be accuracy, coverage or precision with a value 0..1");
                }
                figs.put(g.getKey(), v);
            }
            out.put(e.getKey(), figs);
        }
        return out;
    }

    /** Every way the score falls short; empty when it meets the floor. */
    public List<String> check(CorpusScore s) {
        List<String> out = new ArrayList<>();
        int n = s.outcomes().size();
        if (n < minRecords) {
            out.add("the corpus has " + n + " records, fewer than min_records " + minRecords);
        }
        slices.forEach((slice, figs) -> {
            Tally t = switch (slice) {
                case "all" -> s.overall();
                case "cameras" -> s.cameras();
                case "covered_families" -> s.coveredFamilies();
                default -> s.otherCameras();
            };
            compare(out, slice, t, figs);
        });
        Map<String, Tally> families = s.byFieldFamily();
        fieldFamilies.forEach((family, figs) -> compare(out, "field family " + family, families
                .getOrDefault(family, Tally.EMPTY), figs));
        for (CorpusScore.Outcome o : s.wronglyCovered()) {
            out.add(o.record().where() + " (" + o.record().id() + "): maker " + o.record().maker()
                    + " is covered by no policy, but the device was called " + o.policyCalls()
                    + " (identified as " + o.identification().brand().orElse("-") + " / " + o
                            .identification().platform().orElse("-")
                    + ")");
        }
        return out;
    }

    private static void compare(List<String> out, String slice, Tally t,
            Map<String, Double> figs) {
        figs.forEach((figure, min) -> {
            double v = t.figure(figure);
            if (v < min) {
                out.add(String.format(Locale.ROOT, "%s %s %s is below its floor %s (%d records)",
                        slice, figure, ScoreReport.pct(v), ScoreReport.pct(min), t.records()));
            }
        });
    }
}
