package io.kakehashi.core.security;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;

import java.util.List;
import java.util.Set;

import static org.eclipse.edc.spi.constants.CoreConstants.EDC_NAMESPACE;
import static org.eclipse.edc.validator.spi.Violation.violation;

/**
 * What a counterparty's {@code HttpData} destination (EDC's HTTP push sink) may say: where to send
 * ({@code baseUrl}, {@code path}, {@code queryParams}, {@code method}), how ({@code contentType},
 * {@code nonChunkedTransfer}, the part {@code name}, additional {@code header:*} headers) and an authentication header
 * given inline ({@code authKey} with {@code authCode}). Nothing that makes our data plane look anything up: no
 * {@code secretName} (EDC resolves it in our vault when {@code authKey} comes without {@code authCode}), no OAuth2
 * ({@code oauth2:*}: its credentials are vault aliases too), no proxy settings (those belong to sources). Stateless.
 */
public final class HttpDataDestinations {

    public static final String TYPE = "HttpData";
    public static final String AUTH_KEY = "authKey";
    public static final String AUTH_CODE = "authCode";

    private static final DestinationAllowList ALLOW_LIST = DestinationAllowList.of(TYPE,
            Set.of("baseUrl", "path", "queryParams", "method", "contentType", "nonChunkedTransfer", "name", AUTH_KEY, AUTH_CODE),
            List.of("header:"));

    private HttpDataDestinations() {
    }

    /** The allow-list and the rule that an {@code authKey} comes with its {@code authCode}. */
    public static Validator<DataAddress> validator() {
        return address -> {
            var allowed = ALLOW_LIST.validate(address);
            if (allowed.failed()) {
                return allowed;
            }
            if (has(address, AUTH_KEY) && !has(address, AUTH_CODE)) {
                return ValidationResult.failure(violation("the HttpData destination has an authKey without its authCode; "
                        + "the value is given inline, never looked up", AUTH_CODE));
            }
            return ValidationResult.success();
        };
    }

    private static boolean has(DataAddress address, String name) {
        var properties = address.getProperties();
        return properties.get(EDC_NAMESPACE + name) != null || properties.get(name) != null;
    }
}
