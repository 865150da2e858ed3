/**
 * The REST API of {@code camaudit server} over HTTPS: routes, bearer-token access by role or
 * agent site, the failed-attempt limit, and the server's TLS certificate.
 */
package org.camaudit.server.http;
