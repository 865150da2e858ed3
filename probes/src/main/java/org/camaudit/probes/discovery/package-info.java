/**
 * Unicast UDP discovery: one SAFE-PROBE request per protocol (WS-Discovery, SSDP, SADP, DHDiscover,
 * DVRIP) to each in-scope target, every reply from inside the scope turned into an observation.
 */
package org.camaudit.probes.discovery;
