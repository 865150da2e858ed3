package org.camaudit.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.camaudit.knowledge.KnowledgePacks;

/**
 * MAC prefix to registrant, from the generated {@code oui/oui.tsv}: MA-S (36-bit) blocks are tried
 * first, then MA-M (28-bit), then MA-L (24-bit). Locally administered addresses (bit 0x02 of the
 * first octet set) are randomised or assigned by software and name no vendor.
 */
public final class OuiTable {
    /** One registry row; {@code vendor} is the canonical vendor name when it is one we cover. */
    public record Entry(String prefix, String registry, String organization,
            Optional<String> vendor) {
    }

    private final Map<Long, Entry> small = new HashMap<>();
    private final Map<Long, Entry> medium = new HashMap<>();
    private final Map<Long, Entry> large = new HashMap<>();

    private OuiTable() {
    }

    static OuiTable load() {
        OuiTable t = new OuiTable();
        InputStream in = KnowledgePacks.open(KnowledgePacks.OUI).orElseThrow(
                () -> new RulePackException(KnowledgePacks.OUI + " is missing from the build"));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in,
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length != 4) {
                    throw new RulePackException(KnowledgePacks.OUI + ":" + number
                            + ": expected 4 tab-separated cells");
                }
                Entry e = new Entry(c[0], c[1], c[2], c[3].isEmpty()
                        ? Optional.empty()
                        : Optional.of(c[3]));
                long key = Long.parseLong(c[0], 16);
                switch (c[0].length()) {
                    case 9 -> t.small.put(key, e);
                    case 7 -> t.medium.put(key, e);
                    case 6 -> t.large.put(key, e);
                    default -> throw new RulePackException(KnowledgePacks.OUI + ":" + number
                            + ": prefix " + c[0] + " is not 6, 7 or 9 hex digits");
                }
            }
        } catch (IOException e) {
            throw new RulePackException("cannot read " + KnowledgePacks.OUI, e);
        }
        return t;
    }

    /** The registrant of a MAC (any common notation); empty if unknown or locally administered. */
    public Optional<Entry> lookup(String mac) {
        // the MAC's ASCII hex digits, whatever separates them, read without a regex
        long value = 0;
        int digits = 0;
        for (int i = 0; i < mac.length(); i++) {
            char c = mac.charAt(i);
            int d = c >= '0' && c <= '9'
                    ? c - '0'
                    : c >= 'a' && c <= 'f'
                            ? c - 'a' + 10
                            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                continue;
            }
            if (++digits > 12) {
                return Optional.empty();
            }
            value = (value << 4) | d;
        }
        if (digits != 12) {
            return Optional.empty();
        }
        if (((value >>> 40) & 0x02) != 0) {
            return Optional.empty();
        }
        Entry e = small.get(value >>> 12);
        if (e == null) {
            e = medium.get(value >>> 20);
        }
        if (e == null) {
            e = large.get(value >>> 24);
        }
        return Optional.ofNullable(e);
    }

    public int size() {
        return small.size() + medium.size() + large.size();
    }
}
