package org.camaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camaudit.model.SafetyClass;

/**
 * A YAML scope file. Keys: {@code targets}, {@code exclude}, {@code ports} (list or
 * "80,443,8000-8010" or "camera"), {@code rate}, {@code concurrency}, {@code safety_classes},
 * {@code multicast}, {@code allow_large}, {@code authorized_by}. Unknown keys are refused so a typo
 * never silently widens or narrows a scope.
 */
record ScopeFile(List<String> targets, List<String> excludes, Optional<List<Integer>> ports,
        Optional<Integer> rate, Optional<Integer> concurrency, Optional<Set<SafetyClass>> safety,
        boolean multicast, boolean allowLarge, Optional<String> authorizedBy) {

    private static final Set<String> KEYS = Set.of("targets", "exclude", "ports", "rate",
            "concurrency", "safety_classes", "multicast", "allow_large", "authorized_by");

    static ScopeFile read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("scope file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("scope file " + file + " is not valid YAML: " + firstLine(e
                    .getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new UsageException("scope file " + file + " must be a YAML mapping");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new UsageException("scope file " + file + ": unknown key '" + key
                        + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Optional<List<Integer>> ports = Optional.empty();
        JsonNode p = root.get("ports");
        if (p != null) {
            ports = Optional.of(PortList.parse(p.isArray()
                    ? String.join(",", strings(p, file,
                            "ports"))
                    : p.asText()));
        }
        Optional<Set<SafetyClass>> safety = Optional.empty();
        if (root.has("safety_classes")) {
            Set<SafetyClass> s = EnumSet.noneOf(SafetyClass.class);
            for (String c : strings(root.get("safety_classes"), file, "safety_classes")) {
                try {
                    s.add(SafetyClass.parse(c));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("scope file " + file + ": " + e.getMessage());
                }
            }
            safety = Optional.of(s);
        }
        return new ScopeFile(strings(root.get("targets"), file, "targets"), strings(root.get(
                "exclude"), file, "exclude"), ports, integer(root, "rate", file), integer(root,
                        "concurrency", file),
                safety, root.path("multicast").asBoolean(false), root.path(
                        "allow_large").asBoolean(false),
                Optional.ofNullable(root.get("authorized_by"))
                        .map(JsonNode::asText));
    }

    private static Optional<Integer> integer(JsonNode root, String key, Path file) {
        JsonNode n = root.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.canConvertToInt()) {
            throw new UsageException("scope file " + file + ": '" + key + "' must be a number");
        }
        return Optional.of(n.asInt());
    }

    private static List<String> strings(JsonNode n, Path file, String key) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isValueNode()) {
            for (String s : n.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        } else {
            throw new UsageException("scope file " + file + ": '" + key
                    + "' must be a list or a comma-separated string");
        }
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
