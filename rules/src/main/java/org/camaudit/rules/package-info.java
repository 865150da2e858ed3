/**
 * Identification: loads the rule packs, matches observation fields against fingerprints, and
 * combines a device's evidence into one {@link org.camaudit.model.Identification}. No network code.
 */
package org.camaudit.rules;
