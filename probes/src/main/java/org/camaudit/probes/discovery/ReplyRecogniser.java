package org.camaudit.probes.discovery;

/** Says whether a datagram that came from an unexpected port looks like this protocol's reply. */
@FunctionalInterface
interface ReplyRecogniser {
    boolean recognises(byte[] data, int length);
}
