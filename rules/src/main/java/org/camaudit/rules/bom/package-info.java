/**
 * Checking a bill of materials or quote before purchase: {@link org.camaudit.rules.bom.BomFile}
 * reads it, {@link org.camaudit.rules.bom.BomCheck} judges each line (maker behind the brand,
 * bans, known vulnerabilities). Shared by the CLI's {@code check-bom} and the server's route.
 */
package org.camaudit.rules.bom;
