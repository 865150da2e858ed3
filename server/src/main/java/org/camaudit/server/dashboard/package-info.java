/**
 * The dashboard: server-rendered pages (jte templates in {@code src/main/jte}) mounted beside
 * the REST API, with a cookie session opened by a user's API token, CSRF tokens on every form,
 * and people's reviews of findings (acknowledged, risk accepted until a date, replaced).
 */
package org.camaudit.server.dashboard;
