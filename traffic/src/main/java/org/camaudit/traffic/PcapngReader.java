package org.camaudit.traffic;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * pcapng: section header blocks (either byte order, several sections), interface description
 * blocks (link type, {@code if_tsresol}), enhanced and simple packet blocks on any number of
 * interfaces, and the obsolete packet block; every other block is skipped by its length.
 */
final class PcapngReader {
    static final int SHB = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int IDB = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int MAX_INTERFACES = 4096;

    private PcapngReader() {
    }

    static long read(ByteSource in, PacketHandler handler) throws IOException, CaptureException {
        int[] linkTypes = new int[16];
        long[] unitsPerSecond = new long[16];
        int interfaces = 0;
        boolean inSection = false;
        ByteOrder sectionOrder = ByteOrder.BIG_ENDIAN;
        long frames = 0;
        int maxBlock = in.capacity();
        while (true) {
            long blockOffset = in.offset();
            if (!in.require(12)) {
                if (in.remaining() == 0) {
                    return frames;
                }
                throw new CaptureException(blockOffset, "pcapng: truncated block header ("
                        + in.remaining() + " bytes)");
            }
            int p = in.position();
            in.order(ByteOrder.BIG_ENDIAN);
            int type = in.getInt(p);
            if (type == SHB) {
                int magic = in.getInt(p + 8);
                if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
                    in.order(ByteOrder.LITTLE_ENDIAN);
                } else if (magic != BYTE_ORDER_MAGIC) {
                    throw new CaptureException(blockOffset, String.format(
                            "pcapng: bad byte-order magic 0x%08x in section header", magic));
                }
                interfaces = 0;
                inSection = true;
            } else if (!inSection) {
                throw new CaptureException(blockOffset, "pcapng: file does not start with a"
                        + " section header block");
            } else {
                in.order(sectionOrder);
            }
            sectionOrder = in.order();
            type = in.getInt(p);
            long length = in.getInt(p + 4) & 0xffffffffL;
            if (length < 12 || length % 4 != 0) {
                throw new CaptureException(blockOffset, "pcapng: bad block length " + length);
            }
            if (length > maxBlock) {
                if (type == EPB || type == SPB || type == SHB || type == IDB) {
                    throw new CaptureException(blockOffset, "pcapng: block length " + length
                            + " exceeds the " + maxBlock + "-byte limit");
                }
                if (!in.skip(length)) {
                    throw new CaptureException(blockOffset, "pcapng: truncated block");
                }
                continue;
            }
            if (!in.require((int) length)) {
                throw new CaptureException(blockOffset, "pcapng: truncated block: length "
                        + length + ", file has " + in.remaining());
            }
            p = in.position();
            int bodyEnd = p + (int) length - 4;
            if ((in.getInt(bodyEnd) & 0xffffffffL) != length) {
                throw new CaptureException(blockOffset,
                        "pcapng: trailing block length does not match " + length);
            }
            switch (type) {
                case IDB -> {
                    if (length < 20) {
                        throw new CaptureException(blockOffset, "pcapng: short interface block");
                    }
                    if (interfaces == MAX_INTERFACES) {
                        throw new CaptureException(blockOffset, "pcapng: more than "
                                + MAX_INTERFACES + " interfaces");
                    }
                    if (interfaces == linkTypes.length) {
                        linkTypes = java.util.Arrays.copyOf(linkTypes, interfaces * 2);
                        unitsPerSecond = java.util.Arrays.copyOf(unitsPerSecond, interfaces * 2);
                    }
                    linkTypes[interfaces] = in.getUnsignedShort(p + 8);
                    unitsPerSecond[interfaces] = timeResolution(in, p + 16, bodyEnd);
                    interfaces++;
                }
                case EPB, OBSOLETE_PACKET -> {
                    if (length < 32) {
                        throw new CaptureException(blockOffset, "pcapng: short packet block");
                    }
                    int iface = type == EPB
                            ? in.getInt(p + 8)
                            : in.getUnsignedShort(p + 8);
                    if (iface < 0 || iface >= interfaces) {
                        throw new CaptureException(blockOffset, "pcapng: packet on interface "
                                + (iface & 0xffffffffL) + ", only " + interfaces + " described");
                    }
                    long ts = (in.getInt(p + 12) & 0xffffffffL) << 32
                            | (in.getInt(p + 16) & 0xffffffffL);
                    long captured = in.getInt(p + 20) & 0xffffffffL;
                    long original = in.getInt(p + 24) & 0xffffffffL;
                    if (captured > bodyEnd - (p + 28)) {
                        throw new CaptureException(blockOffset, "pcapng: captured length "
                                + captured + " overruns its block of " + length);
                    }
                    handler.frame(linkTypes[iface], toNanos(ts, unitsPerSecond[iface]),
                            in.array(), p + 28, (int) captured,
                            (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured)),
                            blockOffset);
                    frames++;
                }
                case SPB -> {
                    if (interfaces == 0) {
                        throw new CaptureException(blockOffset,
                                "pcapng: simple packet block before any interface");
                    }
                    long original = in.getInt(p + 8) & 0xffffffffL;
                    int room = bodyEnd - (p + 12);
                    int captured = (int) Math.min(room, original);
                    handler.frame(linkTypes[0], 0, in.array(), p + 12, captured,
                            (int) Math.min(Integer.MAX_VALUE, original), blockOffset);
                    frames++;
                }
                default -> {
                    // section header, statistics, name resolution, custom: nothing to decode
                }
            }
            in.skip(length);
        }
    }

    /** Units per second from {@code if_tsresol} (option 9); microseconds by default. */
    private static long timeResolution(ByteSource in, int options, int end) {
        int p = options;
        while (p + 4 <= end) {
            int code = in.getUnsignedShort(p);
            int len = in.getUnsignedShort(p + 2);
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1 && p + 4 < end) {
                int v = in.array()[p + 4] & 0xff;
                int exponent = v & 0x7f;
                if ((v & 0x80) != 0) {
                    return exponent >= 62 ? Long.MAX_VALUE : 1L << exponent;
                }
                long units = 1;
                for (int i = 0; i < exponent && units < 1_000_000_000_000_000_000L; i++) {
                    units *= 10;
                }
                return units;
            }
            p += 4 + ((len + 3) & ~3);
        }
        return 1_000_000;
    }

    static long toNanos(long ts, long unitsPerSecond) {
        if (unitsPerSecond == 1_000_000) {
            return ts * 1000;
        }
        if (unitsPerSecond == 1_000_000_000) {
            return ts;
        }
        long seconds = Long.divideUnsigned(ts, unitsPerSecond);
        long rest = Long.remainderUnsigned(ts, unitsPerSecond);
        return seconds * 1_000_000_000L + (long) (rest * (1e9 / unitsPerSecond));
    }
}
