package org.camaudit.rules.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.camaudit.model.Identification;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.findings.FindingEngine;

/**
 * The engine scored on a corpus: every record identified on its own (as one device, through the
 * same {@link org.camaudit.rules.IdentificationSession} that {@code camaudit identify} uses), its
 * result compared with the label ({@link MakerNames}), and the policy findings of the result
 * evaluated. Slices: per maker, field family, source family and label origin; camera records;
 * the Hikvision/Dahua/Xiongmai families.
 */
public final class CorpusScore {
    /** What happened to one record. */
    public record Outcome(CorpusRecord record, Identification identification, boolean named,
            boolean correct, boolean nonCoveredLabel, List<String> policyCalls) {
        /** A policy finding on a device whose maker no policy concerns. */
        public boolean wronglyCovered() {
            return nonCoveredLabel && !policyCalls.isEmpty();
        }
    }

    private final List<Outcome> outcomes;
    private final MakerNames names;

    private CorpusScore(List<Outcome> outcomes, MakerNames names) {
        this.outcomes = List.copyOf(outcomes);
        this.names = names;
    }

    /** Scores the shipped engine and every shipped policy (as of today). */
    public static CorpusScore of(Corpus corpus) {
        return of(corpus, IdentificationEngine.shipped(), FindingEngine.shipped());
    }

    public static CorpusScore of(Corpus corpus, IdentificationEngine engine,
            FindingEngine policies) {
        MakerNames names = new MakerNames(engine.packs(), policies, corpus.aliases());
        List<Outcome> out = new ArrayList<>();
        int n = 0;
        for (CorpusRecord r : corpus.records()) {
            n++;
            String address = "127.200." + (n >> 8 & 0xff) + "." + (n & 0xff);
            List<Identification> found = engine.identify(r.observations(address));
            if (found.size() != 1) {
                throw new IllegalStateException(r.where() + ": one record gave " + found.size()
                        + " devices");
            }
            Identification id = found.get(0);
            boolean named = !id.isUnknown();
            out.add(new Outcome(r, id, named, named && names.correct(r, id), names
                    .nonCoveredLabel(r), names.policyCalls(id)));
        }
        return new CorpusScore(out, names);
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    public MakerNames names() {
        return names;
    }

    public Tally overall() {
        return tally(o -> true);
    }

    /** Records whose device is a camera, recorder, intercom or doorbell. */
    public Tally cameras() {
        return tally(o -> o.record().isCamera());
    }

    /** Records of the Hikvision, Dahua and Xiongmai families (OEM brands included). */
    public Tally coveredFamilies() {
        return tally(o -> names.coveredFamily(o.record()));
    }

    /** Camera records outside those families. */
    public Tally otherCameras() {
        return tally(o -> o.record().isCamera() && !names.coveredFamily(o.record()));
    }

    /** Policy findings on records whose maker no policy concerns (must be 0). */
    public List<Outcome> wronglyCovered() {
        return outcomes.stream().filter(Outcome::wronglyCovered).toList();
    }

    /** Records whose maker no policy concerns (the denominator of the covered-call check). */
    public long nonCoveredRecords() {
        return outcomes.stream().filter(Outcome::nonCoveredLabel).count();
    }

    /** Per maker (the label's maker, canonical where the vendor list knows it). */
    public Map<String, Tally> byMaker() {
        return slice(o -> List.of(makerOf(o.record())));
    }

    /** Per field family: a record counts in every family it has a field of. */
    public Map<String, Tally> byFieldFamily() {
        return slice(o -> o.record().families());
    }

    /** Per records file (source family). */
    public Map<String, Tally> bySourceFamily() {
        return slice(o -> List.of(o.record().sourceFamily()));
    }

    /** Per label origin: outside or banner. */
    public Map<String, Tally> byLabelFrom() {
        return slice(o -> List.of(o.record().labelFrom().label()));
    }

    /** For each maker the engine named, how many records of another label it was named for. */
    public Map<String, Integer> wrongCallsByNamedMaker() {
        Map<String, Integer> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Outcome o : outcomes) {
            if (o.named() && !o.correct()) {
                out.merge(namedMakerOf(o.identification()), 1, Integer::sum);
            }
        }
        return out;
    }

    String makerOf(CorpusRecord r) {
        return MakerNames.display(names.canonical(r.maker()), r.maker());
    }

    String namedMakerOf(Identification id) {
        String n = id.brand().or(id::platform).orElse("");
        return MakerNames.display(names.canonical(n), n);
    }

    private Tally tally(java.util.function.Predicate<Outcome> in) {
        Tally t = Tally.EMPTY;
        for (Outcome o : outcomes) {
            if (in.test(o)) {
                t = t.add(o.named(), o.correct());
            }
        }
        return t;
    }

    private Map<String, Tally> slice(Function<Outcome, List<String>> keys) {
        Map<String, Tally> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Outcome o : outcomes) {
            for (String k : keys.apply(o)) {
                out.merge(k, Tally.EMPTY.add(o.named(), o.correct()), (a, b) -> new Tally(a
                        .records() + b.records(), a.named() + b.named(), a.correct()
                                + b
                                        .correct()));
            }
        }
        return out;
    }

    /** Makers, most records first, then by name. */
    List<Map.Entry<String, Tally>> makersByRecords() {
        List<Map.Entry<String, Tally>> rows = new ArrayList<>(byMaker().entrySet());
        rows.sort(Comparator.comparingInt((Map.Entry<String, Tally> e) -> -e.getValue().records())
                .thenComparing(e -> e.getKey().toLowerCase(Locale.ROOT)));
        return rows;
    }
}
