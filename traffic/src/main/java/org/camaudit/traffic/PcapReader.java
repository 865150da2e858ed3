package org.camaudit.traffic;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Classic libpcap files: the 24-byte global header in either byte order, microsecond
 * ({@code a1b2c3d4}) or nanosecond ({@code a1b23c4d}) timestamps, then 16-byte record headers.
 */
final class PcapReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;

    private PcapReader() {
    }

    static boolean recognises(int bigEndianFirstWord) {
        return bigEndianFirstWord == MAGIC_MICROS || bigEndianFirstWord == MAGIC_NANOS
                || bigEndianFirstWord == Integer.reverseBytes(MAGIC_MICROS)
                || bigEndianFirstWord == Integer.reverseBytes(MAGIC_NANOS);
    }

    /** Reads every record; returns the number of frames. */
    static long read(ByteSource in, PacketHandler handler) throws IOException, CaptureException {
        if (!in.require(24)) {
            throw new CaptureException(0, "pcap: truncated global header (" + in.remaining()
                    + " of 24 bytes)");
        }
        in.order(ByteOrder.BIG_ENDIAN);
        int magic = in.getInt(in.position());
        if (magic == Integer.reverseBytes(MAGIC_MICROS)
                || magic == Integer.reverseBytes(MAGIC_NANOS)) {
            in.order(ByteOrder.LITTLE_ENDIAN);
            magic = Integer.reverseBytes(magic);
        } else if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new CaptureException(0, String.format("pcap: bad magic 0x%08x", magic));
        }
        long fractionToNanos = magic == MAGIC_NANOS ? 1 : 1000;
        int p = in.position();
        int linkType = in.getInt(p + 20) & 0xffff;
        in.skip(24);
        int maxRecord = in.capacity() - 16;
        long frames = 0;
        while (true) {
            long recordOffset = in.offset();
            if (!in.require(16)) {
                if (in.remaining() == 0) {
                    return frames;
                }
                throw new CaptureException(recordOffset, "pcap: truncated record header ("
                        + in.remaining() + " of 16 bytes)");
            }
            p = in.position();
            long seconds = in.getInt(p) & 0xffffffffL;
            long fraction = in.getInt(p + 4) & 0xffffffffL;
            long captured = in.getInt(p + 8) & 0xffffffffL;
            long original = in.getInt(p + 12) & 0xffffffffL;
            if (captured > maxRecord) {
                throw new CaptureException(recordOffset, "pcap: record length " + captured
                        + " exceeds the " + maxRecord + "-byte limit");
            }
            if (!in.require(16 + (int) captured)) {
                throw new CaptureException(recordOffset, "pcap: truncated record: header says "
                        + captured + " bytes, file has " + (in.remaining() - 16));
            }
            p = in.position();
            handler.frame(linkType, seconds * 1_000_000_000L + fraction * fractionToNanos,
                    in.array(), p + 16, (int) captured,
                    (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured)),
                    recordOffset);
            frames++;
            in.skip(16 + captured);
        }
    }
}
