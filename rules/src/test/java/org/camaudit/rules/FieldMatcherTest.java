package org.camaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.api.Test;

/**
 * The differential proof of the compiled matcher: on every value it names every rule that the
 * plain loop ({@link Rule#match} over all rules of the key) finds, a candidate whose literal test
 * the matcher decides yields what {@link Rule#match} yields, and sessions built on either
 * identify alike. Inputs: every example and counter-example of the shipped packs, seeded mutations
 * of them (case, Unicode that lower-cases oddly, noise around, cuts), generated rules of every kind
 * and random regexes.
 */
class FieldMatcherTest {
    static final RulePacks PACKS = RulePacks.shipped();
    static final RuleIndex INDEX = new RuleIndex(PACKS.rules());
    /** Chars whose lower case is unusual: several chars, ASCII from non-ASCII, context-bound. */
    static final String[] ODD = {"\u0130", "\u212A", "\u03A3", "\u00DF", "\uFB01", "\u0307",
            "\uD83D\uDCF7", "\u00C9", "\u0131", "\u017F", "\u2126", "\u00A0", "\t", "\n", "\u0000"};
    static final String[] NOISE = {"", " ", "x", "ABC ", " /1.0", "<b>", "; ", "Server: ",
            "\"", "-", "_", "2.3.4"};

    record Outcome(int compared, int matched, List<String> failures) {
    }

    /** Compares candidates with the plain loop on each value; counts matches seen. */
    static Outcome compare(Rule[] rules, Iterable<String> values) {
        FieldMatcher m = new FieldMatcher("k", rules);
        long[] bits = new long[m.words];
        List<String> failures = new ArrayList<>();
        int compared = 0;
        int matched = 0;
        for (String v : values) {
            String lower = v.toLowerCase(Locale.ROOT);
            m.candidates(v, bits);
            List<Integer> listed = new ArrayList<>();
            for (int p = m.next(bits, 0); p >= 0; p = m.next(bits, p + 1)) {
                listed.add(p);
            }
            for (int p = 0; p < rules.length; p++) {
                compared++;
                Yield plain = rules[p].match(v, lower);
                matched += plain != null ? 1 : 0;
                if (plain != null && !listed.contains(p)) {
                    failures.add(rules[p] + " [" + rules[p].kind + " " + rules[p].value
                            + "] matches '" + v + "' but is not a candidate");
                }
                if (listed.contains(p) && m.knownLiteral(p) && !java.util.Objects.equals(plain,
                        rules[p].matchKnownLiteral(v))) {
                    failures.add(rules[p] + " [" + rules[p].kind + " " + rules[p].value
                            + "] on '" + v + "': known-literal yield differs from match");
                }
            }
            for (int i = 1; i < listed.size(); i++) {
                if (listed.get(i) <= listed.get(i - 1)) {
                    failures.add("candidates out of pack order for '" + v + "': " + listed);
                }
            }
        }
        return new Outcome(compared, matched, failures);
    }

    static List<String> shippedValues() {
        Set<String> out = new LinkedHashSet<>();
        for (Rule r : PACKS.rules()) {
            r.examples.forEach(e -> out.add(e.value()));
            out.addAll(r.counterExamples);
        }
        return new ArrayList<>(out);
    }

