package org.camaudit.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The company name an inventory shows for a MAC registrant of the IEEE table: legal forms, generic
 * trailing words and a leading Chinese city or province are dropped and shouted words are
 * written as names ("D-LINK INTERNATIONAL PTE. LIMITED" is "D-Link", "Shenzhen Bilian Electronic
 * Co.,Ltd" is "Bilian"). The name is for people; it is never matched by a policy.
 */
final class RegistrantName {
    /** Legal forms and words that only say what kind of company it is, dropped from the end. */
    private static final Set<String> TRAILING = Set.of("co", "company", "ltd", "limited", "inc",
            "incorporated", "corp", "corporation", "corporate", "llc", "l.l.c", "gmbh", "ag", "a.s",
            "s.a", "sa", "s.p.a", "spa", "bv", "b.v", "nv", "n.v", "ab", "as", "a/s", "oy", "pte",
            "pty", "plc", "kg", "srl", "s.r.l", "sas", "k.k", "kk", "&", "and", "international",
            "technologies", "technology", "tech", "electronics", "electronic", "communications",
            "communication", "networks", "network", "systems", "system", "group", "holdings",
            "holding", "industrial", "industries", "intelligent", "digital", "trading", "software",
            "mobile", "information", "science", "manufacturing", "telecom", "innovation",
            "intelligence", "smart", "products", "solutions", "enterprises", "sciences", "co.ltd",
            "co.,ltd", "ltda", "s.l", "sl", "se", "jsc", "ooo", "zao", "s.a.s", "e.k", "ltd.");
    /** Places that open many Chinese registrant names ("Shenzhen ..."), dropped from the start. */
    private static final Set<String> LEADING = Set.of("shenzhen", "hangzhou", "zhejiang",
            "guangzhou", "guangdong", "beijing", "shanghai", "xiamen", "zhuhai", "suzhou",
            "nanjing", "wuhan", "chengdu", "dongguan", "ningbo", "fujian", "jiangsu", "tianjin",
            "qingdao", "fuzhou", "hefei", "changsha", "jiaxing", "foshan", "zhongshan", "huizhou");

    private RegistrantName() {
    }

    /** The display name of a registrant; the registrant text itself when nothing is left. */
    static String of(String organization) {
        String s = organization.replaceAll("\\([^)]*\\)", " ").replace(',', ' ').strip();
        List<String> words = new ArrayList<>(Arrays.asList(s.split("\\s+")));
        words.removeIf(String::isEmpty);
        while (words.size() > 1 && TRAILING.contains(key(words.get(words.size() - 1)))) {
            words.remove(words.size() - 1);
        }
        while (words.size() > 1 && LEADING.contains(key(words.get(0)))) {
            words.remove(0);
        }
        if (words.isEmpty()) {
            return organization.strip();
        }
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(spoken(w));
        }
        return out.toString();
    }

    private static String key(String word) {
        String k = word.toLowerCase(Locale.ROOT);
        while (k.endsWith(".")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    /** "LINK" is written "Link"; short shouted words (HP, TP, LG) and mixed case stay as they are. */
    private static String spoken(String word) {
        StringBuilder out = new StringBuilder();
        for (String part : word.split("(?<=-)")) {
            boolean shouted = part.chars().anyMatch(Character::isLetter) && part.equals(part
                    .toUpperCase(Locale.ROOT));
            String letters = part.replace("-", "");
            if (shouted && letters.length() > 3) {
                out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }
}
