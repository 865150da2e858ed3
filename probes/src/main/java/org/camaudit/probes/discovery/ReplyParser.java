package org.camaudit.probes.discovery;

import org.camaudit.model.Observation;

/** Reads one reply datagram into an observation's fields; never trusts the device. */
@FunctionalInterface
interface ReplyParser {
    void parse(byte[] data, int length, Observation.Builder out) throws MalformedReplyException;
}
