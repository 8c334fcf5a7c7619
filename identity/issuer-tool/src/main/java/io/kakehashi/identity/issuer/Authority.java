package io.kakehashi.identity.issuer;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.json.JsonCodec;
import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.StatusEntry;
import io.kakehashi.identity.credentials.StatusList;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataspace authority kept in a directory: {@code private/} holds its signing key and its register of issued
 * credentials (never serve it), {@code public/} holds what the web serves at the DID's base address — {@code did.json},
 * the signed status list {@code status-list.jwt} and the same status list credential as plain JSON,
 * {@code status-list.json}, for verifiers that read only that (EDC 0.15.1; see {@link AuthorityFileServer}). Its files
 * are written indented and read with {@link JsonCodec}, the mapper of the credentials library it signs with (the tool
 * runs without a connector runtime). Not thread-safe: one command at a time per directory.
 */
public class Authority {

    /** How long a published status list credential is valid; re-publish (any command does) before it ends. */
    static final Duration STATUS_LIST_VALIDITY = Duration.ofDays(30);

    private final Path directory;
    private final WebDid did;
    private final ECKey key;
    private final String statusListUrl;
    private final Map<String, Object> register;

    private Authority(Path directory, WebDid did, ECKey key, String statusListUrl, Map<String, Object> register) {
        this.directory = directory;
        this.did = did;
        this.key = key;
        this.statusListUrl = statusListUrl;
        this.register = register;
    }

    /** Creates a new authority in an empty (or absent) directory and publishes its files. */
    public static Result<Authority> create(Path directory, String didText, boolean httpLoopback) {
        var did = WebDid.parse(didText);
        if (did.failed()) {
            return did.mapFailure();
        }
        if (Files.exists(directory.resolve("private/authority.json"))) {
            return Result.failure("%s already holds an authority".formatted(directory));
        }
        var key = DidKeyRing.generate();
        if (key.failed()) {
            return key.mapFailure();
        }
        var statusListUrl = did.getContent().baseUrl(httpLoopback) + "/status-list.jwt";
        var register = new LinkedHashMap<String, Object>();
        register.put("did", didText);
        register.put("statusListUrl", statusListUrl);
        register.put("nextIndex", 0);
        register.put("revoked", new ArrayList<Integer>());
        register.put("issued", new ArrayList<Map<String, Object>>());
        var authority = new Authority(directory, did.getContent(), key.getContent(), statusListUrl, register);
        try {
            Files.createDirectories(directory.resolve("private"));
            Files.createDirectories(directory.resolve("public"));
            writePrivate(directory.resolve("private/key.jwk.json"), key.getContent().toJSONString());
            authority.save();
            return authority.publish().map(ignored -> authority);
        } catch (IOException e) {
            return Result.failure("cannot write to %s: %s".formatted(directory, e.getMessage()));
        }
    }

    /** Opens an authority made by {@link #create}. */
    @SuppressWarnings("unchecked")
    public static Result<Authority> open(Path directory) {
        try {
            var register = (Map<String, Object>) JsonCodec.reader().forType(LinkedHashMap.class).readValue(directory.resolve("private/authority.json").toFile());
            var key = ECKey.parse(Files.readString(directory.resolve("private/key.jwk.json")));
            var did = WebDid.parse((String) register.get("did"));
            if (did.failed()) {
                return did.mapFailure();
            }
            return Result.success(new Authority(directory, did.getContent(), key, (String) register.get("statusListUrl"), register));
        } catch (IOException | ParseException | RuntimeException e) {
            return Result.failure("%s holds no authority (run init first): %s".formatted(directory, e.getMessage()));
        }
    }

    public String did() {
        return did.did();
    }

    public String statusListUrl() {
        return statusListUrl;
    }

    /** The data models a credential can be issued in. */
    public enum Format { VC2, VC11 }

    /**
     * Issues a VC 2.0 credential of {@code type} with the next free status-list index and records it in the register.
     */
    public Result<String> issue(String type, Map<String, Object> subject, Instant validFrom, Instant validUntil) {
        return issue(type, subject, validFrom, validUntil, Format.VC2);
    }

