package org.camaudit.rules.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.camaudit.model.AuthChallenge;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * One labelled record of the corpus (format: knowledge/corpus, CORPUS-FORMAT): who made the device
 * as its source says, what it is, and the strings it answered with under canonical field keys.
 *
 * @param maker the brand on the box, as the source says
 * @param platform the platform maker beneath, only when the source says it
 * @param device camera, nvr, dvr, intercom, doorbell, vms, router, printer, ...
 * @param fields canonical observation keys to real strings; {@code mac} is the device's MAC
 * @param sourceFamily the records file the record came from, without {@code .jsonl}
 * @param where {@code file:line} of the record, for messages
 */
public record CorpusRecord(String id, String maker, Optional<String> platform, String device,
        Map<String, String> fields, OptionalInt port, Optional<String> protocol, String source,
        String licence, LabelFrom labelFrom, String note, String sourceFamily, String where) {

    /** Device kinds counted as camera records (the camera target of the issue). */
    public static final List<String> CAMERA_DEVICES = List.of("camera", "ip-camera",
            "ptz-camera", "nvr", "dvr", "recorder", "intercom", "doorbell");

    /** Whether the label was given independently of the strings, or read off them. */
    public enum LabelFrom {
        OUTSIDE, BANNER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CorpusRecord {
        fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /** The field family of a key: the part before the first dot ({@code http.server}: http). */
    public static String family(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** The field families this record has, in key order. */
    public List<String> families() {
        List<String> out = new ArrayList<>();
        for (String k : fields.keySet()) {
            String f = family(k);
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    public boolean isCamera() {
        return CAMERA_DEVICES.contains(device.toLowerCase(Locale.ROOT));
    }

    /**
     * The record as the observations a probe or decoder would have made of the device at
     * {@code address}: one per field family, on the record's port when its protocol is that
     * family, else the family's usual port; the MAC on every observation (as ARP or a capture
     * gives it), not as a field; {@code http.realm} derived from {@code http.www_authenticate}
     * as the HTTP probe derives it.
     */
    public List<Observation> observations(String address) {
        String mac = fields.get(Fields.MAC);
        Map<String, Map<String, String>> byFamily = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!f.getKey().equals(Fields.MAC)) {
                byFamily.computeIfAbsent(family(f.getKey()), k -> new TreeMap<>()).put(f.getKey(),
                        f.getValue());
            }
        }
        Map<String, String> http = byFamily.get("http");
        if (http != null && !http.containsKey(Fields.HTTP_REALM) && http.containsKey(
                Fields.HTTP_WWW_AUTHENTICATE)) {
            AuthChallenge.realm(http.get(Fields.HTTP_WWW_AUTHENTICATE)).ifPresent(r -> http.put(
                    Fields.HTTP_REALM, r));
        }
        List<Observation> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : byFamily.entrySet()) {
            String fam = e.getKey();
            WellKnown w = WellKnown.of(fam);
            int p = protocol.filter(fam::equals).isPresent() && port.isPresent()
                    ? port.getAsInt()
                    : w.port;
            Observation.Builder b = Observation.builder(Source.IMPORT, address).protocol(fam)
                    .port(p).transport(w.transport).mac(mac);
            e.getValue().forEach(b::field);
            out.add(b.build());
        }
        if (out.isEmpty() && mac != null) {
            out.add(Observation.builder(Source.PASSIVE, address).protocol("arp").mac(mac)
                    .build());
        }
        return out;
    }

    /** The usual port and transport of a field family. */
    private record WellKnown(int port, Transport transport) {
        static WellKnown of(String family) {
            return switch (family) {
                case "http", "onvif" -> new WellKnown(80, Transport.TCP);
                case "rtsp" -> new WellKnown(554, Transport.TCP);
                case "tls" -> new WellKnown(443, Transport.TCP);
                case "ftp" -> new WellKnown(21, Transport.TCP);
                case "ssh" -> new WellKnown(22, Transport.TCP);
                case "telnet" -> new WellKnown(23, Transport.TCP);
                case "snmp" -> new WellKnown(161, Transport.UDP);
                case "upnp" -> new WellKnown(1900, Transport.UDP);
                case "mdns" -> new WellKnown(5353, Transport.UDP);
                case "dhcp" -> new WellKnown(67, Transport.UDP);
                case "sadp" -> new WellKnown(37020, Transport.UDP);
                case "dhdiscover" -> new WellKnown(37810, Transport.UDP);
                case "dvrip" -> new WellKnown(34567, Transport.TCP);
                case "sdk" -> new WellKnown(8000, Transport.TCP);
                default -> new WellKnown(0, Transport.NONE);
            };
        }
    }
}
