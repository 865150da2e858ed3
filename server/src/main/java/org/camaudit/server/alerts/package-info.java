/**
 * Continuous audit on the server: each site's scan schedule (run by its agent), and alerts on what
 * is new after a scan is stored (a newly seen covered device, a new critical finding, a device that
 * started calling a vendor cloud), delivered once per fact through an outbox to webhooks (signed)
 * and syslog (CEF) with retries.
 */
package org.camaudit.server.alerts;
