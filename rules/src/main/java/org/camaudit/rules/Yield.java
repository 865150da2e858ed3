package org.camaudit.rules;

import java.util.Optional;

/** What a rule concluded from one value; empty parts are things it did not say. */
record Yield(Optional<String> brand, Optional<String> platform, Optional<String> model,
        Optional<String> firmware, Optional<String> type) {

    String describe() {
        StringBuilder sb = new StringBuilder();
        brand.ifPresent(v -> sb.append("brand=").append(v).append(' '));
        platform.ifPresent(v -> sb.append("platform=").append(v).append(' '));
        model.ifPresent(v -> sb.append("model=").append(v).append(' '));
        firmware.ifPresent(v -> sb.append("firmware=").append(v).append(' '));
        type.ifPresent(v -> sb.append("type=").append(v).append(' '));
        return sb.toString().strip();
    }
}
