package org.camaudit.rules.findings;

import java.util.Optional;
import org.camaudit.model.Finding;

/**
 * An exposure decided from SAFE-PROBE observations (knowledge {@code exposures/exposures.yaml}).
 *
 * @param when what must be seen: {@code port_open}, {@code field}, {@code onvif_anonymous},
 *     {@code tls_subject} or {@code plain_http_login}
 * @param port for {@code port_open}
 * @param field for {@code field}: the observation field and the value it must equal
 */
public record ExposureRule(String id, String title, Finding.Severity severity,
        Finding.Remediation remediation, Optional<String> citation, String source, When when,
        int port, String field, String equals) {

    /** The kinds of condition. */
    public enum When {
        PORT_OPEN, FIELD, ONVIF_ANONYMOUS, TLS_SUBJECT, PLAIN_HTTP_LOGIN
    }
}
