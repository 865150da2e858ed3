/**
 * The {@code camaudit} command: parses what the operator asked for, builds the scope, wires the
 * probes to the observation log, and maps every outcome to a documented exit code.
 */
package org.camaudit.cli;
