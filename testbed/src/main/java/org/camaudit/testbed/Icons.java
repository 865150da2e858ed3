package org.camaudit.testbed;

import java.nio.charset.StandardCharsets;

/**
 * Favicons for simulated devices. They are made here (a tiny valid ICO header and a per-vendor
 * pattern), not copied from any product: their hashes are the testbed's own and never match a
 * real device's published favicon hash.
 */
final class Icons {
    private Icons() {
    }

    static byte[] icon(String vendor) {
        byte[] name = vendor.getBytes(StandardCharsets.US_ASCII);
        byte[] ico = new byte[6 + 16 + 40 + 64];
        ico[2] = 1; // type: icon
        ico[4] = 1; // one image
        ico[6] = 4; // 4x4
        ico[7] = 4;
        ico[10] = 1; // planes
        ico[12] = 32; // bits per pixel
        int size = 40 + 64;
        ico[14] = (byte) size;
        ico[18] = 22; // offset of the bitmap
        ico[22] = 40; // BITMAPINFOHEADER size
        for (int i = 0; i < 64; i++) {
            ico[62 + i] = name[i % name.length];
        }
        return ico;
    }
}
