package org.camaudit.rules;

import static org.camaudit.rules.PackFields.strings;
import static org.camaudit.rules.PackFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.camaudit.model.Fields;

/**
 * Maker evidence from the names a device asks for: one rule per vendor cloud of the clouds pack
 * (knowledge {@code clouds/clouds.yaml}), over {@code dns.query} and {@code tls.sni}. A device that
 * resolves or opens TLS to a name equal to or under one of a cloud's domains runs that platform's
 * firmware or app. Weaker than a banner ({@value #CONFIDENCE}): the name says which cloud, not
 * which unit, and a forwarding resolver asks for its clients' names (the session leaves those
 * out). The rules are made from the one list of domains the cloud findings use, so the two never
 * disagree; every domain is an example of its rule.
 */
final class CloudNameRules {
    /** The confidence of a cloud name as maker evidence: below banners, near the MAC registrant. */
    static final double CONFIDENCE = 0.5;
    /** Rule ids are {@code cloud-<cloud id>}. */
    static final String PREFIX = "cloud-";
    static final List<String> FIELDS = List.of(Fields.DNS_QUERY, Fields.TLS_SNI);

    private CloudNameRules() {
    }

    /** The rules of the clouds pack, numbered after {@code first}, as pack file {@code fileIndex}. */
    static List<Rule> of(JsonNode root, int first, int fileIndex, Map<String, Vendor> vendors) {
        String file = org.camaudit.knowledge.KnowledgePacks.CLOUDS;
        List<Rule> out = new ArrayList<>();
        for (JsonNode n : root.path("clouds")) {
            String id = text(n, "id", file);
            String where = file + " cloud " + id;
            String platform = text(n, "platform", where);
            if (!vendors.containsKey(platform)) {
                throw new RulePackException(where + ": " + platform
                        + " is not in the closed vendor list (vendors.yaml)");
            }
            List<String> domains = strings(n.path("domains"));
            if (domains.isEmpty()) {
                continue;
            }
            List<String> quoted = domains.stream().map(Pattern::quote).toList();
            // a whole name of a dns.query list ("a, b"), or of the SNI: the domain itself or under it
            String regex = "(?i)(?:^|[\\s,.])(?:" + String.join("|", quoted) + ")\\.?(?:,|\\s*$)";
            List<Rule.Example> examples = domains.stream().map(d -> new Rule.Example(d,
                    Map.of("platform", platform))).toList();
            out.add(new Rule(first + out.size(), PREFIX + id, file, fileIndex, FIELDS,
                    Rule.Kind.REGEX, regex, false, null, new Yield(Optional.empty(), Optional
                            .of(platform), Optional.empty(), Optional.empty(), Optional.empty()),
                    CONFIDENCE, "asks for a name of the " + text(n, "title", where) + " ("
                            + text(n, "source", where) + ")",
                    examples, List.of("not" + domains.get(0), domains.get(0) + ".example")));
        }
        return out;
    }

    /** Whether a hit of this rule on this field is a name the device asked for by DNS. */
    static boolean isDnsName(String ruleId, String field) {
        return ruleId.startsWith(PREFIX) && field.equals(Fields.DNS_QUERY);
    }
}
