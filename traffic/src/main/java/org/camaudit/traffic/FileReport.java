package org.camaudit.traffic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one input gave: its format, how far it was read, observations and per-packet decode errors
 * by decoder, fact counts (DNS query names, TLS SNI, HTTP Server headers, one per packet, before
 * de-duplication), and the error that stopped it early, if any; everything before it is kept.
 *
 * @param frames frames (captures), lines (Zeek) or export datagrams (NetFlow) read
 * @param fragments IP fragments counted but not reassembled
 * @param undecodable frames whose link, IP or transport header was unreadable
 */
public record FileReport(String file, CaptureFormat format, long bytes, long frames,
        long fragments, long undecodable, Map<String, Long> observations, Map<String, Long> errors,
        Map<String, Long> facts, List<String> errorSamples, Optional<FileError> error) {

    public FileReport {
        observations = Map.copyOf(observations);
        errors = Map.copyOf(errors);
        facts = Map.copyOf(facts);
        errorSamples = List.copyOf(errorSamples);
    }

    /** The fault that ended reading early: where in the file and what. */
    public record FileError(long offset, String message) {
        @Override
        public String toString() {
            return "at byte " + offset + ": " + message;
        }
    }

    public long observationCount() {
        return observations.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
