/**
 * The observation log: scans and their append-only observations in an embedded SQLite database
 * with numbered migrations ({@link org.camaudit.store.ObservationLog}), and the JSONL form of an
 * observation ({@link org.camaudit.store.ObservationJson}) used for export and import.
 */
package org.camaudit.store;
