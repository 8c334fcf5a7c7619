package io.kakehashi.core.console;

import java.nio.charset.StandardCharsets;

/** EDC's error shape, {@code [{"message": "…", "type": "…"}]}, as bytes; messages are fixed texts of this module. */
final class ErrorBody {

    private ErrorBody() {
    }

    static byte[] of(String message, String type) {
        return "[{\"message\":\"%s\",\"type\":\"%s\"}]".formatted(escape(message), escape(type)).getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        var out = new StringBuilder();
        for (var c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
