package org.camaudit.server.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The device list's filters, sort and page, read from the query string; every value is bounded
 * and the sort is one of a closed list, so nothing from the request reaches SQL as text.
 */
public record DeviceFilter(Optional<String> site, Optional<String> maker, Optional<String> brand,
        Optional<String> type, Optional<String> policy, Optional<String> finding,
        Optional<String> severity, Sort sort, boolean descending, int page, int pageSize) {
    /** Devices per page unless asked otherwise; at most {@link #MAX_PAGE_SIZE}. */
    public static final int PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;
    private static final int MAX_VALUE = 200;

    /** The columns the list sorts by, each with its SQL expression. */
    public enum Sort {
        SITE("site, addr_order, address"), ADDRESS("addr_order, address, site"), BRAND(
                "lower(brand), site, addr_order"), MAKER("lower(platform), site, addr_order"), TYPE(
                        "type, site, addr_order"), FINDINGS("findings, site, addr_order"), WORST(
                                "worst_rank, site, addr_order"), SEEN(
                                        "last_seen, site, addr_order");

        final String sql;

        Sort(String sql) {
            this.sql = sql;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Sort of(String label) {
            for (Sort s : values()) {
                if (s.label().equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("the device list sorts by site, address, brand,"
                    + " maker, type, findings, worst or seen, not \"" + label + "\"");
        }
    }

    public DeviceFilter {
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page is 1 or more, size 1 to " + MAX_PAGE_SIZE);
        }
        for (Optional<String> v : java.util.List.of(site, maker, brand, type, policy, finding,
                severity)) {
            if (v.map(s -> s.length() > MAX_VALUE).orElse(false)) {
                throw new IllegalArgumentException("a filter value is at most " + MAX_VALUE
                        + " characters");
            }
        }
    }

    /** No filter, by site and address, first page. */
    public static final DeviceFilter ALL = new DeviceFilter(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(),
            Sort.SITE, false, 1, PAGE_SIZE);

    /** Reads the filter from query parameters ({@code null} or blank means not set). */
    public static DeviceFilter of(Function<String, String> query) {
        Function<String, Optional<String>> v = k -> Optional.ofNullable(query.apply(k)).map(
                String::strip).filter(s -> !s.isEmpty());
        Sort sort = v.apply("sort").map(Sort::of).orElse(Sort.SITE);
        boolean desc = v.apply("dir").map("desc"::equals).orElse(false);
        int page = v.apply("page").map(p -> number(p, "page")).orElse(1);
        int size = v.apply("size").map(p -> number(p, "size")).orElse(PAGE_SIZE);
        return new DeviceFilter(v.apply("site"), v.apply("maker"), v.apply("brand"), v.apply(
                "type"), v.apply("policy"), v.apply("finding"), v.apply("severity"), sort, desc,
                page, size);
    }

    private static int number(String s, String what) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("\"" + what + "\" is a positive number, not \"" + s
                + "\"");
    }

    /** This filter on another page. */
    public DeviceFilter onPage(int p) {
        return new DeviceFilter(site, maker, brand, type, policy, finding, severity, sort,
                descending, p, pageSize);
    }

    /** This filter sorted by a column (the other direction when it is sorted by it already). */
    public DeviceFilter sortedBy(Sort s) {
        return new DeviceFilter(site, maker, brand, type, policy, finding, severity, s, s == sort
                && !descending, 1, pageSize);
    }

    /** True when any filter is set. */
    public boolean filtered() {
        return site.isPresent() || maker.isPresent() || brand.isPresent() || type.isPresent()
                || policy.isPresent() || finding.isPresent() || severity.isPresent();
    }

    /** The query string ({@code ?...}) that gives this filter back. */
    public String query() {
        Map<String, String> q = new LinkedHashMap<>();
        site.ifPresent(x -> q.put("site", x));
        maker.ifPresent(x -> q.put("maker", x));
        brand.ifPresent(x -> q.put("brand", x));
        type.ifPresent(x -> q.put("type", x));
        policy.ifPresent(x -> q.put("policy", x));
        finding.ifPresent(x -> q.put("finding", x));
        severity.ifPresent(x -> q.put("severity", x));
        if (sort != Sort.SITE) {
            q.put("sort", sort.label());
        }
        if (descending) {
            q.put("dir", "desc");
        }
        if (page != 1) {
            q.put("page", Integer.toString(page));
        }
        if (pageSize != PAGE_SIZE) {
            q.put("size", Integer.toString(pageSize));
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        q.forEach((k, x) -> j.add(k + "=" + URLEncoder.encode(x, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
