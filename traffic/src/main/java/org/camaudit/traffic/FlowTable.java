package org.camaudit.traffic;

import java.util.Arrays;
import java.util.Optional;

/**
 * Live TCP/UDP flows by 5-tuple, both directions in one entry, counted in primitive arrays with an
 * open-addressing index: no allocation per packet. Bounded: when full, the oldest flow (first seen)
 * is folded into the {@link FlowBook} to make room; at the end every flow is.
 */
final class FlowTable {
    private final int capacity;
    private final int[] index;
    private final int mask;
    /** per flow: src high/low, dst high/low (IPv4 in the low word), ports and protocol. */
    private final long[] keys;
    private final long[] bytes;
    private final long[] packets;
    private final long[] first;
    private final long[] last;
    private final int[] versions;
    /** whether the flow's first packet was a TCP SYN or SYN-ACK (UDP: always). */
    private final boolean[] opened;
    private int size;
    private int oldest;
    private int nextFree;
    private final FlowBook book;
    private long evicted;

    FlowTable(int capacity, FlowBook book) {
        this.capacity = capacity;
        this.book = book;
        int slots = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        this.index = new int[slots];
        this.mask = slots - 1;
        this.keys = new long[capacity * 5];
        this.bytes = new long[capacity];
        this.packets = new long[capacity];
        this.first = new long[capacity];
        this.last = new long[capacity];
        this.versions = new int[capacity];
        this.opened = new boolean[capacity];
    }

    long evicted() {
        return evicted;
    }

    void add(Packet p) {
        long s0;
        long s1;
        long d0;
        long d1;
        if (p.ipVersion == 4) {
            s0 = 0;
            d0 = 0;
            s1 = p.u32(p.srcIp) & 0xffffffffL;
            d1 = p.u32(p.dstIp) & 0xffffffffL;
        } else {
            s0 = word(p, p.srcIp);
            s1 = word(p, p.srcIp + 8);
            d0 = word(p, p.dstIp);
            d1 = word(p, p.dstIp + 8);
        }
        long forward = (long) p.srcPort << 24 | (long) p.dstPort << 8 | p.protocol;
        long backward = (long) p.dstPort << 24 | (long) p.srcPort << 8 | p.protocol;
        int flow = find(s0, s1, d0, d1, forward);
        if (flow < 0) {
            flow = find(d0, d1, s0, s1, backward);
        }
        if (flow < 0) {
            boolean synAck = p.protocol == 6 && (p.tcpFlags & 0x12) == 0x12;
            flow = synAck
                    ? insert(d0, d1, s0, s1, backward, p.ipVersion)
                    : insert(s0, s1, d0, d1, forward, p.ipVersion);
            first[flow] = p.nanos;
            opened[flow] = p.protocol != 6 || (p.tcpFlags & 0x02) != 0;
        }
        bytes[flow] += p.original;
        packets[flow]++;
        last[flow] = Math.max(last[flow], p.nanos);
    }

    private static long word(Packet p, int at) {
        return (long) p.u32(at) << 32 | (p.u32(at + 4) & 0xffffffffL);
    }

    private static int hash(long s0, long s1, long d0, long d1, long ports) {
        long h = s0 * 0x9E3779B97F4A7C15L ^ s1 * 0xC2B2AE3D27D4EB4FL ^ d0 * 0x165667B19E3779F9L
                ^ d1 * 0xD6E8FEB86659FD93L ^ ports * 0xFF51AFD7ED558CCDL;
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 17));
    }

    private int find(long s0, long s1, long d0, long d1, long ports) {
        int slot = hash(s0, s1, d0, d1, ports) & mask;
        while (true) {
            int entry = index[slot];
            if (entry == 0) {
                return -1;
            }
            int f = entry - 1;
            int k = f * 5;
            if (keys[k + 4] == ports && keys[k + 1] == s1 && keys[k + 3] == d1 && keys[k] == s0
                    && keys[k + 2] == d0) {
                return f;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int insert(long s0, long s1, long d0, long d1, long ports, int version) {
        int f;
        if (size == capacity) {
            f = oldest;
            fold(f);
            remove(f);
            oldest = (oldest + 1) % capacity;
            evicted++;
        } else {
            f = nextFree;
            nextFree = (nextFree + 1) % capacity;
            size++;
        }
        int k = f * 5;
        keys[k] = s0;
        keys[k + 1] = s1;
        keys[k + 2] = d0;
        keys[k + 3] = d1;
        keys[k + 4] = ports;
        versions[f] = version;
        bytes[f] = 0;
        packets[f] = 0;
        last[f] = Long.MIN_VALUE;
        int slot = hash(s0, s1, d0, d1, ports) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = f + 1;
        return f;
    }

    /** Deletes flow f from the index, shifting later entries of its probe run back. */
    private void remove(int f) {
        int k = f * 5;
        int slot = hash(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4]) & mask;
        while (index[slot] != f + 1) {
            slot = (slot + 1) & mask;
        }
        int hole = slot;
        int i = (hole + 1) & mask;
        while (index[i] != 0) {
            int g = index[i] - 1;
            int gk = g * 5;
            int home = hash(keys[gk], keys[gk + 1], keys[gk + 2], keys[gk + 3], keys[gk + 4])
                    & mask;
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                index[hole] = index[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        index[hole] = 0;
    }

    private void fold(int f) {
        int k = f * 5;
        String src = address(keys[k], keys[k + 1], versions[f]);
        String dst = address(keys[k + 2], keys[k + 3], versions[f]);
        long ports = keys[k + 4];
        // no MAC: a frame's MAC may be a router's (the LinkBook says which MAC is whose)
        book.add(src, dst, (int) (ports >>> 8) & 0xffff, (int) (ports & 0xff), "capture",
                Optional.empty(), opened[f],
                bytes[f], packets[f], first[f], last[f]);
    }

    /** Folds every live flow into the book and empties the table. */
    void drain() {
        for (int n = 0, f = oldest; n < size; n++, f = (f + 1) % capacity) {
            fold(f);
        }
        Arrays.fill(index, 0);
        size = 0;
        oldest = 0;
        nextFree = 0;
    }

    private static String address(long high, long low, int version) {
        byte[] b = new byte[version == 4 ? 4 : 16];
        if (version == 4) {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (low >>> (24 - 8 * i));
            }
            return Packet.address(b, 0, 4);
        }
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return Packet.address(b, 0, 6);
    }
}
