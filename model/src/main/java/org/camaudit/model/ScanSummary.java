package org.camaudit.model;

/**
 * The closing numbers of a scan.
 *
 * @param addressesProbed distinct addresses sent at least one probe
 * @param hostsUp addresses that answered anything (an open port or a discovery reply)
 * @param openPorts open TCP ports found by the sweep
 * @param observations observations stored
 * @param millis wall-clock duration
 */
public record ScanSummary(long addressesProbed, long hostsUp, long openPorts, long observations,
        long millis) {
    public static final ScanSummary EMPTY = new ScanSummary(0, 0, 0, 0, 0);
}
