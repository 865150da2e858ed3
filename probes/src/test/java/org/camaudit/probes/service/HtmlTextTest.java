package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.camaudit.model.AuthChallenge;
import org.junit.jupiter.api.Test;

class HtmlTextTest {
    @Test
    void titleIsEntityDecodedAndCollapsed() {
        assertThat(HtmlText.title(
                "<html><TITLE lang=en>\n  NETSurveillance&nbsp;WEB &amp; co &#8482;&#x21;</title>"))
                .contains("NETSurveillance WEB & co \u2122!");
        assertThat(HtmlText.title("<html><title>  </title>")).isEmpty();
        assertThat(HtmlText.decodeEntities("&bogus; &#0; &lt;b&gt;")).isEqualTo("&bogus; &#0; <b>");
    }

    @Test
    void realmQuotedOrBare() {
        assertThat(AuthChallenge
                .realm("Digest qop=\"auth\", realm=\"Login to 2J0123PAZ\", nonce=\"x\""))
                .contains("Login to 2J0123PAZ");
        assertThat(AuthChallenge.realm("Basic realm=device")).contains("device");
        assertThat(AuthChallenge.realm("Bearer")).isEmpty();
    }

    @Test
    void decodeHonoursCharsetAndDropsBom() {
        byte[] gbk = "<title>\u7f51\u7edc\u6444\u50cf\u673a</title>"
                .getBytes(java.nio.charset.Charset.forName("GBK"));
        assertThat(HtmlText.title(HtmlText.decode(gbk, Optional.of("text/html; charset=gb2312"))))
                .contains("\u7f51\u7edc\u6444\u50cf\u673a");
        byte[] bom = "\uFEFF<!doctype html>".getBytes(StandardCharsets.UTF_8);
        assertThat(HtmlText.decode(bom, Optional.empty())).isEqualTo("<!doctype html>");
    }
}
