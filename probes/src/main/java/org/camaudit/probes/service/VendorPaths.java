package org.camaudit.probes.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The public vendor pages in {@code http_paths.tsv}: path, vendor hint, safety class, source. A
 * row of any class but SAFE-PROBE is a packaging mistake and refuses to load.
 */
final class VendorPaths {
    static final String RESOURCE = "http_paths.tsv";

    record VendorPath(String path, String vendorHint, String source) {
        VendorPath {
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("bad vendor path: " + path);
            }
        }
    }

    private VendorPaths() {
    }

    static List<VendorPath> load() {
        try (InputStream in = VendorPaths.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the probes module");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<VendorPath> parse(BufferedReader reader) throws IOException {
        List<VendorPath> out = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != 4) {
                throw new IllegalStateException(
                        RESOURCE + ":" + number + ": expected 4 tab-separated cells");
            }
            if (!cells[2].strip().equals("SAFE-PROBE")) {
                throw new IllegalStateException(RESOURCE + ":" + number + ": class " + cells[2]
                        + " is not SAFE-PROBE; such paths are never fetched by default");
            }
            out.add(new VendorPath(cells[0].strip(), cells[1].strip(), cells[3].strip()));
        }
        return List.copyOf(out);
    }
}
