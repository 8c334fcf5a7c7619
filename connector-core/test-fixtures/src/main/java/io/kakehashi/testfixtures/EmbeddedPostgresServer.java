package io.kakehashi.testfixtures;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of its own in a temporary directory, on a free port of 127.0.0.1, with trust authentication
 * for one superuser; everything it stores is thrown away when it stops.
 *
 * <p>PostgreSQL refuses to run as root, and CI and the project's machines run the tests as root: then initdb and the
 * server run as the unprivileged user {@code nobody} (through util-linux's {@code setpriv}), which owns the data
 * directory. Thread-safe.
 */
final class EmbeddedPostgresServer {

    private static final String UNPRIVILEGED_USER = "nobody";
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final Path binaries;
    private final List<String> runAs;
    private final int port;

    private EmbeddedPostgresServer(Path directory, Path binaries, List<String> runAs, int port) {
        this.directory = directory;
        this.binaries = binaries;
        this.runAs = runAs;
        this.port = port;
    }

    static EmbeddedPostgresServer start(String superuser) throws IOException {
        var binaries = PostgresBinaries.unpacked();
        var directory = Files.createTempDirectory("kakehashi-postgres-");
        try {
            var runAs = unprivilegedUser(directory);
            var data = directory.resolve("data");
            run(runAs, directory.resolve("initdb.log"), binaries.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", superuser,
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
            // loopback only, no Unix socket (its default directory may not be writable), and no durability: the data
            // lives as long as the test JVM; the end-to-end tests run several connectors with connection pools
            Files.writeString(data.resolve("postgresql.conf"), """

                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = ''
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    max_connections = 300
                    """, StandardOpenOption.APPEND);
            IOException failure = null;
            // the free port found may be taken by someone else before the server binds it
            for (var attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                var port = freePort();
                try {
                    run(runAs, directory.resolve("pg_ctl.log"), binaries.resolve("bin/pg_ctl").toString(), "-D", data.toString(),
                            "-l", directory.resolve("postgres.log").toString(), "-o", "-p " + port, "-w", "-t", "120", "start");
                    return new EmbeddedPostgresServer(directory, binaries, runAs, port);
                } catch (IOException e) {
                    failure = e;
                }
            }
            throw failure;
        } catch (IOException | RuntimeException e) {
            PostgresBinaries.deleteTree(directory);
            throw e;
        }
    }

    int port() {
        return port;
    }

    Path directory() {
        return directory;
    }

    /**
     * Stops the server at once (its data is thrown away) and deletes its directory.
     */
    void stop() {
        try {
            run(runAs, directory.resolve("pg_ctl.log"), binaries.resolve("bin/pg_ctl").toString(), "-D", directory.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop");
        } catch (IOException e) {
            System.err.println("Could not stop the embedded PostgreSQL in " + directory + ": " + e.getMessage());
            return;
        }
        PostgresBinaries.deleteTree(directory);
    }

    /**
     * The command prefix that runs a PostgreSQL program as a user it accepts, after handing {@code directory} to
     * that user; empty when this JVM is not root.
     */
    private static List<String> unprivilegedUser(Path directory) throws IOException {
        if (!isRoot()) {
            return List.of();
        }
        var ids = passwdIds(UNPRIVILEGED_USER);
        var lookup = directory.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(directory, lookup.lookupPrincipalByName(UNPRIVILEGED_USER));
        return List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups", "--");
    }

    private static boolean isRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (UnsatisfiedLinkError | RuntimeException notUnix) {
            return false;
        }
    }

    /** The uid and gid of {@code user} from /etc/passwd. */
    private static String[] passwdIds(String user) throws IOException {
        for (var line : Files.readAllLines(Path.of("/etc/passwd"))) {
            var fields = line.split(":");
            if (fields.length > 3 && fields[0].equals(user)) {
                return new String[]{fields[2], fields[3]};
            }
        }
        throw new IOException("PostgreSQL does not run as root, and there is no user '%s' to run it as".formatted(user));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> runAs, Path log, String... command) throws IOException {
        var line = new ArrayList<>(runAs);
        line.addAll(List.of(command));
        var builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        var process = builder.start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("%s did not finish; see %s".formatted(command[0], log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted while running " + command[0], e);
        }
        if (process.exitValue() != 0) {
            var output = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException("%s failed with exit code %d: %s".formatted(command[0], process.exitValue(),
                    output.substring(Math.max(0, output.length() - 2000))));
        }
    }
}