    static List<String> mutations(List<String> values, long seed, int each) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(values);
        for (String v : values) {
            for (int i = 0; i < each; i++) {
                out.add(mutate(v, values, rnd));
            }
        }
        return out;
    }

    static String mutate(String v, List<String> all, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(v);
        int steps = 1 + rnd.nextInt(3);
        for (int s = 0; s < steps; s++) {
            int at = sb.isEmpty() ? 0 : rnd.nextInt(sb.length() + 1);
            switch (rnd.nextInt(8)) {
                case 0 -> { // flip the case of a few chars
                    for (int k = 0; k < 3 && !sb.isEmpty(); k++) {
                        int i = rnd.nextInt(sb.length());
                        char c = sb.charAt(i);
                        sb.setCharAt(i, Character.isUpperCase(c)
                                ? Character.toLowerCase(c)
                                : Character.toUpperCase(c));
                    }
                }
                case 1 -> sb.insert(at, ODD[rnd.nextInt(ODD.length)]);
                case 2 -> sb.insert(0, NOISE[rnd.nextInt(NOISE.length)]).append(NOISE[rnd
                        .nextInt(NOISE.length)]);
                case 3 -> {
                    if (!sb.isEmpty()) {
                        sb.deleteCharAt(rnd.nextInt(sb.length()));
                    }
                }
                case 4 -> sb.setLength(rnd.nextInt(sb.length() + 1));
                case 5 -> sb.append(' ').append(all.get(rnd.nextInt(all.size())));
                case 6 -> sb.replace(0, sb.length(), sb.toString().toUpperCase(Locale.ROOT));
                default -> { // a Latin letter replaced by a look-alike that lower-cases to ASCII
                    int i = sb.indexOf("K") >= 0 ? sb.indexOf("K") : sb.indexOf("I");
                    if (i >= 0) {
                        sb.replace(i, i + 1, sb.charAt(i) == 'K' ? "\u212A" : "\u0130");
                    }
                }
            }
        }
        return sb.toString();
    }

    @Test
    void everyShippedKeyAgreesWithThePlainLoopOnExamplesAndMutations() {
        List<String> values = mutations(shippedValues(), 20261203L, 25);
        Set<String> keys = new LinkedHashSet<>();
        PACKS.rules().forEach(r -> r.fields.forEach(f -> keys.add(RulePacksTest.concreteKey(f))));
        int compared = 0;
        int matched = 0;
        List<String> failures = new ArrayList<>();
        for (String key : keys) {
            Outcome o = compare(INDEX.rulesFor(key), values);
            compared += o.compared();
            matched += o.matched();
            failures.addAll(o.failures());
        }
        assertThat(failures).as("compiled matcher vs plain loop").isEmpty();
        assertThat(compared).isGreaterThan(1_000_000);
        assertThat(matched).as("matches seen (the comparison is not vacuous)").isGreaterThan(
                10_000);
    }

    /**
     * Every example of a key's rules put at every offset of a long padded value (128 to 512
     * chars, as page bodies are), with odd chars (non-ASCII, expanding folds) before or after it,
     * must give the plain loop's outcome.
     */
    @Test
    void examplesAtEveryOffsetOfLongValuesAgreeWithThePlainLoop() {
        SplittableRandom rnd = new SplittableRandom(1204);
        List<String> failures = new ArrayList<>();
        int matched = 0;
        for (String key : List.of("http.body", "http.title", "tls.subject", "snmp.sysdescr",
                "dns.query")) {
            Rule[] rules = INDEX.rulesFor(key);
            List<String> examples = new ArrayList<>();
            for (Rule r : rules) {
                r.examples.forEach(e -> examples.add(e.value()));
            }
            List<String> values = new ArrayList<>();
            for (String ex : examples) {
                int len = 128 + rnd.nextInt(384);
                String pad = "lorem ipsum <div> dolor sit amet ".repeat(len / 20 + 1);
                for (int at = 0; at <= len; at += 1 + rnd.nextInt(7)) {
                    String odd = rnd.nextInt(4) == 0 ? ODD[rnd.nextInt(ODD.length)] : "";
                    String before = pad.substring(0, at);
                    String after = pad.substring(0, Math.max(0, len - at));
                    values.add(rnd.nextBoolean()
                            ? before + odd + ex + after
                            : before + ex + odd + after);
                }
            }
            Outcome o = compare(rules, values);
            failures.addAll(o.failures());
            matched += o.matched();
        }
        assertThat(failures).as("long values: compiled matcher vs plain loop").isEmpty();
        assertThat(matched).as("matches seen").isGreaterThan(5_000);
    }

    @Test
    void generatedRulesOfEveryKindAgreeWithThePlainLoop() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> shipped = shippedValues();
        List<String> words = new ArrayList<>();
        for (String v : shipped) {
            for (String w : v.split("[\\s,;=\"/]+")) {
                if (w.length() >= 2 && w.length() <= 20) {
                    words.add(w);
                }
            }
        }
        List<Rule> rules = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Yield y = new Yield(Optional.empty(), Optional.empty(), Optional.of("m"), Optional.empty(),
                Optional.empty());
        for (int i = 0; rules.size() < 600; i++) {
            Rule.Kind kind = Rule.Kind.values()[rnd.nextInt(Rule.Kind.values().length)];
            String word = words.get(rnd.nextInt(words.size()));
            List<String> regex = randomRegex(words, rnd, 4);
            String value = switch (kind) {
                case REGEX -> regex.get(0);
                case PRESENT -> "";
                case HEX_PREFIX -> Integer.toHexString(rnd.nextInt());
                default -> rnd.nextInt(10) == 0
                        ? word + ODD[rnd.nextInt(ODD.length)]
                        : rnd.nextInt(20) == 0 ? "" : word;
            };
            String requires = kind == Rule.Kind.REGEX && rnd.nextInt(5) == 0 ? word : null;
            try {
                rules.add(new Rule(i, "g" + i, "generated.yaml", 0, List.of("k"), kind, value, rnd
                        .nextBoolean(), requires, y, 0.5, "generated", List.of(), List.of()));
                if (kind == Rule.Kind.REGEX) {
                    values.addAll(regex.subList(1, regex.size()));
                }
            } catch (PatternSyntaxException e) {
                // a random regex that does not compile is no rule
            }
        }
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                sb.append(k == 0 ? "" : NOISE[rnd.nextInt(NOISE.length)]).append(words.get(rnd
                        .nextInt(words.size())));
            }
            values.add(sb.toString());
        }
        values = mutations(values, 7, 3);
        Outcome o = compare(rules.toArray(new Rule[0]), values);
        assertThat(o.failures()).as("generated rules: compiled matcher vs plain loop").isEmpty();
        assertThat(o.matched()).as("matches seen").isGreaterThan(5_000);
    }

    /**
     * A random regex of the shapes the packs use, and texts built to match it (each piece
     * written out with a random choice: an optional part left out or kept, a repeat, a class
     * member), so that the rules under test do match.
     */
    static List<String> randomRegex(List<String> words, SplittableRandom rnd, int samples) {
        String[][] pieces = {{"\\s*", "", " ", "  "}, {"[0-9]{2,4}", "12", "1234"},
                {".{0,10}", "", "zz", "a b"}, {"\\b", ""}, {"-?", "", "-"}, {"(?:x|y)?", "",
                        "x", "y"},
                {"\\d+", "7", "42"}, {"[A-Za-z]+", "Q", "ab"}, {"(?=a)",
                        ""},
                {" ?", "", " "}, {"\\.", "."}, {"[^\"]*", "", "q"},
                {"(?m)^", ""}, {"$", ""}};
        boolean ci = rnd.nextInt(3) == 0;
        StringBuilder re = new StringBuilder(ci ? "(?i)" : "");
        List<StringBuilder> texts = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            texts.add(new StringBuilder());
        }
        if (rnd.nextInt(4) == 0) {
            re.append('^');
        }
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            String w = words.get(rnd.nextInt(words.size()));
            String w2 = words.get(rnd.nextInt(words.size()));
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    String[] p = pieces[rnd.nextInt(pieces.length)];
                    re.append(p[0]);
                    texts.forEach(t -> t.append(p[1 + rnd.nextInt(p.length - 1)]));
                }
                case 1 -> {
                    re.append("(?:").append(Pattern.quote(w)).append('|').append(escaped(w2))
                            .append(')');
                    texts.forEach(t -> t.append(rnd.nextBoolean() ? w : w2));
                }
                case 2 -> {
                    re.append("(?<model>").append(escaped(w)).append("[A-Z0-9-]*)");
                    texts.forEach(t -> t.append(w).append(rnd.nextBoolean() ? "" : "X-1"));
                }
                case 3 -> {
                    boolean plus = rnd.nextBoolean();
                    re.append(escaped(w)).append(plus ? "+" : "?");
                    String last = w.substring(w.length() - 1);
                    String cut = w.substring(0, w.length() - 1);
                    texts.forEach(t -> t.append(plus
                            ? w + last.repeat(rnd.nextInt(3))
                            : rnd.nextBoolean() ? w : cut));
                }
                default -> {
                    re.append(escaped(w));
                    texts.forEach(t -> t.append(w));
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(re.toString());
        for (StringBuilder t : texts) {
            out.add(ci && rnd.nextBoolean()
                    ? t.toString().toUpperCase(Locale.ROOT)
                    : t
                            .toString());
        }
        return out;
    }

    /** A word as regex text: letters and digits as they are, other chars escaped. */
    static String escaped(String w) {
        StringBuilder sb = new StringBuilder();
        for (char c : w.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c >= 128 ? "" : "\\").append(c);
        }
        return sb.toString();
    }

    @Test
    void sessionsOnTheCompiledMatcherAndOnThePlainLoopIdentifyAlike() {
        SplittableRandom rnd = new SplittableRandom(99);
        List<String> values = mutations(shippedValues(), 5, 2);
        List<String> keys = new ArrayList<>();
        PACKS.rules().forEach(r -> r.fields.forEach(f -> keys.add(RulePacksTest.concreteKey(f))));
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Observation.Builder b = Observation.builder(Source.ACTIVE, "127.0." + (i % 400 / 200)
                    + "." + (1 + i % 200)).protocol("t").port(80).transport(Transport.TCP);
            int fields = 1 + rnd.nextInt(4);
            for (int f = 0; f < fields; f++) {
                b.field(keys.get(rnd.nextInt(keys.size())), values.get(rnd.nextInt(values
                        .size())));
            }
            obs.add(b.build());
        }
        List<Identification> plain = new IdentificationEngine(PACKS, true).identify(obs);
        List<Identification> compiled = new IdentificationEngine(PACKS, false).identify(obs);
        assertThat(compiled).isEqualTo(plain);
        assertThat(plain.stream().filter(id -> !id.evidence().isEmpty()).count()).isGreaterThan(
                300);
    }

    @Test
    void requiredLiteralsOfKnownShapes() {
        Map<String, Optional<List<String>>> cases = Map.ofEntries(
                Map.entry("(?i)\\bhik ?vision\\b", Optional.of(List.of("vision"))),
                Map.entry("myboschcam\\.net|O=Bosch Sicherheitssysteme", Optional.of(List.of(
                        "myboschcam.net", "o=bosch sicherheitssysteme"))),
                Map.entry("^(?<model>i?DS-2CD[0-9A-Z][0-9A-Z()/-]*)", Optional.of(List.of(
                        "ds-2cd"))),
                Map.entry("x(?:abcd|abce)+y", Optional.of(List.of("abcd", "abce"))),
                Map.entry("Copyright[^\\n]{0,40}Amcrest Technologies", Optional.of(List.of(
                        "amcrest technologies"))),
                Map.entry("realm=\"IP Camera\\([0-9A-Za-z]+\\)\"", Optional.of(List.of(
                        "realm=\"ip camera("))),
                Map.entry("abc(?=defgh)", Optional.of(List.of("abc"))),
                Map.entry("(?i)^(dahua|dh)$", Optional.of(List.of("dahua", "dh"))),
                Map.entry("(?i)^(dahua|d)$", Optional.empty()),
                Map.entry("\\bHP\\b|(?i:\\bjetdirect\\b)", Optional.of(List.of("hp",
                        "jetdirect"))),
                Map.entry("^\\s*2N(?: Telekomunikace)?(?:\\s|$)", Optional.of(List.of("2n"))),
                Map.entry("(?i)(?:^|[\\s,.])(?:\\Qhik-connect.com\\E|\\Qys7.com\\E)\\.?(?:,|\\s*$)",
                        Optional.of(List.of("hik-connect.com", "ys7.com"))),
                Map.entry("\\Qab\\E*cde", Optional.of(List.of("cde"))),
                Map.entry("\\Qab\\E{2}", Optional.empty()),
                Map.entry("x\\Qa.b", Optional.of(List.of("xa.b"))),
                Map.entry("\\Q\\Eabc", Optional.empty()),
                Map.entry("abcde?f", Optional.of(List.of("abcd"))),
                Map.entry("(?x)abc", Optional.empty()),
                Map.entry("(?u)abc", Optional.empty()),
                Map.entry("\\Qabc\\E", Optional.of(List.of("abc"))),
                Map.entry("(abc)\\1", Optional.empty()),
                Map.entry("\\x41bcd", Optional.empty()),
                Map.entry("abc|.*", Optional.empty()),
                Map.entry("(?:abcd)?efg", Optional.of(List.of("efg"))),
                Map.entry("[]abc]def", Optional.empty()),
                Map.entry("caf\u00e9s", Optional.of(List.of("caf"))));
        cases.forEach((re, expected) -> assertThat(RequiredLiterals.of(re)).as(re).isEqualTo(
                expected));
    }

    @Test
    void theBrandRegexesOnEveryDefaultFieldRunOnlyWhenTheirNameIsInTheValue() {
        FieldMatcher title = INDEX.matcherFor("onvif.manufacturer");
        long regexes = java.util.Arrays.stream(title.rules).filter(r -> r.kind == Rule.Kind.REGEX)
                .count();
        assertThat(regexes).isGreaterThan(20);
        long[] bits = new long[title.words];
        title.candidates("Some Unknown Maker Ltd.", bits);
        int candidates = 0;
        for (int p = title.next(bits, 0); p >= 0; p = title.next(bits, p + 1)) {
            candidates++;
        }
        assertThat(candidates).as("candidates for a value no rule names").isLessThan(3);
    }

    @Test
    void aKeyARuleNamesStaysCompiledAfterADeviceInventsManyKeys() {
        RuleIndex index = new RuleIndex(PACKS.rules());
        for (int i = 0; i < 25_000; i++) {
            index.matcherFor("sadp.Invented" + i);
        }
        assertThat(index.matcherFor("http.title")).isSameAs(index.matcherFor("http.title"));
    }
}
