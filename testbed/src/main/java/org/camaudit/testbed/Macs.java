package org.camaudit.testbed;

import java.util.random.RandomGenerator;

/** MAC addresses for simulated devices: a vendor prefix and random device bits. */
final class Macs {
    private Macs() {
    }

    static String random(RandomGenerator r, String oui) {
        return oui.toLowerCase(java.util.Locale.ROOT) + String.format(":%02x:%02x:%02x", r.nextInt(
                256), r.nextInt(256), r.nextInt(256));
    }
}
