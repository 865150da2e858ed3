/** Fault tests of ingest: the server killed, PostgreSQL restarted, derived data revised. */
package org.camaudit.server.faults;
