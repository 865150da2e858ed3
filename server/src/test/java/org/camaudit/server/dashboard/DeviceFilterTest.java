package org.camaudit.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {
    @Test
    void readsTheQueryAndGivesItBack() {
        Map<String, String> q = Map.of("site", "plant 7", "maker", "Hikvision", "sort", "worst",
                "dir", "desc", "page", "3");
        DeviceFilter f = DeviceFilter.of(q::get);
        assertThat(f.site()).contains("plant 7");
        assertThat(f.sort()).isEqualTo(DeviceFilter.Sort.WORST);
        assertThat(f.descending()).isTrue();
        assertThat(f.query()).isEqualTo("?site=plant+7&maker=Hikvision&sort=worst&dir=desc&page=3");
        assertThat(DeviceFilter.of(f.query().substring(1).replace("+", " ").lines().flatMap(
                l -> java.util.Arrays.stream(l.split("&"))).map(kv -> kv.split("=", 2)).collect(
                        java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1]))::get))
                .isEqualTo(f);
        assertThat(DeviceFilter.ALL.query()).isEmpty();
    }

    @Test
    void sortingByTheSameColumnAgainReversesAndGoesToTheFirstPage() {
        DeviceFilter f = DeviceFilter.ALL.onPage(4).sortedBy(DeviceFilter.Sort.BRAND);
        assertThat(f.descending()).isFalse();
        assertThat(f.page()).isEqualTo(1);
        assertThat(f.sortedBy(DeviceFilter.Sort.BRAND).descending()).isTrue();
        assertThat(f.sortedBy(DeviceFilter.Sort.BRAND).sortedBy(DeviceFilter.Sort.TYPE)
                .descending()).isFalse();
    }

    @Test
    void refusesWhatItCannotShow() {
        assertThatThrownBy(() -> DeviceFilter.of(Map.of("sort", "password")::get))
                .hasMessageContaining(
                        "sorts by");
        assertThatThrownBy(() -> DeviceFilter.of(Map.of("page", "0")::get)).hasMessageContaining(
                "positive");
        assertThatThrownBy(() -> DeviceFilter.of(Map.of("size", "100000")::get))
                .hasMessageContaining("500");
        assertThatThrownBy(() -> DeviceFilter.of(Map.of("brand", "x".repeat(201))::get))
                .hasMessageContaining("200 characters");
    }

    @Test
    void afterLoginOnlyAPathOfThisServer() {
        assertThat(Dashboard.safeNext("/devices?site=hq")).isEqualTo("/devices?site=hq");
        for (String away : new String[]{"//evil.example/", "/\\evil.example", "https://x/",
                "javascript:alert(1)", "/a b", null, ""}) {
            assertThat(Dashboard.safeNext(away)).as(String.valueOf(away)).isEqualTo("/");
        }
    }
}
