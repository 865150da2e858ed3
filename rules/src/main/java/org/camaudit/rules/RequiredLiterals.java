package org.camaudit.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The literal text a regex cannot match without: a set of lower-case ASCII strings such that every
 * match of the regex, lower-cased, contains at least one of them ({@code (?i)\bhik ?vision\b} needs
 * {@code vision}; {@code myboschcam\.net|O=Bosch} needs {@code myboschcam.net} or
 * {@code o=bosch}). The identification engine runs a regex only on values that contain one.
 *
 * <p>
 * Conservative by construction: anything this reader does not fully understand (Unicode case
 * folding, comments mode, quoting, back-references, unusual escapes) gives no literals, and the
 * regex then runs on every value as before. Only ASCII text counts as literal, because Java's
 * {@code (?i)} folds ASCII only and lower-casing an ASCII letter never depends on its neighbours.
 */
final class RequiredLiterals {
    /**
     * Shorter literals filter too little to be worth it. Two chars is enough: the literals of a
     * key are found by one automaton pass over the value whatever their number and length, so a
     * short literal costs nothing to look for, and {@code \bHP\b} or {@code ^\s*2N} then run
     * on the few values holding "hp" or "2n" instead of on every value of twenty fields.
     */
    static final int MIN_LENGTH = 2;

    private final String re;
    private int pos;

    private RequiredLiterals(String re) {
        this.re = re;
    }

