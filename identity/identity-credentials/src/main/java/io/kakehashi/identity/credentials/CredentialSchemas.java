package io.kakehashi.identity.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.kakehashi.core.spi.json.JsonCodec;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a credential against the JSON schemas it names in {@code credentialSchema} (types {@code JsonSchema}, VC 2.0,
 * and {@code JsonSchemaValidator2018}, VC 1.1): each schema is fetched like a status list (https; plain http only for
 * loopback hosts when allowed), kept for {@code cacheValidity}, and the {@code credentialSubject} must satisfy it. A
 * schema that cannot be fetched or read, or one of another type, refuses the credential — a verifier that names no
 * check it cannot make. The schema's own {@code $ref}s are never fetched (a credential must not make the verifier
 * call arbitrary addresses); JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12 are understood. JSON is read with
 * {@link JsonCodec}, as the rest of the credentials library (which the issuer tool uses outside a runtime). Thread-safe.
 */
public class CredentialSchemas {

    static final Set<String> TYPES = Set.of("JsonSchema", "JsonSchemaValidator2018");

    private record Cached(Schema schema, Instant expires) {
    }

    private final DocumentFetcher fetcher;
    private final Clock clock;
    private final Duration cacheValidity;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Built at the first schema a credential names: building it loads about 200 classes, which start-up need not pay. */
    private SchemaRegistry registry;

    public CredentialSchemas(DocumentFetcher fetcher, Clock clock, Duration cacheValidity) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.cacheValidity = cacheValidity;
    }

    private synchronized SchemaRegistry registry() {
        if (registry == null) {
            registry = SchemaRegistry.withDialects(
                    List.of(Dialects.getDraft4(), Dialects.getDraft6(), Dialects.getDraft7(), Dialects.getDraft201909(), Dialects.getDraft202012()),
                    builder -> builder.defaultDialectId(Dialects.getDraft202012().getId())
                            .schemaLoader(loader -> loader.fetchRemoteResources(false)));
        }
        return registry;
    }

    /** Checks the {@code credentialSubject} of {@code credential} (the credential's JSON) against each schema it names. */
    public Result<Void> check(Map<String, Object> credential) {
        var declared = credential.get("credentialSchema");
        if (declared == null) {
            return Result.success();
        }
        for (var entry : declared instanceof Collection<?> list ? list : List.of(declared)) {
            if (!(entry instanceof Map<?, ?> reference) || !(reference.get("id") instanceof String url) || url.isBlank()) {
                return Result.failure("credentialSchema has no id");
            }
            if (!TYPES.contains(reference.get("type"))) {
                return Result.failure("credentialSchema type '%s' is not one this verifier checks %s".formatted(reference.get("type"), TYPES));
            }
            var schema = schema(url);
            if (schema.failed()) {
                return schema.mapFailure();
            }
            JsonNode subject = JsonCodec.toTree(credential.get("credentialSubject"));
            List<Error> errors = schema.getContent().validate(subject);
            if (!errors.isEmpty()) {
                return Result.failure("credentialSubject does not satisfy the credential schema %s: %s"
                        .formatted(url, errors.stream().map(Error::toString).limit(3).collect(Collectors.joining("; "))));
            }
        }
        return Result.success();
    }

    private Result<Schema> schema(String url) {
        var now = clock.instant();
        var cached = cache.get(url);
        if (cached != null && now.isBefore(cached.expires())) {
            return Result.success(cached.schema());
        }
        var body = fetcher.fetch(url);
        if (body.failed()) {
            return Result.failure("credential schema %s cannot be fetched: %s".formatted(url, body.getFailureDetail()));
        }
        try {
            var node = JsonCodec.reader().readTree(body.getContent());
            if (node == null || !node.isObject()) {
                return Result.failure("credential schema %s is not a JSON object".formatted(url));
            }
            var schema = registry().getSchema(body.getContent());
            schema.initializeValidators();
            cache.put(url, new Cached(schema, now.plus(cacheValidity)));
            return Result.success(schema);
        } catch (JsonProcessingException | RuntimeException e) {
            return Result.failure("credential schema %s is not a JSON Schema this verifier reads: %s".formatted(url, e.getClass().getSimpleName()));
        }
    }
}
