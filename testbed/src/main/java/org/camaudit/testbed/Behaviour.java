package org.camaudit.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a simulated device can be told to do on its own initiative, so that a capture of the
 * testbed holds the traffic a passive audit must recognise. The manifest records each device's
 * behaviours (attribute {@value #ATTRIBUTE}) and the behaviour findings they must produce.
 */
public enum Behaviour {
    /** Resolve the vendor cloud's name through the loopback DNS server, then talk to it. */
    PHONE_HOME("phone-home"),
    /** Accept a connection from an outside peer and forward its bytes to another one, both ways. */
    RELAY("relay"),
    /** Try TCP port 23 on many outside addresses, as Mirai-style botnet members do. */
    TELNET_SCAN("telnet-scan");

    /** The device attribute holding its behaviours, comma-separated labels. */
    public static final String ATTRIBUTE = "behaviour";
    /** The finding of a relaying device (rules BehaviourDetector). */
    static final String RELAY_FINDING = "relay-forwarding";
    /** The finding of a device scanning telnet outward (rules BehaviourDetector). */
    static final String TELNET_SCAN_FINDING = "outbound-telnet-scan";

    private final String label;

    Behaviour(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Behaviour> parse(String label) {
        String l = label.strip().toLowerCase(Locale.ROOT);
        for (Behaviour b : values()) {
            if (b.label.equals(l)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The behaviours a device was told to have, in declaration order. */
    public static List<Behaviour> of(DeviceSpec device) {
        List<Behaviour> out = new ArrayList<>();
        for (String label : device.attribute(ATTRIBUTE, "").split(",")) {
            parse(label).filter(b -> !out.contains(b)).ifPresent(out::add);
        }
        out.sort(null);
        return out;
    }

    /** Whether this device can be told to behave so (phone-home needs a simulated cloud). */
    public boolean suits(DeviceSpec device) {
        boolean equipment = switch (device.type()) {
            case "camera", "nvr", "dvr", "intercom" -> true;
            default -> false;
        };
        return equipment && (this != PHONE_HOME || VendorCloud.of(device).isPresent());
    }

    /** The behaviour finding ids a passive audit must report for this device. */
    public static List<String> expectedFindings(DeviceSpec device) {
        List<String> out = new ArrayList<>();
        for (Behaviour b : of(device)) {
            switch (b) {
                case PHONE_HOME -> VendorCloud.of(device).ifPresent(c -> out.add(c.findingId()));
                case RELAY -> out.add(RELAY_FINDING);
                case TELNET_SCAN -> out.add(TELNET_SCAN_FINDING);
            }
        }
        return out;
    }
}
