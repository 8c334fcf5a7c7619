package io.kakehashi.policy.auditor;

import io.kakehashi.identity.spi.RegistryIdentifier;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an auditor's query parameters into a {@link DecisionQuery}. Every parameter is checked: an unknown or
 * repeated parameter, a scope or outcome that does not exist, a time that is not an ISO 8601 instant or a page
 * outside the limits is a failure naming the parameter, because a filter silently ignored would show an auditor
 * more (or less) than they asked for. Stateless and thread-safe.
 */
final class AuditQueryParser {

    static final Set<String> PARAMETERS = Set.of("counterparty", "legalId", "agreement", "asset", "scope", "outcome", "digest", "from", "to",
            "offset", "limit");

    private AuditQueryParser() {
    }

    static Result<DecisionQuery> parse(Map<String, List<String>> parameters) {
        var unknown = parameters.keySet().stream().filter(name -> !PARAMETERS.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            return Result.failure("unknown query parameter(s) %s; known: %s".formatted(unknown, PARAMETERS.stream().sorted().toList()));
        }
        var repeated = parameters.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).sorted().toList();
        if (!repeated.isEmpty()) {
            return Result.failure("query parameter(s) %s given more than once".formatted(repeated));
        }
        try {
            var builder = DecisionQuery.builder()
                    .counterpartyId(single(parameters, "counterparty"))
                    .agreementId(single(parameters, "agreement"))
                    .assetId(single(parameters, "asset"));
            var scope = single(parameters, "scope");
            if (scope != null) {
                builder.scope(DecisionScope.fromWireName(scope).orElseThrow(() -> new IllegalArgumentException(
                        "scope '%s' is not one of %s".formatted(scope, Arrays.stream(DecisionScope.values()).map(DecisionScope::wireName).toList()))));
            }
            var outcome = single(parameters, "outcome");
            if (outcome != null) {
                builder.outcome(outcome(outcome));
            }
            var legalId = single(parameters, "legalId");
            if (legalId != null) {
                // checked as the credential's identifier is, so a mistyped number is a 400 rather than an empty page
                var id = RegistryIdentifier.parse(legalId);
                if (id.failed()) {
                    throw new IllegalArgumentException("legalId: " + id.getFailureDetail());
                }
                builder.legalId(id.getContent().toString());
            }
            var digest = single(parameters, "digest");
            if (digest != null) {
                // hex is case-insensitive for whoever pastes it; the log keeps lowercase
                builder.digest(digest.toLowerCase(Locale.ROOT));
            }
            builder.from(instant(parameters, "from")).to(instant(parameters, "to"));
            var offset = single(parameters, "offset");
            builder.offset(offset == null ? 0 : number(offset, "offset"));
            var limit = single(parameters, "limit");
            builder.limit(limit == null ? DecisionQuery.DEFAULT_LIMIT : (int) Math.min(Integer.MAX_VALUE, number(limit, "limit")));
            return Result.success(builder.build());
        } catch (IllegalArgumentException e) {
            return Result.failure(e.getMessage());
        }
    }

    /**
     * A 1-based position parameter of verify and export; absent is the default.
     */
    static Result<Long> position(Map<String, List<String>> parameters, String name, long defaultValue) {
        try {
            var value = single(parameters, name);
            var position = value == null ? defaultValue : number(value, name);
            return position >= 1 ? Result.success(position) : Result.failure("%s must be at least 1: %d".formatted(name, position));
        } catch (IllegalArgumentException e) {
            return Result.failure(e.getMessage());
        }
    }

    /**
     * Fails when a parameter outside {@code allowed} is present.
     */
    static Result<Void> only(Map<String, List<String>> parameters, Set<String> allowed) {
        var unknown = parameters.keySet().stream().filter(name -> !allowed.contains(name)).sorted().toList();
        return unknown.isEmpty() ? Result.success()
                : Result.failure("unknown query parameter(s) %s; known: %s".formatted(unknown, allowed.stream().sorted().toList()));
    }

    private static DecisionOutcome outcome(String value) {
        try {
            return DecisionOutcome.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outcome '%s' is not one of %s".formatted(value,
                    Arrays.stream(DecisionOutcome.values()).map(Enum::name).collect(Collectors.toList())));
        }
    }

    private static Instant instant(Map<String, List<String>> parameters, String name) {
        var value = single(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("%s '%s' is not an ISO 8601 instant such as 2026-11-23T09:00:00Z".formatted(name, value));
        }
    }

    private static long number(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s '%s' is not a whole number".formatted(name, value));
        }
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        var values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("query parameter '%s' given more than once".formatted(name));
        }
        var value = values.get(0);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter '%s' is empty".formatted(name));
        }
        return value;
    }
}
