package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

/** A reply that does not follow its protocol; the message becomes the observation's error. */
final class MalformedReplyException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedReplyException(String message) {
        super(message, null, false, false);
    }

    /** Parses a reply as device XML; a refusal keeps its text, other faults name the protocol. */
    static org.w3c.dom.Document xml(byte[] data, int length, String protocol)
            throws MalformedReplyException {
        try {
            return DeviceXml.parse(data, length);
        } catch (DeviceXml.Rejected e) {
            String m = e.getMessage();
            throw new MalformedReplyException(m.equals(DeviceXml.DOCTYPE_REJECTED)
                    ? m
                    : protocol + ": " + m.replace("xml malformed: ", "bad XML: "));
        }
    }
}
