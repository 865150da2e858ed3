package org.camaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Scan;
import org.camaudit.model.SiteRanges;
import org.camaudit.store.ObservationLog;

/**
 * The files one {@code analyze} reads, told apart by absolute path, size and modification time
 * (and whether only facts are decoded, and the site's ranges): the same files analysed again are known as such, so their
 * observations are not stored twice. A file that changed is new evidence and gets a new scan.
 *
 * @param key the identity as compact JSON, kept in the passive scan's scope under {@code inputs}
 */
record AnalyzedFiles(String key) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static AnalyzedFiles of(List<Path> files, boolean factsOnly, SiteRanges site) {
        ObjectNode n = JSON.createObjectNode();
        n.put("facts_only", factsOnly);
        ArrayNode local = n.putArray("local"); // other ranges keep other devices: other evidence
        site.describe().forEach(local::add);
        ArrayNode list = n.putArray("files");
        for (Path f : files) {
            ObjectNode e = list.addObject();
            Path p = f.toAbsolutePath().normalize();
            e.put("path", p.toString());
            try {
                e.put("size", Files.size(p));
                e.put("mtime_ms", Files.getLastModifiedTime(p).toMillis());
            } catch (IOException unreadable) {
                e.put("size", -1); // analyze says why; the identity still names it
                e.put("mtime_ms", -1);
            }
        }
        return new AnalyzedFiles(n.toString());
    }

    /** The newest passive scan of these same files, if any. */
    Optional<Scan> earlier(ObservationLog log) {
        Optional<Scan> found = Optional.empty();
        for (Scan s : log.scans()) {
            if (!s.kind().equals("passive")) {
                continue;
            }
            try {
                JsonNode scope = JSON.readTree(s.scope());
                if (scope.path("inputs").asText("").equals(key)
                        && (found.isEmpty() || s.id() > found
                                .get().id())) {
                    found = Optional.of(s);
                }
            } catch (IOException | RuntimeException unreadable) {
                // a scope written by hand or an older camaudit names no inputs
            }
        }
        return found;
    }
}
