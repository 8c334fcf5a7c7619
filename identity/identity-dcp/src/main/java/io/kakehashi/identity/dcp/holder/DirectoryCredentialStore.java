package io.kakehashi.identity.dcp.holder;

import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.VerifiableCredential;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the credentials kept as {@code *.jwt} files in a directory (as the issuer tool writes them). Files are read
 * again when they change, so a new or renewed credential counts without a restart. A file that is not a credential
 * (VC 2.0 {@code vc+jwt} or VC 1.1 JWT) about this connector is skipped with a warning naming the file. Credentials
 * delivered through the DCP storage API are written there too, each under the SHA-256 of its JWT, written to a
 * temporary file first and moved into place, so a reader never sees half a credential. Thread-safe.
 */
public class DirectoryCredentialStore implements CredentialStore {

    private record Entry(FileTime modified, long size, HeldCredential credential) {
    }

    private final Path directory;
    private final String holderDid;
    private final Monitor monitor;
    private final Map<Path, Entry> cache = new ConcurrentHashMap<>();

    public DirectoryCredentialStore(Path directory, String holderDid, Monitor monitor) {
        this.directory = directory;
        this.holderDid = holderDid;
        this.monitor = monitor;
    }

    @Override
    public List<HeldCredential> all() {
        var held = new ArrayList<HeldCredential>();
        if (!Files.isDirectory(directory)) {
            return held;
        }
        try (var files = Files.list(directory)) {
            for (var file : files.filter(f -> f.getFileName().toString().endsWith(".jwt")).sorted().toList()) {
                read(file).ifPresent(held::add);
            }
        } catch (IOException e) {
            monitor.warning("Credentials: cannot list %s: %s".formatted(directory, e.getMessage()));
        }
        cache.keySet().removeIf(path -> !Files.exists(path));
        return held;
    }

    @Override
    public synchronized Result<Void> store(List<String> credentialJwts) {
        var written = new ArrayList<Path>();
        try {
            Files.createDirectories(directory);
            for (var jwt : credentialJwts) {
                var file = directory.resolve("dcp-" + sha256(jwt) + ".jwt");
                if (Files.exists(file)) {
                    continue;
                }
                var temporary = Files.createTempFile(directory, "incoming-", ".tmp");
                Files.writeString(temporary, jwt);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                written.add(file);
            }
            return Result.success();
        } catch (IOException e) {
            // all or none: what this call wrote goes again
            written.forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the warning below names the directory
                }
            });
            monitor.warning("Credentials: cannot store in %s: %s".formatted(directory, e.getMessage()));
            return Result.failure("credentials cannot be stored");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private java.util.Optional<HeldCredential> read(Path file) {
        try {
            var modified = Files.getLastModifiedTime(file);
            var size = Files.size(file);
            var cached = cache.get(file);
            if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
                return java.util.Optional.ofNullable(cached.credential());
            }
            var jwt = Files.readString(file).trim();
            var credential = Jws.parse(jwt, "credential file " + file.getFileName())
                    .compose(parsed -> VerifiableCredential.fromJwtPayload(parsed.payload()));
            HeldCredential held = null;
            if (credential.failed()) {
                monitor.warning("Credentials: skipping %s: %s".formatted(file, credential.getFailureDetail()));
            } else if (!credential.getContent().subjectId().equals(holderDid)) {
                monitor.warning("Credentials: skipping %s: it is about '%s', not this connector".formatted(file, credential.getContent().subjectId()));
            } else {
                var content = credential.getContent();
                held = new HeldCredential(jwt, content.types(), content.validFrom(), content.validUntil(), content.format());
            }
            cache.put(file, new Entry(modified, size, held));
            return java.util.Optional.ofNullable(held);
        } catch (IOException e) {
            monitor.warning("Credentials: cannot read %s: %s".formatted(file, e.getMessage()));
            return java.util.Optional.empty();
        }
    }
}
