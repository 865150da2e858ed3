package org.camaudit.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camaudit.model.Scope;

/** Parses port lists: {@code 80,443,8000-8010}, or {@code camera} for the camera profile. */
final class PortList {
    private PortList() {
    }

    static final int MAX_PORTS = 65535;

    static List<Integer> parse(String text) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.equalsIgnoreCase("camera")) {
                out.addAll(Scope.CAMERA_PORTS);
                continue;
            }
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 1 || hi > 65535 || lo > hi) {
                    throw new UsageException("port out of range in '" + p + "' (1-65535)");
                }
                for (int i = lo; i <= hi; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new UsageException("not a port or port range: '" + p + "'");
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("no ports given");
        }
        return new ArrayList<>(out);
    }
}
