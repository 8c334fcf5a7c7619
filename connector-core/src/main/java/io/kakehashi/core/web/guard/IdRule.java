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
        return Optional.empty();
    }
}
