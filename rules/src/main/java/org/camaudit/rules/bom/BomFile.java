package org.camaudit.rules.bom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A bill of materials or quote as CSV (also a spreadsheet saved as CSV): comma, semicolon or tab
 * separated, quoted cells, a header row whose names are matched loosely ("Manufacturer", "Make",
 * "Brand name", "Model No.", "Qty", "Supplier"...). Rows without a brand or model are skipped.
 * The CLI's {@code check-bom} reads it from a file, the server from a request body.
 */
public record BomFile(List<Line> lines) {
    /** One row: its line number in the file, and the cells that matter. */
    public record Line(int number, String brand, String model, String quantity, String supplier) {
    }

    static final List<String> BRAND = List.of("brand", "brandname", "manufacturer", "make",
            "mfr", "mfg", "vendor", "maker", "oem");
    static final List<String> MODEL = List.of("model", "modelno", "modelnumber", "modelname",
            "partnumber", "partno", "part", "sku", "product", "mpn");
    static final List<String> QTY = List.of("qty", "quantity", "count", "units", "qnty", "amount");
    static final List<String> SUPPLIER = List.of("supplier", "distributor", "reseller", "seller",
            "source", "dealer");

    public BomFile {
        lines = List.copyOf(lines);
    }

    /**
     * Reads a file.
     *
     * @throws IllegalArgumentException naming the file when it has no usable header row
     */
    public static BomFile read(Path file) throws IOException {
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file
                .toString());
    }

    /**
     * Reads the text of a BOM (UTF-8, with or without a byte-order mark).
     *
     * @param name what to call it in a refusal
     * @throws IllegalArgumentException when no header row among the first 20 lines names a
     *     brand column and a model column
     */
    public static BomFile parse(String content, String name) {
        String text = content;
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> rawLines = text.lines().toList();
        int headerAt = -1;
        char sep = ',';
        int[] cols = null;
        for (int i = 0; i < rawLines.size() && i < 20 && cols == null; i++) {
            String l = rawLines.get(i);
            if (l.isBlank()) {
                continue;
            }
            sep = separator(l);
            List<String> cells = split(l, sep);
            int b = column(cells, BRAND);
            int m = column(cells, MODEL);
            if (b >= 0 && m >= 0) {
                cols = new int[]{b, m, column(cells, QTY), column(cells, SUPPLIER)};
                headerAt = i;
            }
        }
        if (cols == null) {
            throw new IllegalArgumentException(name + ": no header row with a brand column (brand,"
                    + " manufacturer, make...) and a model column (model, model no., part"
                    + " number...)");
        }
        List<Line> out = new ArrayList<>();
        for (int i = headerAt + 1; i < rawLines.size(); i++) {
            List<String> cells = split(rawLines.get(i), sep);
            String brand = cell(cells, cols[0]);
            String model = cell(cells, cols[1]);
            if (brand.isEmpty() && model.isEmpty()) {
                continue;
            }
            out.add(new Line(i + 1, brand, model, cell(cells, cols[2]), cell(cells, cols[3])));
        }
        return new BomFile(out);
    }

    private static String cell(List<String> cells, int i) {
        return i >= 0 && i < cells.size() ? cells.get(i).strip() : "";
    }

    static String norm(String header) {
        return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    static int column(List<String> cells, List<String> names) {
        for (String n : names) {
            for (int i = 0; i < cells.size(); i++) {
                if (norm(cells.get(i)).equals(n)) {
                    return i;
                }
            }
        }
        for (String n : names) {
            for (int i = 0; i < cells.size(); i++) {
                if (n.length() >= 4 && norm(cells.get(i)).startsWith(n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    static char separator(String line) {
        int commas = count(line, ',');
        int semis = count(line, ';');
        int tabs = count(line, '\t');
        return tabs > commas && tabs > semis ? '\t' : semis > commas ? ';' : ',';
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    /** Splits one CSV line with double-quoted cells ("" is a quote inside one). */
    static List<String> split(String line, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    public static Optional<String> nonEmpty(String s) {
        return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
