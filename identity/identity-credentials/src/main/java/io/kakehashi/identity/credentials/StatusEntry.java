package io.kakehashi.identity.credentials;

import org.eclipse.edc.spi.result.Result;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A credential's {@code credentialStatus}: its place in an issuer's Bitstring Status List. Immutable and thread-safe.
 *
 * @param listCredential the URL of the status list credential
 * @param index          the credential's bit in the list
 * @param purpose        {@code revocation} (the only purpose Kakehashi issues and checks)
 */
public record StatusEntry(String listCredential, int index, String purpose) {

    public static final String TYPE = "BitstringStatusListEntry";
    public static final String REVOCATION = "revocation";

    public Map<String, Object> toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put("id", listCredential + "#" + index);
        json.put("type", TYPE);
        json.put("statusPurpose", purpose);
        json.put("statusListIndex", Integer.toString(index));
        json.put("statusListCredential", listCredential);
        return json;
    }

    static Result<StatusEntry> fromJson(Object json) {
        if (!(json instanceof Map<?, ?> map) || !TYPE.equals(map.get("type"))) {
            return Result.failure("credentialStatus is not a %s".formatted(TYPE));
        }
        if (!(map.get("statusListCredential") instanceof String url) || url.isBlank()) {
            return Result.failure("credentialStatus has no statusListCredential");
        }
        if (!(map.get("statusPurpose") instanceof String purpose)) {
            return Result.failure("credentialStatus has no statusPurpose");
        }
        try {
            var index = Integer.parseInt(String.valueOf(map.get("statusListIndex")));
            if (index < 0) {
                return Result.failure("credentialStatus has a negative statusListIndex");
            }
            return Result.success(new StatusEntry(url, index, purpose));
        } catch (NumberFormatException e) {
            return Result.failure("credentialStatus has no numeric statusListIndex");
        }
    }
}
