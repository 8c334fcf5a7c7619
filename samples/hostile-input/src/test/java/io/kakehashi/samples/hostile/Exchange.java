package io.kakehashi.samples.hostile;

import java.util.List;
import java.util.Map;

/**
 * One hostile request and the connector's answer: which family and probe it belongs to, what was sent (method,
 * address, a short description of the body), and the status, headers and body that came back. A gRPC call is written
 * the same way, its status code name in {@code body}'s first line and a status of 0. Immutable.
 */
public record Exchange(String family, String probe, String method, String url, String sent, int status,
                       Map<String, List<String>> headers, String body) {

    /** The answer's headers and body as one text, to search for secrets. */
    public String answerText() {
        return headers + "\n" + body;
    }

    /** A one-line account of the request and its answer, the answer cut short (and withheld when it reveals a secret). */
    public String describe(boolean withholdAnswer) {
        var answer = withholdAnswer ? "(answer withheld: it reveals a secret)" : excerpt(body, 300);
        return "[%s] %s: %s %s %s -> %d %s".formatted(family, probe, method, excerpt(url, 160), sent == null ? "" : "body " + excerpt(sent, 160),
                status, answer);
    }

    static String excerpt(String text, int max) {
        if (text == null) {
            return "";
        }
        var visible = text.replace("\u0000", "\\u0000").replace("\n", " ");
        var builder = new StringBuilder();
        visible.codePoints().limit(max).forEach(codePoint -> {
            if (Character.getType(codePoint) == Character.FORMAT || Character.isISOControl(codePoint)) {
                builder.append("\\u%04x".formatted(codePoint));
            } else {
                builder.appendCodePoint(codePoint);
            }
        });
        return visible.length() > max ? builder + "… (" + text.length() + " chars)" : builder.toString();
    }
}
