package io.kakehashi.identity.credentials;

import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trust anchors: the DIDs of the issuers (dataspace authorities) whose credentials this connector believes, each
 * for a set of credential types or for every type. Several anchors may be configured, e.g. a Japanese and a European
 * authority. Immutable and thread-safe.
 */
public class TrustedIssuers {

    /**
     * @param did   the issuer's DID
     * @param types the credential types it is trusted for; empty for every type
     */
    public record TrustedIssuer(String did, Set<String> types) {
        public TrustedIssuer {
            types = Set.copyOf(types);
        }
    }

    private final Map<String, TrustedIssuer> issuers;

    public TrustedIssuers(List<TrustedIssuer> issuers) {
        this.issuers = issuers.stream().collect(Collectors.toUnmodifiableMap(TrustedIssuer::did, Function.identity(), (a, b) -> a));
    }

    public boolean isEmpty() {
        return issuers.isEmpty();
    }

    /** How many anchors are configured. */
    public int size() {
        return issuers.size();
    }

    /** Whether {@code issuer} is trusted for every one of {@code types} it issued (besides VerifiableCredential). */
    public Result<Void> check(String issuer, List<String> types) {
        var anchor = issuers.get(issuer);
        if (anchor == null) {
            return Result.failure("issuer '%s' is not a trusted issuer".formatted(issuer));
        }
        if (anchor.types().isEmpty()) {
            return Result.success();
        }
        return types.stream().filter(type -> !Credentials.VERIFIABLE_CREDENTIAL.equals(type))
                .filter(type -> !anchor.types().contains(type))
                .findFirst()
                .<Result<Void>>map(type -> Result.failure("issuer '%s' is not trusted for %s".formatted(issuer, type)))
                .orElseGet(Result::success);
    }
}
