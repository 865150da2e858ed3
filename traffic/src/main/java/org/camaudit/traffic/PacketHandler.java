package org.camaudit.traffic;

/** Receives each captured frame, in place: valid until the call returns. */
interface PacketHandler {
    /**
     * @param linkType the link-layer header type (LINKTYPE_*)
     * @param nanos capture time, nanoseconds since the epoch
     * @param offset index of the frame's first byte in {@code data}
     * @param fileOffset the frame's offset in the file, for error messages
     */
    void frame(int linkType, long nanos, byte[] data, int offset, int captured, int original,
            long fileOffset);
}
