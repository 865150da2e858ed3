package org.camaudit.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one device is: the brand on the box, the platform maker who built its firmware or hardware
 * (a Hikvision camera sold as Annke has brand Annke, platform Hikvision), model, firmware, device
 * type, a confidence, and the evidence that supports it. Conflicting evidence is listed in
 * {@code conflicts}, never silently resolved. An unknown device has every optional empty and
 * confidence 0.
 *
 * @param address the device's address (the first seen when keyed by MAC)
 * @param mac lower-case colon-separated MAC, when known
 * @param platform the platform maker, a canonical vendor name
 * @param type a device type from the closed type list ({@code ip-camera}, {@code nvr}, ...)
 * @param confidence 0..1
 * @param oemRebrand true when brand and platform maker are different companies
 * @param evidence the rules that fired, strongest first
 * @param conflicts human-readable descriptions of evidence that disagrees
 */
public record Identification(String address, Optional<String> mac, Optional<String> brand,
        Optional<String> platform, Optional<String> model, Optional<String> firmware,
        Optional<String> type, double confidence, boolean oemRebrand, List<Evidence> evidence,
        List<String> conflicts) {
    /**
     * How the MAC evidence ({@code field} {@link Fields#MAC}) ends its {@code said} when the MAC's
     * registrant is all that names the maker: reports show such a maker as "by MAC".
     */
    public static final String BY_MAC = "by MAC";

    public Identification {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("an identification needs an address");
        }
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(type, "type");
        mac = mac.map(Observation::normaliseMac).filter(m -> !m.isEmpty());
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence out of 0..1: " + confidence);
        }
        if (oemRebrand && (brand.isEmpty() || platform.isEmpty())) {
            throw new IllegalArgumentException("an OEM rebrand needs both a brand and a platform");
        }
        evidence = List.copyOf(evidence);
        conflicts = List.copyOf(conflicts);
    }

    /** A device no rule recognised. */
    public static Identification unknown(String address, Optional<String> mac) {
        return new Identification(address, mac, Optional.empty(), Optional.empty(), Optional
                .empty(), Optional.empty(), Optional.empty(), 0, false, List.of(), List.of());
    }

    /** The key that groups a device's observations: its MAC when known, else its address. */
    public String deviceKey() {
        return mac.orElse(address);
    }

    /**
     * True when only the MAC's registrant names the maker (low confidence, shown "by MAC"): no
     * protocol said who made the device.
     */
    public boolean makerByMac() {
        return !isUnknown() && evidence.stream().anyMatch(e -> e.field().equals(Fields.MAC) && e
                .said().endsWith(BY_MAC));
    }

    /** The maker an inventory shows: brand, else platform; "(by MAC)" when only the MAC says so. */
    public Optional<String> makerLabel() {
        return brand.or(() -> platform).map(m -> makerByMac() ? m + " (" + BY_MAC + ")" : m);
    }

    /** True when nothing was concluded about who made it. */
    public boolean isUnknown() {
        return brand.isEmpty() && platform.isEmpty();
    }
}
