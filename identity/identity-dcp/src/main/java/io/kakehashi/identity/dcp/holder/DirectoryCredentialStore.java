package io.kakehashi.identity.dcp.holder;

import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.VerifiableCredential;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the credentials kept as {@code *.jwt} files in a directory (as the issuer tool writes them). Files are read
 * again when they change, so a new or renewed credential counts without a restart. A file that is not a VC 2.0
 * credential about this connector is skipped with a warning naming the file. Thread-safe.
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
                    .compose(parsed -> VerifiableCredential.read(parsed.payload()));
            HeldCredential held = null;
            if (credential.failed()) {
                monitor.warning("Credentials: skipping %s: %s".formatted(file, credential.getFailureDetail()));
            } else if (!credential.getContent().subjectId().equals(holderDid)) {
                monitor.warning("Credentials: skipping %s: it is about '%s', not this connector".formatted(file, credential.getContent().subjectId()));
            } else {
                held = new HeldCredential(jwt, credential.getContent().types(), credential.getContent().validFrom(), credential.getContent().validUntil());
            }
            cache.put(file, new Entry(modified, size, held));
            return java.util.Optional.ofNullable(held);
        } catch (IOException e) {
            monitor.warning("Credentials: cannot read %s: %s".formatted(file, e.getMessage()));
            return java.util.Optional.empty();
        }
    }
}
