package org.camaudit.rules.findings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An affected firmware range: {@code from}/{@code to} inclusive, {@code fixed} (first fixed
 * version, exclusive), {@code build_before} (build date before), or a {@code regex}. Versions
 * compare by their numbers in order ({@code V5.4.0 build 160530} is 5, 4, 0, 160530), so one
 * comparison serves Hikvision, Reolink and TP-Link strings; build dates are read from
 * {@code build YYMMDD} or {@code build YYYY-MM-DD}.
 */
public record FirmwareRange(Optional<String> from, Optional<String> to, Optional<String> fixed,
        Optional<LocalDate> buildBefore, Optional<Pattern> regex) {
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern BUILD_ISO = Pattern.compile(
            "build\\s*(\\d{4})-(\\d{2})-(\\d{2})", Pattern.CASE_INSENSITIVE);
    private static final Pattern BUILD_SHORT = Pattern.compile(
            "build\\s*(\\d{2})(\\d{2})(\\d{2})\\b",
            Pattern.CASE_INSENSITIVE);

    /** True when the firmware string falls inside every bound given. */
    public boolean contains(String firmware) {
        if (regex.isPresent() && !regex.get().matcher(firmware).find()) {
            return false;
        }
        if (from.isPresent() && compare(firmware, from.get()) < 0) {
            return false;
        }
        if (to.isPresent() && compare(firmware, to.get()) > 0) {
            return false;
        }
        if (fixed.isPresent() && compare(firmware, fixed.get()) >= 0) {
            return false;
        }
        if (buildBefore.isPresent()) {
            Optional<LocalDate> built = buildDate(firmware);
            return built.isPresent() && built.get().isBefore(buildBefore.get());
        }
        return true;
    }

    /** Compares two version strings number by number; a missing number counts as 0. */
    static int compare(String a, String b) {
        List<Long> x = numbers(a);
        List<Long> y = numbers(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            long p = i < x.size() ? x.get(i) : 0;
            long q = i < y.size() ? y.get(i) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static List<Long> numbers(String s) {
        List<Long> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            String digits = m.group();
            out.add(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
        }
        return out;
    }

    /** The build date in a firmware string, if it carries one. */
    static Optional<LocalDate> buildDate(String firmware) {
        try {
            Matcher iso = BUILD_ISO.matcher(firmware);
            if (iso.find()) {
                return Optional.of(LocalDate.of(Integer.parseInt(iso.group(1)), Integer.parseInt(
                        iso.group(2)), Integer.parseInt(iso.group(3))));
            }
            Matcher s = BUILD_SHORT.matcher(firmware);
            if (s.find()) {
                return Optional.of(LocalDate.of(2000 + Integer.parseInt(s.group(1)), Integer
                        .parseInt(s.group(2)), Integer.parseInt(s.group(3))));
            }
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
