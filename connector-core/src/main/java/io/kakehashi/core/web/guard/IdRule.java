package io.kakehashi.core.web.guard;

import java.util.Optional;
import java.util.Set;

/**
 * Bounds an id that a counterparty or a management caller chooses (an {@code @id}, a {@code consumerPid}, an
 * {@code agreementId}, …): at most a configured number of characters, and no control or format character — NUL
 * cannot be stored in PostgreSQL, and line breaks or bidirectional overrides in an id make logs and screens show
 * something other than what is stored. Stateless; thread-safe.
 */
public final class IdRule {

    /**
     * Local names (after the last {@code /}, {@code #} or {@code :} of a property IRI) of properties holding ids, and of
     * the callback address a counterparty chooses, which is stored beside them and bounded the same way.
     */
    public static final Set<String> ID_PROPERTIES = Set.of("id", "consumerPid", "providerPid", "agreementId", "assetId", "offerId",
            "processId", "correlationId", "policyId", "accessPolicyId", "contractPolicyId", "contractDefinitionId",
            "transferProcessId", "negotiationId", "contractId", "dataPlaneId", "target", "callbackAddress");

    /**
     * Process ids a counterparty chooses that the connector later puts into a path of the counterparty's callback
     * address ({@code <callback>/negotiations/<consumerPid>/agreement}): one non-empty RFC 3986 path segment, so that
     * no id can climb out of its place ({@code ../}), carry escapes ({@code %00}) or spaces.
     */
    static final Set<String> PATH_SEGMENT_IDS = Set.of("consumerPid", "providerPid");

    private static final String SEGMENT_PUNCTUATION = "-._~!$&'()*+,;=:@";

    private final int maxLength;

    public IdRule(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
        this.maxLength = maxLength;
    }

    /** Whether a property (by its IRI or compact name) holds an id. */
    public static boolean isIdProperty(String property) {
        return "@id".equals(property) || ID_PROPERTIES.contains(localName(property));
    }

    static String localName(String property) {
        var cut = Math.max(property.lastIndexOf('/'), Math.max(property.lastIndexOf('#'), property.lastIndexOf(':')));
        return cut < 0 ? property : property.substring(cut + 1);
    }

    /**
     * @param field how the message names the id
     * @return what is wrong with the id, or empty when it is acceptable
     */
    public Optional<String> check(String field, String id) {
        if (id.length() > maxLength) {
            return Optional.of("%s: longer than %d characters".formatted(field, maxLength));
        }
        for (var i = 0; i < id.length(); ) {
            var codePoint = id.codePointAt(i);
            var type = Character.getType(codePoint);
            if (type == Character.CONTROL) {
                return Optional.of("%s: contains the control character U+%04X".formatted(field, codePoint));
            }
            if (type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return Optional.of("%s: contains the invisible or bidirectional formatting character U+%04X".formatted(field, codePoint));
            }
            i += Character.charCount(codePoint);
        }
        // DSP's context makes consumerPid and providerPid IRIs, so expanded they arrive as "consumerPid/@id"
        var property = field.endsWith("/@id") ? field.substring(0, field.length() - "/@id".length()) : field;
        if (PATH_SEGMENT_IDS.contains(property)) {
            return checkSegment(field, id);
        }
        return Optional.empty();
    }

    private static Optional<String> checkSegment(String field, String id) {
        if (id.isBlank()) {
            return Optional.of("%s: must not be empty".formatted(field));
        }
        if (id.equals(".") || id.equals("..")) {
            return Optional.of("%s: must not be '%s'".formatted(field, id));
        }
        for (var i = 0; i < id.length(); i++) {
            var c = id.charAt(i);
            var letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && SEGMENT_PUNCTUATION.indexOf(c) < 0) {
                return Optional.of("%s: may hold only letters, digits and %s (it becomes a path segment of the callback address), not U+%04X"
                        .formatted(field, SEGMENT_PUNCTUATION, (int) c));
            }
        }
        return Optional.empty();
    }
}
