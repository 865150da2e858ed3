package org.camaudit.probes.service;

/** MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain algorithm), little-endian blocks. */
final class MurmurHash3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {
    }

    static int x86x32(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
            h ^= scramble(k);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k = 0;
        switch (data.length & 3) {
            case 3 :
                k ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2 :
                k ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1 :
                k ^= data[tail] & 0xff;
                h ^= scramble(k);
                break;
            default :
                break;
        }
        h ^= data.length;
        return mix(h);
    }

    private static int scramble(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
