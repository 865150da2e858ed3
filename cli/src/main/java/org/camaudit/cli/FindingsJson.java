package org.camaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camaudit.model.Finding;
import org.camaudit.report.DeviceJson;

/** One finding as a JSON object (the shape of {@code findings --json} and {@code diff --json}). */
final class FindingsJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private FindingsJson() {
    }

    static ObjectNode of(Finding f) {
        return DeviceJson.finding(f);
    }
}
