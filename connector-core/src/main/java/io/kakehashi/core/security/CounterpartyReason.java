package io.kakehashi.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.core.spi.json.JsonCodec;

import java.util.ArrayList;

/**
 * Makes the reason a counterparty gave for a termination fit to be stored as an error detail: it is untrusted input.
 * The reason EDC's DSP transformers hand over is the message's expanded {@code reason} array as JSON text; its values
 * are taken out of it ({@code [{"@value":"No dataplane found"}]} becomes {@code No dataplane found}). Control and
 * format characters (line breaks, NUL, bidirectional overrides) are dropped, and a text longer than
 * {@link #MAX_LENGTH} characters is cut, with a marker saying how long it was. Redaction of secrets is the stores'
 * ({@link SecretRedactor}), as for every error detail. The reason's JSON is read with {@link JsonCodec} (Jackson's
 * limits: nested deeper than 1000 levels, it is kept as text). Stateless.
 */
final class CounterpartyReason {

    static final int MAX_LENGTH = 1000;
    static final String CUT_MARKER = " [cut: %d characters in all]";

    private CounterpartyReason() {
    }

    /**
     * @param reason the reason as EDC parsed it, or null
     * @param code   the message's code, or null
     * @return the error detail to store: who ended the process and why
     */
    static String describe(String reason, String code) {
        var text = sanitize(values(reason));
        var codeText = sanitize(code == null ? "" : code);
        var detail = new StringBuilder("Terminated by the counterparty");
        if (!codeText.isBlank()) {
            detail.append(" (code ").append(bound(codeText, 100)).append(')');
        }
        detail.append(text.isBlank() ? ", no reason given" : ": " + bound(text, MAX_LENGTH));
        return detail.toString();
    }

    private static String values(String reason) {
        if (reason == null) {
            return "";
        }
        var trimmed = reason.strip();
        if (!trimmed.startsWith("[")) {
            return reason;
        }
        try {
            var parsed = JsonCodec.reader().readTree(trimmed);
            if (!parsed.isArray()) {
                return reason;
            }
            var parts = new ArrayList<String>();
            parsed.forEach(element -> parts.add(value(element)));
            return String.join("; ", parts);
        } catch (Exception e) {
            return reason;
        }
    }

    private static String value(JsonNode element) {
        if (element.isTextual()) {
            return element.asText();
        }
        if (element.isObject() && element.has("@value") && element.get("@value").isValueNode()) {
            return element.get("@value").asText();
        }
        return element.toString();
    }

    private static String sanitize(String text) {
        var clean = new StringBuilder(Math.min(text.length(), 4 * MAX_LENGTH));
        text.codePoints().forEach(c -> {
            var type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return;
            }
            clean.appendCodePoint(c);
        });
        return clean.toString().strip();
    }

    private static String bound(String text, int max) {
        var length = text.codePointCount(0, text.length());
        if (length <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max)) + CUT_MARKER.formatted(length);
    }
}
