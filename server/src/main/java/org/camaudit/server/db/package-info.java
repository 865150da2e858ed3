/**
 * The server's central store on PostgreSQL: sites, agents, users and tokens, scans, append-only
 * observations, identifications, findings, batch keys and the audit log, with its schema managed
 * by Flyway ({@code db/server/V*.sql}).
 */
package org.camaudit.server.db;
