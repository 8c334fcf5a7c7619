package io.kakehashi.identity.issuer;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.Credentials;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;

/**
 * The dataspace authority's command line:
 * <pre>
 * init    --dir D --did did:web:…  [--http-loopback]
 * issue   --dir D --type membership|legal-entity|certification|auditor --holder did:web:… [--out FILE]
 *         [--dataspace NAME] [--legal-name NAME --country CC --registry-id JCN:…|LEI:…] [--certification NAME]
 *         [--audit-scope PARTICIPANT,…|*]
 *         [--valid-from ISO-8601] [--valid-until ISO-8601 | --valid-days N] [--format vc2|vc11]
 * revoke  --dir D --credential FILE|urn:uuid:…|INDEX
 * publish --dir D
 * serve   --dir D --port P [--host 127.0.0.1] [--keystore FILE.p12]
 * </pre>
 * Each command prints what it did; a failure prints the reason and exits with status 1 (2 for a usage error).
 * {@code serve --keystore} serves HTTPS with the PKCS#12 keystore's key; its password is read from the environment
 * variable {@value TlsKeystore#PASSWORD_ENV}, never from the command line.
 */
public final class IssuerTool {

    private final PrintStream out;
    private final PrintStream err;

    public IssuerTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        var status = new IssuerTool(System.out, System.err).run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; returns the exit status (0 done, 1 refused, 2 unusable arguments). */
    public int run(String... args) {
        if (args.length == 0) {
            err.println(usage());
            return 2;
        }
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(usage());
            return 2;
        }
        var result = switch (args[0]) {
            case "init" -> init(options);
            case "issue" -> issue(options);
            case "revoke" -> revoke(options);
            case "publish" -> directory(options).compose(Authority::open).compose(Authority::publish).map(ignored -> "published");
            case "serve" -> serve(options);
            default -> Result.<String>failure("unknown command '%s'".formatted(args[0]));
        };
        if (result.failed()) {
            err.println("issuer-tool " + args[0] + ": " + result.getFailureDetail());
            return 1;
        }
        out.println(result.getContent());
        return 0;
    }

    private Result<String> init(Map<String, String> options) {
        return directory(options).compose(dir -> required(options, "did")
                .compose(did -> Authority.create(dir, did, options.containsKey("http-loopback"))))
                .map(authority -> "authority %s created; serve %s at %s (did.json, status-list.jwt)"
                        .formatted(authority.did(), authority.publicDirectory(), authority.webDid().baseUrl(options.containsKey("http-loopback"))));
    }

    private Result<String> issue(Map<String, String> options) {
        var authority = directory(options).compose(Authority::open);
        if (authority.failed()) {
            return authority.mapFailure();
        }
        var holder = required(options, "holder");
        var type = required(options, "type");
        if (holder.failed() || type.failed()) {
            return Result.failure("--holder and --type are required");
        }
        Result<Map<String, Object>> subject = switch (type.getContent()) {
            case "membership" -> required(options, "dataspace").map(name -> CredentialIssuer.membership(holder.getContent(), name));
            case "legal-entity" -> required(options, "legal-name").compose(name -> required(options, "country")
                    .compose(country -> required(options, "registry-id")
                            .map(id -> CredentialIssuer.legalEntity(holder.getContent(), name, country, id))));
            case "certification" -> required(options, "certification").map(name -> CredentialIssuer.certification(holder.getContent(), name));
            // the participants (ids or DIDs) whose connectors the auditor may audit, or * for all
            case "auditor" -> required(options, "audit-scope").map(scope -> CredentialIssuer.auditor(holder.getContent(),
                    Arrays.stream(scope.split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).toList()));
            default -> Result.failure("--type must be membership, legal-entity, certification or auditor");
        };
        if (subject.failed()) {
            return subject.mapFailure();
        }
        var credentialType = switch (type.getContent()) {
            case "membership" -> Credentials.MEMBERSHIP;
            case "legal-entity" -> Credentials.LEGAL_ENTITY;
            case "auditor" -> Credentials.AUDITOR;
            default -> Credentials.CERTIFICATION;
        };
        Instant validFrom;
        Instant validUntil;
        try {
            validFrom = options.containsKey("valid-from") ? OffsetDateTime.parse(options.get("valid-from")).toInstant() : Instant.now();
            validUntil = options.containsKey("valid-until") ? OffsetDateTime.parse(options.get("valid-until")).toInstant()
                    : validFrom.plus(Duration.ofDays(Long.parseLong(options.getOrDefault("valid-days", "365"))));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Result.failure("--valid-from/--valid-until must be ISO 8601 date-times (e.g. 2027-03-31T00:00:00Z), --valid-days a number");
        }
        var format = switch (options.getOrDefault("format", "vc2")) {
            case "vc2" -> Authority.Format.VC2;
            case "vc11" -> Authority.Format.VC11;
            default -> null;
        };
        if (format == null) {
            return Result.failure("--format must be vc2 (VC Data Model 2.0, the default) or vc11 (VC 1.1 JWT, what EDC 0.15.1 verifies)");
        }
        var jwt = authority.getContent().issue(credentialType, subject.getContent(), validFrom, validUntil, format);
        if (jwt.failed() || !options.containsKey("out")) {
            return jwt;
        }
        try {
            var file = Path.of(options.get("out")).toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, jwt.getContent());
            return Result.success("%s for %s written to %s".formatted(credentialType, holder.getContent(), file));
        } catch (IOException e) {
            return Result.failure("cannot write %s: %s".formatted(options.get("out"), e.getMessage()));
        }
    }

    private Result<String> revoke(Map<String, String> options) {
        var credential = required(options, "credential");
        if (credential.failed()) {
            return credential;
        }
        var text = credential.getContent();
        var file = Path.of(text);
        if (!text.startsWith("urn:") && Files.isRegularFile(file)) {
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                return Result.failure("cannot read %s: %s".formatted(file, e.getMessage()));
            }
        }
        var credentialText = text;
        return directory(options).compose(Authority::open).compose(authority -> authority.revoke(credentialText))
                .map(index -> "revoked the credential at status-list index %d; the published status list says so".formatted(index));
    }

    private Result<String> serve(Map<String, String> options) {
        var authority = directory(options).compose(Authority::open);
        if (authority.failed()) {
            return authority.mapFailure();
        }
        int port;
        try {
            port = Integer.parseInt(options.getOrDefault("port", ""));
        } catch (NumberFormatException e) {
            return Result.failure("--port is required");
        }
        SSLContext tls = null;
        if (options.containsKey("keystore")) {
            var context = TlsKeystore.serverContext(Path.of(options.get("keystore")), System.getenv(TlsKeystore.PASSWORD_ENV));
            if (context.failed()) {
                return Result.failure("--keystore: " + context.getFailureDetail());
            }
            tls = context.getContent();
        }
        try {
            var server = AuthorityFileServer.start(authority.getContent(), options.getOrDefault("host", "127.0.0.1"), port, tls);
            out.println("serving %s for %s on %s://%s:%d".formatted(authority.getContent().publicDirectory(), authority.getContent().did(),
                    tls == null ? "http" : "https", options.getOrDefault("host", "127.0.0.1"), server.port()));
            out.flush();
            new CountDownLatch(1).await();
            return Result.success("stopped");
        } catch (IOException e) {
            return Result.failure("cannot serve: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.success("stopped");
        }
    }

    private static Result<Path> directory(Map<String, String> options) {
        return required(options, "dir").map(Path::of);
    }

    private static Result<String> required(Map<String, String> options, String name) {
        var value = options.get(name);
        return value == null || value.isBlank() ? Result.failure("--%s is required".formatted(name)) : Result.success(value);
    }

    private static Map<String, String> options(String[] args) {
        var options = new HashMap<String, String>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '%s'".formatted(args[i]));
            }
            var name = args[i].substring(2);
            if (name.equals("http-loopback")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--%s needs a value".formatted(name));
            }
        }
        return options;
    }

    private static String usage() {
        return """
                usage: issuer-tool <command> [options]
                  init    --dir D --did did:web:... [--http-loopback]
                  issue   --dir D --type membership|legal-entity|certification|auditor --holder did:web:... [--out FILE]
                          [--dataspace NAME] [--legal-name NAME --country CC --registry-id JCN:...|LEI:...] [--certification NAME]
                          [--audit-scope PARTICIPANT,...|*]
                          [--valid-from ISO-8601] [--valid-until ISO-8601 | --valid-days N] [--format vc2|vc11]
                  revoke  --dir D --credential FILE|urn:uuid:...|INDEX
                  publish --dir D
                  serve   --dir D --port P [--host 127.0.0.1] [--keystore FILE.p12]
                          (HTTPS; the keystore password in the environment variable KAKEHASHI_TLS_KEYSTORE_PASSWORD)""";
    }
}
