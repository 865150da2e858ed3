package org.camaudit.rules;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fingerprint: a matcher over one or more observation fields and what a match yields. Literal
 * matchers compare case-insensitively unless the rule says otherwise; regex matchers carry their
 * own flags and may capture {@code model} and {@code firmware}.
 */
final class Rule {
    /** How a rule compares a value. */
    enum Kind {
        EXACT, PREFIX, CONTAINS, REGEX, HEX_PREFIX, PRESENT;

        static Kind of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** A real value and what the rule must yield for it (absent keys: not checked). */
    record Example(String value, Map<String, String> expect) {
    }

    final int index;
    final String id;
    final String file;
    final int fileIndex;
    final List<String> fields;
    final Kind kind;
    final String value;
    final boolean caseSensitive;
    final String literal;
    final Pattern pattern;
    final boolean capturesModel;
    final boolean capturesFirmware;
    /** A keyword found anywhere in a value (contains, unanchored regex), not a whole-value shape. */
    final boolean marker;
    /** Lower-case text a value must contain before a regex is tried (a cheap prefilter); or null. */
    final String requires;
    final Yield fixed;
    /** {@code fixed.describe()}, made once: most hits yield exactly the fixed values. */
    final String fixedDescription;
    final double confidence;
    final String source;
    final List<Example> examples;
    final List<String> counterExamples;

    Rule(int index, String id, String file, int fileIndex, List<String> fields, Kind kind,
            String value, boolean caseSensitive, String requires, Yield fixed, double confidence,
            String source, List<Example> examples, List<String> counterExamples) {
        this.index = index;
        this.id = id;
        this.file = file;
        this.fileIndex = fileIndex;
        this.fields = List.copyOf(fields);
        this.kind = kind;
        this.value = value;
        this.caseSensitive = caseSensitive || kind == Kind.HEX_PREFIX;
        this.fixed = fixed;
        this.fixedDescription = fixed.describe();
        this.requires = requires == null || requires.isEmpty()
                ? null
                : requires.toLowerCase(Locale.ROOT);
        this.confidence = confidence;
        this.source = source;
        this.examples = List.copyOf(examples);
        this.counterExamples = List.copyOf(counterExamples);
        this.marker = kind == Kind.CONTAINS || (kind == Kind.REGEX && !value.replaceFirst(
                "^\\(\\?[a-z]+\\)", "").startsWith("^"));
        if (kind == Kind.REGEX) {
            this.pattern = Pattern.compile(value);
            this.literal = null;
            this.capturesModel = value.contains("(?<model>");
            this.capturesFirmware = value.contains("(?<firmware>");
        } else {
            this.pattern = null;
            String v = value == null ? "" : value;
            this.literal = kind == Kind.HEX_PREFIX
                    ? v.toLowerCase(Locale.ROOT)
                    : this.caseSensitive ? v : v.toLowerCase(Locale.ROOT);
            this.capturesModel = false;
            this.capturesFirmware = false;
        }
    }

    /** True when the rule reads any key with this prefix ({@code sadp.*}). */
    static boolean isWildcard(String field) {
        return field.endsWith(".*");
    }

    /**
     * Matches one value; {@code lower} is the value lower-cased (computed once per value by the
     * caller when {@link #needsLower()}). Returns the yield, or null when the rule does not match.
     */
    Yield match(String value, String lower) {
        switch (kind) {
            case PRESENT :
                return fixed;
            case EXACT :
                return (caseSensitive ? value : lower).equals(literal) ? fixed : null;
            case PREFIX :
                return (caseSensitive ? value : lower).startsWith(literal) ? fixed : null;
            case CONTAINS :
                return (caseSensitive ? value : lower).contains(literal) ? fixed : null;
            case HEX_PREFIX :
                return lower.startsWith(literal) ? fixed : null;
            case REGEX :
            default :
                if (requires != null && !lower.contains(requires)) {
                    return null;
                }
                return regex(value);
        }
    }

    /**
     * Matches one value whose literal test is already known to pass (the compiled matcher found
     * the literal, or the regex's {@code requires}, in the lower-cased value): a literal rule's
     * yield, or what the regex makes of the value.
     */
    Yield matchKnownLiteral(String value) {
        return kind == Kind.REGEX ? regex(value) : fixed;
    }

    private Yield regex(String value) {
        Matcher m = pattern.matcher(value);
        if (!m.find()) {
            return null;
        }
        if (!capturesModel && !capturesFirmware) {
            return fixed;
        }
        return new Yield(fixed.brand(), fixed.platform(),
                capturesModel ? group(m, "model").or(fixed::model) : fixed.model(),
                capturesFirmware
                        ? group(m, "firmware").or(fixed::firmware)
                        : fixed.firmware(),
                fixed.type());
    }

    /** True when {@link #match} reads the lower-cased value. */
    boolean needsLower() {
        return kind == Kind.HEX_PREFIX || requires != null || (!caseSensitive
                && (kind == Kind.EXACT || kind == Kind.PREFIX || kind == Kind.CONTAINS));
    }

    private static Optional<String> group(Matcher m, String name) {
        String g = m.group(name);
        return g == null || g.isBlank() ? Optional.empty() : Optional.of(g.strip());
    }

    @Override
    public String toString() {
        return id + " (" + file + ")";
    }
}
