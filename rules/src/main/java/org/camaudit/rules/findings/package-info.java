/**
 * Evaluation: identifications and observations in, findings out. Policies (bans with citations),
 * vulnerabilities (KEV and advisories, decided by version, by a safe observation, or reported as
 * unknown, never by exploiting), exposures (open doors seen on the wire), vendor clouds, and the
 * remediation plan. Knowledge comes from the YAML packs of the knowledge module.
 */
package org.camaudit.rules.findings;
