package org.camaudit.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of one field key compiled into one pass over a value. It does not decide matches: it
 * names the candidates, a set of rule positions (pack order) that holds every rule that can match
 * the value, and the caller runs {@link Rule#match} on those alone, in order. So the outcome is the
 * plain loop's, only the rules that cannot match are skipped.
 *
 * <ul>
 * <li>exact and prefix literals: a trie walked from the value's first char;</li>
 * <li>contains literals and the literals a regex needs (its {@code requires}, else
 * {@link RequiredLiterals}): one Aho-Corasick automaton run over the value;</li>
 * <li>everything else (present, regexes with no literal, non-ASCII literals): always a
 * candidate.</li>
 * </ul>
 * All literals are lower-case ASCII and are compared with the value lower-cased as
 * {@link String#toLowerCase(Locale)} with {@link Locale#ROOT} does it. The value is folded char by
 * char with a table made from that same method; the few chars whose lower case is several chars
 * with ASCII among them (U+0130) make the matcher lower-case the whole value and start again.
 * Immutable and thread-safe.
 */
final class FieldMatcher {
    /** Fold of a char that lower-cases to no ASCII char: it ends every literal. */
    private static final char BREAK = 128;
    /** Fold of a char whose lower case is several chars, some ASCII. */
    private static final char EXPANDS = 129;
    private static final char[] FOLD = new char[Character.MAX_VALUE + 1];

    static {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String lower = String.valueOf((char) c).toLowerCase(Locale.ROOT);
            if (lower.length() == 1 && lower.charAt(0) < 128) {
                FOLD[c] = lower.charAt(0);
            } else if (lower.chars().allMatch(x -> x >= 128)) {
                FOLD[c] = BREAK;
            } else {
                FOLD[c] = EXPANDS;
            }
        }
    }

    final Rule[] rules;
    /** The key under which a device files each rule's hit on this field (rule id, field). */
    final String[] hitKeys;
    /** Longs needed for a bit set over {@link #rules}. */
    final int words;
    private final long[] always;
    /**
     * Rules whose whole literal test is the filter (a case-insensitive ASCII exact, prefix or
     * contains; a regex filtered by its own {@code requires}): as a candidate, that test has
     * passed, so {@link Rule#matchKnownLiteral} gives its outcome without the lower-cased value.
     */
    private final long[] known;
    private final Node trie;
    private final Automaton contains;

    FieldMatcher(String field, Rule[] rules) {
        this.rules = rules.clone();
        this.hitKeys = new String[rules.length];
        for (int p = 0; p < rules.length; p++) {
            hitKeys[p] = rules[p].kind == Rule.Kind.PRESENT
                    ? rules[p].id
                    : rules[p].id + "|" + field;
        }
        this.words = Math.max(1, (rules.length + 63) >>> 6);
        this.always = new long[words];
        this.known = new long[words];
        TrieBuilder t = new TrieBuilder();
        Map<String, List<Integer>> literals = new LinkedHashMap<>();
        for (int p = 0; p < rules.length; p++) {
            Rule r = rules[p];
            switch (r.kind) {
                case EXACT, PREFIX, HEX_PREFIX -> {
                    String key = filterKey(r.literal);
                    if (key == null || key.isEmpty()) {
                        set(always, p);
                    } else {
                        t.add(key, p, r.kind == Rule.Kind.EXACT);
                        if (!r.caseSensitive) {
                            set(known, p);
                        }
                    }
                }
                case CONTAINS -> {
                    String key = filterKey(r.literal);
                    if (key == null || key.isEmpty()) {
                        set(always, p);
                    } else {
                        literals.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                        if (!r.caseSensitive) {
                            set(known, p);
                        }
                    }
                }
                case REGEX -> {
                    boolean own = r.requires != null && ascii(r.requires);
                    Optional<List<String>> needed = own
                            ? Optional.of(List.of(r.requires))
                            : RequiredLiterals.of(r.value);
                    if (needed.isEmpty()) {
                        set(always, p);
                    } else {
                        for (String l : needed.get()) {
                            literals.computeIfAbsent(l, k -> new ArrayList<>()).add(p);
                        }
                        if (own) {
                            set(known, p);
                        }
                    }
                }
                default -> set(always, p);
            }
        }
        this.trie = t.root.isEmpty() ? null : t.root.freeze();
        this.contains = literals.isEmpty() ? null : new Automaton(literals);
    }

    /**
     * The lower-case ASCII text a value must hold for the literal to match, or null when the
     * literal is not ASCII (the rule is then always a candidate). A case-sensitive literal in
     * ASCII needs its lower case in the lower-cased value too.
     */
    private static String filterKey(String literal) {
        if (literal == null || !ascii(literal)) {
            return null;
        }
        return literal.toLowerCase(Locale.ROOT);
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static void set(long[] bits, int p) {
        bits[p >>> 6] |= 1L << p;
    }

    /** Every rule position: the plain loop. {@code bits} has at least {@link #words} longs. */
    void all(long[] bits) {
        Arrays.fill(bits, 0, words, 0L);
        for (int p = 0; p < rules.length; p++) {
            set(bits, p);
        }
    }

    /** Sets the candidates for {@code value} in {@code bits} (at least {@link #words} longs). */
    void candidates(String value, long[] bits) {
        System.arraycopy(always, 0, bits, 0, words);
        if (!walk(value, false, bits) || !scan(value, false, bits)) {
            String lower = value.toLowerCase(Locale.ROOT);
            walk(lower, true, bits);
            scan(lower, true, bits);
        }
    }

    /** True when a candidate at {@code p} has passed its literal test (see {@link #known}). */
    boolean knownLiteral(int p) {
        return (known[p >>> 6] & (1L << p)) != 0;
    }

    /** The next set position at or after {@code from}, or -1. */
    int next(long[] bits, int from) {
        int w = from >>> 6;
        if (w >= words) {
            return -1;
        }
        long b = bits[w] & (-1L << from);
        while (true) {
            if (b != 0) {
                int p = (w << 6) + Long.numberOfTrailingZeros(b);
                return p < rules.length ? p : -1;
            }
            if (++w >= words) {
                return -1;
            }
            b = bits[w];
        }
    }

    /** The folded char of {@code text} at {@code i}: ASCII lower case, BREAK or EXPANDS. */
    private static char fold(String text, int i, boolean lowered) {
        char c = text.charAt(i);
        return lowered && c >= 128 ? BREAK : FOLD[c];
    }

    /** Exact and prefix literals; false when the value must be lower-cased first. */
    private boolean walk(String text, boolean lowered, long[] bits) {
        if (trie == null) {
            return true;
        }
        Node n = trie;
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char f = fold(text, i, lowered);
            if (f == EXPANDS) {
                return false;
            }
            n = f == BREAK ? null : n.child(f);
            if (n == null) {
                return true;
            }
            mark(n.prefix, bits);
        }
        mark(n.exact, bits);
        return true;
    }

    /**
     * Contains literals and regex literals; false when the value must be lower-cased first. An
     * ASCII char's class is read from one table ({@code ascii}); others fold first.
     */
    private boolean scan(String text, boolean lowered, long[] bits) {
        Automaton a = contains;
        if (a == null) {
            return true;
        }
        int s = 0;
        int len = text.length();
        int[] delta = a.delta;
        int[] ascii = a.ascii;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            int k = c < 128 ? ascii[c] : a.wide(c, lowered);
            if (k < 0) {
                return false;
            }
            int t = delta[s + k];
            if (t < 0) {
                t = ~t;
                mark(a.out[t / a.width], bits);
            }
            s = t;
        }
        return true;
    }

    private static void mark(int[] positions, long[] bits) {
        if (positions != null) {
            for (int p : positions) {
                bits[p >>> 6] |= 1L << p;
            }
        }
    }

    /** A frozen trie node: children by folded char, the rules whose literal ends here. */
    private static final class Node {
        final char[] keys;
        final Node[] next;
        final int[] prefix;
        final int[] exact;

        Node(char[] keys, Node[] next, int[] prefix, int[] exact) {
            this.keys = keys;
            this.next = next;
            this.prefix = prefix;
            this.exact = exact;
        }

        Node child(char c) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == c) {
                    return next[i];
                }
            }
            return null;
        }
    }

    private static final class TrieBuilder {
        final Building root = new Building();

        void add(String key, int position, boolean exact) {
            Building n = root;
            for (int i = 0; i < key.length(); i++) {
                n = n.children.computeIfAbsent(key.charAt(i), k -> new Building());
            }
            (exact ? n.exact : n.prefix).add(position);
        }
    }

    private static final class Building {
        final Map<Character, Building> children = new LinkedHashMap<>();
        final List<Integer> prefix = new ArrayList<>();
        final List<Integer> exact = new ArrayList<>();

        boolean isEmpty() {
            return children.isEmpty() && prefix.isEmpty() && exact.isEmpty();
        }

        Node freeze() {
            char[] keys = new char[children.size()];
            Node[] next = new Node[children.size()];
            int i = 0;
            for (Map.Entry<Character, Building> e : children.entrySet()) {
                keys[i] = e.getKey();
                next[i++] = e.getValue().freeze();
            }
            return new Node(keys, next, ints(prefix), ints(exact));
        }
    }

    private static int[] ints(List<Integer> list) {
        return list.isEmpty() ? null : list.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Aho-Corasick over the lower-case ASCII literals, as a full transition table over the chars
     * the literals use (every other char is class 0 and leads back to the root). A table entry is
     * the next state times {@link #width}, complemented when that state ends a literal.
     */
    private static final class Automaton {
        final int[] classes = new int[BREAK + 1];
        /** The class of each ASCII char as it folds ({@code classes[FOLD[c]]}). */
        final int[] ascii = new int[128];
        final int width;
        final int[] delta;
        final int[][] out;

        Automaton(Map<String, List<Integer>> literals) {
            int k = 1;
            for (String l : literals.keySet()) {
                for (int i = 0; i < l.length(); i++) {
                    char c = l.charAt(i);
                    if (classes[c] == 0) {
                        classes[c] = k++;
                    }
                }
            }
            this.width = k;
            for (int c = 0; c < 128; c++) {
                ascii[c] = classes[FOLD[c]];
            }
            List<int[]> go = new ArrayList<>();
            List<List<Integer>> outs = new ArrayList<>();
            go.add(filled(k));
            outs.add(new ArrayList<>());
            for (Map.Entry<String, List<Integer>> e : literals.entrySet()) {
                int s = 0;
                for (int i = 0; i < e.getKey().length(); i++) {
                    int c = classes[e.getKey().charAt(i)];
                    if (go.get(s)[c] < 0) {
                        go.get(s)[c] = go.size();
                        go.add(filled(k));
                        outs.add(new ArrayList<>());
                    }
                    s = go.get(s)[c];
                }
                outs.get(s).addAll(e.getValue());
            }
            int states = go.size();
            int[] fail = new int[states];
            int[][] full = new int[states][];
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            full[0] = go.get(0).clone();
            for (int c = 0; c < k; c++) {
                if (full[0][c] < 0) {
                    full[0][c] = 0;
                } else {
                    fail[full[0][c]] = 0;
                    queue.add(full[0][c]);
                }
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                outs.get(s).addAll(outs.get(fail[s]));
                full[s] = go.get(s).clone();
                for (int c = 0; c < k; c++) {
                    int t = full[s][c];
                    if (t < 0) {
                        full[s][c] = full[fail[s]][c];
                    } else {
                        fail[t] = full[fail[s]][c];
                        queue.add(t);
                    }
                }
            }
            this.out = new int[states][];
            for (int s = 0; s < states; s++) {
                out[s] = outs.get(s).isEmpty()
                        ? null
                        : outs.get(s).stream().mapToInt(Integer::intValue).distinct().toArray();
            }
            this.delta = new int[states * k];
            for (int s = 0; s < states; s++) {
                for (int c = 0; c < k; c++) {
                    int t = full[s][c];
                    delta[s * k + c] = out[t] == null ? t * k : ~(t * k);
                }
            }
        }

        /**
         * The class of a non-ASCII char: that of its ASCII fold, 0 (no literal char) when it
         * folds to no ASCII char or the text is lower-cased already, -1 when it expands.
         */
        int wide(char c, boolean lowered) {
            if (lowered) {
                return 0;
            }
            char f = FOLD[c];
            return f == EXPANDS ? -1 : classes[f];
        }

        private static int[] filled(int k) {
            int[] row = new int[k];
            Arrays.fill(row, -1);
            return row;
        }
    }
}
