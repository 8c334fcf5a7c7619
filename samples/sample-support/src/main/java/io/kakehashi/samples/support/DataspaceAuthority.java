package io.kakehashi.samples.support;

import io.kakehashi.identity.issuer.Authority;
import io.kakehashi.identity.issuer.AuthorityFileServer;
import io.kakehashi.identity.issuer.IssuerTool;
import io.kakehashi.testfixtures.Ports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataspace authority for samples and tests: the issuer tool's commands ({@code init}, {@code issue},
 * {@code revoke}) run in this JVM against a directory, and the authority's public files (DID document, status list)
 * served on a loopback port, as {@code issuer-tool serve} would. Each command it runs is echoed to {@code log}, so a
 * sample shows the commands an authority's operator would type. Not thread-safe.
 */
public final class DataspaceAuthority implements AutoCloseable {

    private final Path directory;
    private final String did;
    private final PrintStream log;
    private final AutoCloseable server;

    private DataspaceAuthority(Path directory, String did, PrintStream log, AutoCloseable server) {
        this.directory = directory;
        this.did = did;
        this.log = log;
        this.server = server;
    }

    /**
     * Creates an authority in {@code directory} (which must not hold one yet) with the DID
     * {@code did:web:127.0.0.1%3A<port>:<name>}, and serves it.
     */
    public static DataspaceAuthority start(Path directory, String name, PrintStream log) {
        var port = Ports.freePort();
        var did = "did:web:127.0.0.1%3A" + port + ":" + name;
        run(log, "init", "--dir", directory.toString(), "--did", did, "--http-loopback");
        try {
            var authority = Authority.open(directory).orElseThrow(failure -> new IllegalStateException(failure.getFailureDetail()));
            return new DataspaceAuthority(directory, did, log, AuthorityFileServer.start(authority, "127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the authority " + did, e);
        }
    }

    /**
     * Creates an authority with {@code did} in {@code directory} (which must not hold one yet) and has {@code serve}
     * serve its public files from that directory, such as {@code issuer-tool serve} over HTTPS on the authority's own
     * host; {@link #close} closes what {@code serve} returned.
     */
    public static DataspaceAuthority start(Path directory, String did, PrintStream log, java.util.function.Function<Path, AutoCloseable> serve) {
        run(log, "init", "--dir", directory.toString(), "--did", did);
        return new DataspaceAuthority(directory, did, log, serve.apply(directory));
    }

    public String did() {
        return did;
    }

    /** Issues a membership of {@code dataspace} into the holder's credentials directory. */
    public Path issueMembership(ConnectorSettings holder, String dataspace) {
        return issue(holder, "membership.jwt", "--type", "membership", "--dataspace", dataspace);
    }

    /** Issues a legal-entity credential (name, ISO 3166-1 country, JCN:/LEI: registry id) into the holder's directory. */
    public Path issueLegalEntity(ConnectorSettings holder, String legalName, String country, String registryId) {
        return issue(holder, "legal-entity.jwt", "--type", "legal-entity", "--legal-name", legalName, "--country", country,
                "--registry-id", registryId);
    }

    /** Issues a certification valid from {@code validFrom} to {@code validUntil} into the holder's directory. */
    public Path issueCertification(ConnectorSettings holder, String certification, Instant validFrom, Instant validUntil) {
        return issue(holder, "certification-" + certification + ".jwt", "--type", "certification", "--certification", certification,
                "--valid-from", validFrom.toString(), "--valid-until", validUntil.toString());
    }

    /**
     * Issues a credential to any holder DID, such as a stock EDC participant's whose credentials live in its
     * IdentityHub: {@code options} are the issuer tool's {@code issue} options ({@code --type …}, {@code --format vc11}).
     */
    public Path issueTo(String holderDid, Path file, String... options) {
        var args = new ArrayList<>(List.of("issue", "--dir", directory.toString(), "--holder", holderDid, "--out", file.toString()));
        args.addAll(List.of(options));
        run(log, args.toArray(String[]::new));
        return file;
    }

    /** Revokes a credential this authority issued; the connectors see it at their next status-list refresh. */
    public void revoke(Path credential) {
        run(log, "revoke", "--dir", directory.toString(), "--credential", credential.toString());
    }

    private Path issue(ConnectorSettings holder, String fileName, String... options) {
        return issueTo(holder.participantId(), holder.credentialsDirectory().resolve(fileName), options);
    }

    private static void run(PrintStream log, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var status = new IssuerTool(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        log.println("  $ issuer-tool " + String.join(" ", quoted(args)));
        if (status != 0) {
            throw new IllegalStateException("issuer-tool %s failed (%d): %s".formatted(args[0], status, err.toString(StandardCharsets.UTF_8).trim()));
        }
    }

    private static List<String> quoted(String... args) {
        return List.of(args).stream().map(arg -> arg.contains(" ") ? "\"" + arg + "\"" : arg).toList();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop serving the authority " + did, e);
        }
    }
}
