/**
 * Active discovery: the {@link org.camaudit.probes.ScopeGuard} every packet passes, the guarded
 * {@link org.camaudit.probes.Network}, the TCP port sweep, unicast UDP discovery and SAFE-PROBE
 * service probes. Every reply, good or bad, becomes an observation.
 */
package org.camaudit.probes;
