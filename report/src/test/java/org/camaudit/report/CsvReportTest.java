package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReportTest {
    @Test
    void oneRowPerDeviceAndFindingParsesBack() throws Exception {
        String csv = Fixtures.render(Fixtures.data(), Format.CSV);
        assertThat(csv).endsWith("\r\n");
        List<List<String>> rows = parse(csv);
        assertThat(rows.get(0)).isEqualTo(CsvReport.HEADER);
        // 7 findings on 4 devices, plus Axis and the unknown host without findings
        assertThat(rows).hasSize(1 + 7 + 2);
        rows.forEach(r -> assertThat(r).hasSize(CsvReport.HEADER.size()));
        List<String> cve = rows.stream().filter(r -> r.get(12).equals("CVE-2021-36260")).findFirst()
                .orElseThrow();
        assertThat(cve.subList(0, 12)).containsExactly("7", "192.0.2.11", "c0:56:e3:11:22:33",
                "Hikvision", "Hikvision", "DS-2CD2143G0-I", "V5.5.0 build 170725", "ip-camera",
                "0.97", "no", "80 443 554 8000", "http rtsp sadp");
        assertThat(cve.subList(13, 18)).containsExactly("vulnerability", "critical",
                "Hikvision web server command injection (exploited in the wild)",
                "CISA KEV, added 2022-01-10", "patch");
        List<String> axis = rows.stream().filter(r -> r.get(1).equals("192.0.2.14")).findFirst()
                .orElseThrow();
        assertThat(axis.get(12)).isEmpty();
    }

    @Test
    void spreadsheetFormulasAreNeutralised() throws Exception {
        List<List<String>> rows = parse(Fixtures.render(Fixtures.data(), Format.CSV));
        List<String> bad = rows.stream().filter(r -> r.get(1).equals("192.0.2.66") && r.get(12)
                .equals("telnet-open")).findFirst().orElseThrow();
        assertThat(bad.get(5)).isEqualTo("'" + Fixtures.HOSTILE_MODEL);
        assertThat(bad.get(6)).isEqualTo("'" + Fixtures.HOSTILE_FIRMWARE);
        assertThat(bad.get(15)).startsWith("'-1+1");
        assertThat(bad.get(16)).isEqualTo("'@SUM(A1)");
        for (List<String> r : rows) {
            for (String cell : r) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
                if (cell.startsWith("-")) {
                    throw new AssertionError("formula cell: " + cell);
                }
            }
        }
    }

    @Test
    void quotesPerRfc4180() {
        assertThat(CsvReport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvReport.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvReport.cell("plain")).isEqualTo("plain");
        assertThat(CsvReport.cell("=1+1")).isEqualTo("'=1+1");
    }

    /** A strict RFC 4180 reader. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                if (!cell.isEmpty()) {
                    throw new AssertionError("quote inside an unquoted field at " + i);
                }
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r') {
                if (csv.charAt(i + 1) != '\n') {
                    throw new AssertionError("bare CR at " + i);
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else if (c == '\n') {
                throw new AssertionError("bare LF at " + i);
            } else {
                cell.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(row).as("last record ends with CRLF").isEmpty();
        return rows;
    }
}
