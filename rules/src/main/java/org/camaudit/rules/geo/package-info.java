/**
 * Countries of traffic destinations: a country database in MaxMind DB format (local file,
 * memory-mapped, no network), and the bytes and flows each device sends per country of its peers,
 * as findings.
 */
package org.camaudit.rules.geo;
