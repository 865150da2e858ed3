/**
 * Imports other tools' output as observations, so evidence gathered elsewhere (an Nmap run, a
 * colleague's scan) goes through the same identification as camaudit's own probes.
 */
package org.camaudit.cli.imports;
