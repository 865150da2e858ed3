package org.camaudit.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rules by the field key they read, in pack order, so a value is only compared with the rules that
 * read its key and a field no rule reads costs one map lookup. Family rules ({@code sadp.*}) join
 * every key of their family. Each key's rules are compiled once into a {@link FieldMatcher}.
 */
final class RuleIndex {
    private static final Rule[] NONE = new Rule[0];
    private static final FieldMatcher NO_RULES = new FieldMatcher("", NONE);
    private static final int MAX_CACHED_KEYS = 20_000;

    private final Map<String, List<Rule>> exact = new HashMap<>();
    private final Map<String, List<Rule>> families = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, FieldMatcher> cache = new ConcurrentHashMap<>();

    RuleIndex(List<Rule> rules) {
        for (Rule r : rules) {
            for (String f : r.fields) {
                if (Rule.isWildcard(f)) {
                    families.computeIfAbsent(f.substring(0, f.length() - 1), k -> new ArrayList<>())
                            .add(r);
                } else {
                    exact.computeIfAbsent(f, k -> new ArrayList<>()).add(r);
                }
            }
        }
    }

    /** The rules that read {@code key}, in pack order. */
    Rule[] rulesFor(String key) {
        return matcherFor(key).rules;
    }

    /** The rules that read {@code key}, compiled; a key no rule reads gets an empty matcher. */
    FieldMatcher matcherFor(String key) {
        FieldMatcher m = cache.get(key);
        if (m != null) {
            return m;
        }
        Rule[] r = compute(key);
        m = r.length == 0 ? NO_RULES : new FieldMatcher(key, r);
        // keys a rule names are few and costly to compile: always kept; other keys (a family's
        // members, unknown fields) up to a bound, so a device inventing keys cannot grow it
        if (exact.containsKey(key) || cache.size() < MAX_CACHED_KEYS) {
            cache.put(key, m);
        }
        return m;
    }

    private Rule[] compute(String key) {
        List<Rule> out = new ArrayList<>(exact.getOrDefault(key, List.of()));
        for (Map.Entry<String, List<Rule>> f : families.entrySet()) {
            if (key.startsWith(f.getKey())) {
                out.addAll(f.getValue());
            }
        }
        if (out.isEmpty()) {
            return NONE;
        }
        out.sort(Comparator.comparingInt(x -> x.index));
        return out.toArray(NONE);
    }
}
