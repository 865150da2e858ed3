package org.camaudit.report;

import java.util.List;
import java.util.TreeSet;

/**
 * What one address had open in a scan.
 *
 * @param tcpPorts open TCP ports, ascending, without repeats
 * @param protocols protocols that answered ({@code http}, {@code rtsp}, {@code onvif}, ...),
 *     sorted, without repeats
 */
public record DeviceServices(List<Integer> tcpPorts, List<String> protocols) {
    public static final DeviceServices NONE = new DeviceServices(List.of(), List.of());

    public DeviceServices {
        for (int p : tcpPorts) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        }
        tcpPorts = List.copyOf(new TreeSet<>(tcpPorts));
        protocols = List.copyOf(new TreeSet<>(protocols));
    }
}