    /**
     * Issues a credential of {@code type} in {@code format} with the next free status-list index and records it in
     * the register.
     */
    @SuppressWarnings("unchecked")
    public Result<String> issue(String type, Map<String, Object> subject, Instant validFrom, Instant validUntil, Format format) {
        var index = ((Number) register.get("nextIndex")).intValue();
        if (index >= StatusList.MINIMUM_BITS) {
            return Result.failure("the status list is full (%d credentials)".formatted(index));
        }
        var status = new StatusEntry(statusListUrl, index, StatusEntry.REVOCATION);
        var jwt = format == Format.VC11
                ? issuer().issueVc11(type, subject, validFrom, validUntil, status)
                : issuer().issue(type, subject, validFrom, validUntil, status);
        if (jwt.failed()) {
            return jwt;
        }
        var id = VerifiableCredential.fromJwtPayload(Jws.parse(jwt.getContent(), "credential").getContent().payload()).getContent().id().orElseThrow();
        var entry = new LinkedHashMap<String, Object>();
        entry.put("id", id);
        entry.put("type", type);
        entry.put("format", format.name());
        entry.put("holder", subject.get("id"));
        entry.put("statusListIndex", index);
        entry.put("validFrom", validFrom.toString());
        if (validUntil != null) {
            entry.put("validUntil", validUntil.toString());
        }
        ((List<Object>) register.get("issued")).add(entry);
        register.put("nextIndex", index + 1);
        return save().map(ignored -> jwt.getContent());
    }

    /**
     * Revokes the credential given as its JWT, its id ({@code urn:uuid:…}) or its status-list index, and publishes the
     * new status list.
     */
    @SuppressWarnings("unchecked")
    public Result<Integer> revoke(String credential) {
        var index = indexOf(credential);
        if (index.failed()) {
            return index;
        }
        var revoked = (List<Integer>) register.get("revoked");
        if (!revoked.contains(index.getContent())) {
            revoked.add(index.getContent());
        }
        return save().compose(ignored -> publish()).map(ignored -> index.getContent());
    }

    /** Writes {@code public/did.json} and a freshly signed {@code public/status-list.jwt}. */
    @SuppressWarnings("unchecked")
    public Result<Void> publish() {
        var list = StatusList.empty();
        ((List<Number>) register.get("revoked")).forEach(i -> list.set(i.intValue(), true));
        var now = Instant.now();
        var statusList = issuer().statusList(statusListUrl, list, now, now.plus(STATUS_LIST_VALIDITY));
        if (statusList.failed()) {
            return statusList.mapFailure();
        }
        try {
            var document = OwnDid.document(did.did(), List.of(key.toPublicJWK()), null);
            writeAtomically(directory.resolve("public/did.json"), JsonCodec.prettyWriter().writeValueAsString(document));
            writeAtomically(directory.resolve("public/status-list.jwt"), statusList.getContent());
            writeAtomically(directory.resolve("public/status-list.json"), JsonCodec.prettyWriter().writeValueAsString(plainCredential(statusList.getContent())));
            return Result.success();
        } catch (IOException e) {
            return Result.failure("cannot publish to %s: %s".formatted(directory.resolve("public"), e.getMessage()));
        }
    }

    /**
     * The status list credential of a signed {@code vc+jwt} as a plain JSON credential: its payload without the JWT's
     * own {@code iss} and {@code iat} (the credential names its issuer and {@code validFrom} itself).
     */
    private static Map<String, Object> plainCredential(String jwt) {
        var payload = new LinkedHashMap<>(Jws.parse(jwt, "status list").getContent().payload());
        payload.remove("iss");
        payload.remove("iat");
        return payload;
    }

    /** The directory of the files to serve at the DID's address. */
    public Path publicDirectory() {
        return directory.resolve("public");
    }

    /** The authority's did:web. */
    public WebDid webDid() {
        return did;
    }

    @SuppressWarnings("unchecked")
    private Result<Integer> indexOf(String credential) {
        var issued = (List<Map<String, Object>>) register.get("issued");
        String id = credential.trim();
        if (id.chars().filter(c -> c == '.').count() == 2) {
            var parsed = Jws.parse(id, "credential").compose(jws -> VerifiableCredential.fromJwtPayload(jws.payload()));
            if (parsed.failed()) {
                return parsed.mapFailure();
            }
            if (!parsed.getContent().issuer().equals(did.did())) {
                return Result.failure("the credential was issued by '%s', not by this authority".formatted(parsed.getContent().issuer()));
            }
            id = parsed.getContent().id().orElse("");
        }
        var lookup = id;
        return issued.stream()
                .filter(entry -> lookup.equals(entry.get("id")) || lookup.equals(String.valueOf(entry.get("statusListIndex"))))
                .map(entry -> ((Number) entry.get("statusListIndex")).intValue())
                .findFirst()
                .map(Result::success)
                .orElseGet(() -> Result.failure("this authority has issued no credential '%s'".formatted(lookup)));
    }

    private CredentialIssuer issuer() {
        return new CredentialIssuer(did.did(), key, did.did() + "#" + key.getKeyID());
    }

    private Result<Void> save() {
        try {
            writeAtomically(directory.resolve("private/authority.json"), JsonCodec.prettyWriter().writeValueAsString(register));
            return Result.success();
        } catch (IOException e) {
            return Result.failure("cannot write the register: " + e.getMessage());
        }
    }

    private static void writeAtomically(Path path, String content) throws IOException {
        var temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePrivate(Path path, String content) throws IOException {
        Files.writeString(path, content);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions must protect the key
        }
    }
}
