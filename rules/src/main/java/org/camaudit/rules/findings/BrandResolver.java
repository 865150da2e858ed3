package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camaudit.rules.OemLink;
import org.camaudit.rules.RulePacks;
import org.camaudit.rules.Vendor;

/**
 * Brand names as people write them in quotes and bills of materials ("HIK VISION", "hikvision
 * digital", "Dahua Technology", "ANNKE") to canonical vendors, and the platform makers behind
 * them (vendors.yaml parents, oem.yaml links of strong and medium strength).
 */
public final class BrandResolver {
    private static final List<String> NOISE = List.of("digital technology", "technology",
            "technologies", "digital", "co ltd", "co", "ltd", "limited", "inc", "corp",
            "corporation", "company", "group", "security", "international", "gmbh", "llc", "sa",
            "ab", "usa", "us", "electronics");

    private final RulePacks rules;
    private final Map<String, String> byKey = new LinkedHashMap<>();

    public BrandResolver(RulePacks rules) {
        this.rules = rules;
        for (Vendor v : rules.vendors().values()) {
            byKey.putIfAbsent(key(v.name()), v.name());
            byKey.putIfAbsent(key(v.legalName()), v.name());
        }
        byKey.put(key("Samsung Techwin"), "Hanwha");
        byKey.put(key("Hanwha Techwin"), "Hanwha");
        byKey.put(key("UNV"), "Uniview");
        byKey.put(key("i-PRO"), "Panasonic");
        byKey.put(key("TPLink"), "TP-Link");
        byKey.put(key("XM"), "Xiongmai");
    }

    /** Lower case, letters and digits only, legal-form words removed. */
    static String key(String name) {
        return words(name).replace(" ", "");
    }

    /** As {@link #key} with the words still apart. */
    private static String words(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String n : NOISE) {
                if (s.endsWith(" " + n)) {
                    s = s.substring(0, s.length() - n.length() - 1).strip();
                    changed = true;
                }
                if (s.startsWith("zhejiang ") || s.startsWith("hangzhou ")) {
                    s = s.substring(s.indexOf(' ') + 1);
                    changed = true;
                }
            }
        }
        return s;
    }

    /** The canonical vendor a brand text names, if any. */
    public Optional<String> vendor(String brandText) {
        String k = key(brandText);
        if (k.isEmpty()) {
            return Optional.empty();
        }
        String exact = byKey.get(k);
        if (exact != null) {
            return Optional.of(exact);
        }
        // "Hikvision DS-2CD..." or "Uniview Technologies Hangzhou": the longest known name that
        // the text starts with, ending where a word of the text ends, so that a similar-sounding
        // company ("Cloud Walker" for CloudWalk, "Unifi" for Uniview) is not taken for it
        Set<Integer> ends = new java.util.HashSet<>();
        int at = 0;
        for (String w : words(brandText).split(" ")) {
            at += w.length();
            ends.add(at);
        }
        String best = null;
        int bestLength = 0;
        for (Map.Entry<String, String> e : byKey.entrySet()) {
            int n = e.getKey().length();
            if (n >= 3 && n > bestLength && k.startsWith(e.getKey()) && ends.contains(n)) {
                best = e.getValue();
                bestLength = n;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The platform makers behind a canonical vendor: its ownership group root when it is itself a
     * platform maker, plus strong and medium OEM links; the vendor itself when none.
     */
    public List<String> platforms(String vendor) {
        Set<String> out = new LinkedHashSet<>();
        for (OemLink l : rules.oemLinks()) {
            if (l.brand().equals(vendor) && l.strength() != OemLink.Strength.WEAK) {
                out.add(l.platform());
            }
        }
        if (out.isEmpty()) {
            out.add(vendor);
        }
        return new ArrayList<>(out);
    }
}
