package org.camaudit.rules.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * The records of a corpus directory: every {@code records/*.jsonl} file (in name order), one JSON
 * object per line, each checked against the record format. The first malformed line stops the
 * load with a {@link CorpusException} naming {@code file:line} and what is wrong; blank lines are
 * skipped.
 */
public final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper().enable(
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> KEYS = Set.of("id", "maker", "platform", "device", "fields",
            "port", "protocol", "source", "licence", "label_from", "note");
    /** {@code mac}, or a family and a name: {@code http.server}, {@code sadp.OEMInfo}. */
    private static final Pattern FIELD_KEY = Pattern.compile(
            "mac|[a-z][a-z0-9_]*\\.[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    private final Path directory;
    private final List<CorpusRecord> records;
    private final Map<String, String> aliases;

    private Corpus(Path directory, List<CorpusRecord> records, Map<String, String> aliases) {
        this.directory = directory;
        this.records = List.copyOf(records);
        this.aliases = Map.copyOf(aliases);
    }

    /**
     * Reads {@code directory/records/*.jsonl}.
     *
     * @throws CorpusException for a missing directory, an unreadable file, a malformed line or
     *     an id used twice
     */
    public static Corpus load(Path directory) {
        Path dir = directory.resolve("records");
        if (!Files.isDirectory(dir)) {
            throw new CorpusException(dir + ": no such directory (a corpus keeps its records in"
                    + " records/*.jsonl)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new CorpusException(dir + ": " + e.getMessage(), e);
        }
        List<CorpusRecord> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String family = name.substring(0, name.length() - ".jsonl".length());
            String shown = directory.relativize(f).toString();
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String where = shown + ":" + n;
                    CorpusRecord rec = parse(line, family, where);
                    String before = seen.putIfAbsent(rec.id(), where);
                    if (before != null) {
                        throw new CorpusException(where + ": id '" + rec.id()
                                + "' is already used at " + before);
                    }
                    out.add(rec);
                }
            } catch (IOException e) {
                throw new CorpusException(shown + ": " + e.getMessage(), e);
            }
        }
        return new Corpus(directory, out, aliases(directory.resolve(ALIASES)));
    }

    /** The corpus's own list of company names that mean the same maker (not used by the rules). */
    public static final String ALIASES = "aliases.yaml";

    /**
     * Reads {@code aliases.yaml}: {@code makers: [{names: [HP, Hewlett Packard], source: ...}]}.
     * Every name maps to the first of its list. A missing file means no aliases.
     */
    static Map<String, String> aliases(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CorpusException(file.getFileName() + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (JsonNode m : root.path("makers")) {
            n++;
            JsonNode names = m.path("names");
            if (!names.isArray() || names.size() < 2 || m.path("source").asText().isBlank()) {
                throw new CorpusException(file.getFileName() + ": entry " + n
                        + " needs names (two or more) and a source");
            }
            String first = names.get(0).asText();
            names.forEach(a -> out.put(a.asText(), first));
        }
        return out;
    }

    /** Alias to the name it stands for (aliases.yaml). */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** Parses one line; {@code where} ({@code file:line}) prefixes every error. */
    static CorpusRecord parse(String line, String sourceFamily, String where) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new CorpusException(where + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new CorpusException(where + ": not a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new CorpusException(where + ": unknown key '" + k + "' (known: " + String
                        .join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String id = required(n, "id", where);
        String at = where + " (" + id + ")";
        String maker = required(n, "maker", at);
        Optional<String> platform = optional(n, "platform", at);
        String device = required(n, "device", at);
        String source = required(n, "source", at);
        String licence = required(n, "licence", at);
        String from = required(n, "label_from", at);
        CorpusRecord.LabelFrom labelFrom = switch (from) {
            case "outside" -> CorpusRecord.LabelFrom.OUTSIDE;
            case "banner" -> CorpusRecord.LabelFrom.BANNER;
            default ->
                throw new CorpusException(at + ": label_from must be outside or banner, not '"
                        + from + "'");
        };
        JsonNode fn = n.get("fields");
        if (fn == null || !fn.isObject() || fn.isEmpty()) {
            throw new CorpusException(at + ": fields must be a non-empty object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fn.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!FIELD_KEY.matcher(e.getKey()).matches()) {
                throw new CorpusException(at + ": field key '" + e.getKey()
                        + "' is not a canonical key (family.name, e.g. http.server, or mac)");
            }
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw new CorpusException(at + ": field " + e.getKey()
                        + " must be a non-blank string");
            }
            fields.put(e.getKey(), e.getValue().asText());
        }
        String mac = fields.get(Fields.MAC);
        if (mac != null && Observation.normaliseMac(mac).isEmpty()) {
            throw new CorpusException(at + ": mac '" + mac + "' is not a MAC address");
        }
        OptionalInt port = OptionalInt.empty();
        JsonNode pn = n.get("port");
        if (pn != null && !pn.isNull()) {
            if (!pn.canConvertToInt() || !pn.isIntegralNumber() || pn.asInt() < 1 || pn
                    .asInt() > 65535) {
                throw new CorpusException(at + ": port must be a number 1..65535, not " + pn);
            }
            port = OptionalInt.of(pn.asInt());
        }
        return new CorpusRecord(id, maker, platform, device, fields, port, optional(n, "protocol",
                at), source, licence, labelFrom, optional(n, "note", at).orElse(""),
                sourceFamily, where);
    }

    private static String required(JsonNode n, String key, String where) {
        return optional(n, key, where).orElseThrow(() -> new CorpusException(where + ": missing "
                + key));
    }

    private static Optional<String> optional(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new CorpusException(where + ": " + key + " must be a string");
        }
        return v.asText().isBlank() ? Optional.empty() : Optional.of(v.asText().strip());
    }

    public Path directory() {
        return directory;
    }

    public List<CorpusRecord> records() {
        return records;
    }
}
