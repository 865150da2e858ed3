/**
 * Reports of one scan for people and machines: a self-contained HTML page with charts, a PDF, CSV,
 * JSON and a CycloneDX 1.6 inventory. {@link org.camaudit.report.Reports} is the entry point; it
 * knows nothing of the store: the caller gathers a {@link org.camaudit.report.ReportData}.
 */
package org.camaudit.report;