    /** The literals, or empty when the regex has none of at least {@link #MIN_LENGTH} chars. */
    static Optional<List<String>> of(String regex) {
        Set<String> found;
        try {
            RequiredLiterals p = new RequiredLiterals(regex);
            found = p.alternation();
            if (p.pos != regex.length()) {
                return Optional.empty();
            }
        } catch (Unsupported e) {
            return Optional.empty();
        }
        if (found == null || found.stream().anyMatch(s -> s.length() < MIN_LENGTH)) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(found));
    }

    /** Thrown inside the reader for syntax it does not handle; never escapes {@link #of}. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Branches separated by {@code |} until {@code )} or the end: the union, or null if any has none. */
    private Set<String> alternation() {
        Set<String> union = new LinkedHashSet<>();
        boolean all = true;
        while (true) {
            Set<String> branch = sequence();
            if (branch == null) {
                all = false;
            } else {
                union.addAll(branch);
            }
            if (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                continue;
            }
            return all ? union : null;
        }
    }

    /**
     * One branch: every atom of it is needed, so the best needed set of any atom serves. A run of
     * literal characters with only zero-width assertions between them is one needed string.
     */
    private Set<String> sequence() {
        List<Set<String>> needed = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            if (re.startsWith("\\Q", pos)) {
                quoted(run, needed);
                continue;
            }
            Atom a = atom();
            int min = quantifier();
            if (a.zeroWidth && min == 1 && a.literal < 0) {
                continue; // ^ $ \b and inline flags consume nothing: the run goes on
            }
            if (a.literal >= 0 && min == 1) {
                run.append((char) a.literal);
                continue;
            }
            end(run, needed);
            if (a.needed != null && min >= 1) {
                needed.add(a.needed);
            }
        }
        end(run, needed);
        Set<String> best = null;
        for (Set<String> s : needed) {
            if (best == null || score(s) > score(best)) {
                best = s;
            }
        }
        return best;
    }

    /**
     * {@code \Q...\E}: every quoted char is a literal (Java quotes by escaping each one), so a
     * quantifier after it applies to the last char alone; the quote runs to the end of the regex
     * when no {@code \E} closes it. An empty quote is not read.
     */
    private void quoted(StringBuilder run, List<Set<String>> needed) {
        int close = re.indexOf("\\E", pos + 2);
        String text = close < 0 ? re.substring(pos + 2) : re.substring(pos + 2, close);
        if (text.isEmpty()) {
            throw new Unsupported();
        }
        pos = close < 0 ? re.length() : close + 2;
        for (int i = 0; i < text.length() - 1; i++) {
            literalAtom(Atom.of(text.charAt(i)), 1, run, needed);
        }
        literalAtom(Atom.of(text.charAt(text.length() - 1)), quantifier(), run, needed);
    }

    /** A char atom with its quantifier's minimum: the run goes on, or ends. */
    private static void literalAtom(Atom a, int min, StringBuilder run, List<Set<String>> needed) {
        if (a.literal >= 0 && min == 1) {
            run.append((char) a.literal);
        } else {
            end(run, needed);
        }
    }

    private static void end(StringBuilder run, List<Set<String>> needed) {
        if (!run.isEmpty()) {
            needed.add(Set.of(run.toString()));
            run.setLength(0);
        }
    }

    /** The shortest string of a set decides how well it filters. */
    private static int score(Set<String> s) {
        int min = Integer.MAX_VALUE;
        for (String x : s) {
            min = Math.min(min, x.length());
        }
        return min * 16 - Math.min(15, s.size());
    }

    /** What one atom consumes: a known ASCII char, a group with a needed set, or anything. */
    private record Atom(int literal, Set<String> needed, boolean zeroWidth) {
        static final Atom ANY = new Atom(-1, null, false);
        static final Atom EMPTY = new Atom(-1, null, true);

        static Atom of(char c) {
            return c < 128 ? new Atom(Character.toLowerCase(c), null, false) : ANY;
        }
    }

    private Atom atom() {
        char c = re.charAt(pos++);
        switch (c) {
            case '.' :
                return Atom.ANY;
            case '^', '$' :
                return Atom.EMPTY;
            case '[' :
                skipClass();
                return Atom.ANY;
            case '(' :
                return group();
            case '\\' :
                return escape();
            case '*', '+', '?', '{' :
                throw new Unsupported();
            default :
                return Atom.of(c);
        }
    }

    private Atom escape() {
        if (pos >= re.length()) {
            throw new Unsupported();
        }
        char c = re.charAt(pos++);
        if (c == 'b' && pos < re.length() && re.charAt(pos) == '{') {
            throw new Unsupported(); // \b{g}
        }
        switch (c) {
            case 'b', 'B', 'A', 'z', 'Z', 'G' :
                return Atom.EMPTY;
            case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 'R', 'X', 't', 'n', 'r', 'f',
                    'a', 'e' :
                return Atom.ANY;
            default :
                if (Character.isLetterOrDigit(c) || c >= 128) {
                    throw new Unsupported(); // p{..}, x.., u-escapes, Q..E, k<..>, back-references
                }
                return Atom.of(c);
        }
    }

    /** Skips {@code [...]} with nested classes and escapes; a class is one unknown char. */
    private void skipClass() {
        if (pos < re.length() && re.charAt(pos) == '^') {
            pos++;
        }
        if (pos < re.length() && re.charAt(pos) == ']') {
            throw new Unsupported();
        }
        int depth = 1;
        while (pos < re.length()) {
            char c = re.charAt(pos++);
            if (c == '\\') {
                if (pos >= re.length() || re.charAt(pos) == 'Q') {
                    throw new Unsupported();
                }
                pos++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return;
            }
        }
        throw new Unsupported();
    }

    private Atom group() {
        boolean lookaround = false;
        if (pos < re.length() && re.charAt(pos) == '?') {
            pos++;
            char k = pos < re.length() ? re.charAt(pos) : ')';
            if (k == ':' || k == '>') {
                pos++;
            } else if (k == '=' || k == '!') {
                pos++;
                lookaround = true;
            } else if (k == '<') {
                pos++;
                char n = pos < re.length() ? re.charAt(pos) : ')';
                if (n == '=' || n == '!') {
                    pos++;
                    lookaround = true;
                } else {
                    while (pos < re.length() && Character.isLetterOrDigit(re.charAt(pos))) {
                        pos++;
                    }
                    expect('>');
                }
            } else {
                // inline flags (?imsd-imsd) or (?imsd-imsd:X); others change what text matches
                while (pos < re.length() && "imsd-".indexOf(re.charAt(pos)) >= 0) {
                    pos++;
                }
                if (pos < re.length() && re.charAt(pos) == ')') {
                    pos++;
                    return Atom.EMPTY;
                }
                expect(':');
            }
        }
        Set<String> inside = alternation();
        expect(')');
        return lookaround ? Atom.ANY : new Atom(-1, inside, false);
    }

    private void expect(char c) {
        if (pos >= re.length() || re.charAt(pos) != c) {
            throw new Unsupported();
        }
        pos++;
    }

    /** The minimum count of a quantifier after an atom (1 when there is none). */
    private int quantifier() {
        if (pos >= re.length()) {
            return 1;
        }
        char c = re.charAt(pos);
        int min;
        if (c == '*' || c == '?') {
            pos++;
            min = 0;
        } else if (c == '+') {
            pos++;
            min = 2; // at least one, but not exactly one: the run cannot go on through it
        } else if (c == '{') {
            int close = re.indexOf('}', pos);
            if (close < 0) {
                throw new Unsupported();
            }
            String body = re.substring(pos + 1, close);
            if (!body.matches("[0-9]{1,4}(,[0-9]{0,4})?")) {
                throw new Unsupported();
            }
            pos = close + 1;
            String[] parts = body.split(",", -1);
            int lo = Integer.parseInt(parts[0]);
            boolean exactOne = lo == 1 && parts.length == 1;
            min = lo == 0 ? 0 : exactOne ? 1 : 2;
        } else {
            return 1;
        }
        if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
            pos++;
        }
        return min;
    }
}
