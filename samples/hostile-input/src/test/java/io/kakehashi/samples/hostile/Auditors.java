package io.kakehashi.samples.hostile;

import io.kakehashi.identity.dcp.SignedRequestTokens;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.samples.support.DataspaceAuthority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Auditors as the dataspace's authority accredits them (issue 21 item 4, decision 0042), for the campaign's signed
 * auditor requests: an auditor whose DID is published on a DID server of the test's own on loopback, holding an
 * {@code AuditorCredential} for the provider, one for the consumer only, one the authority revoked, and a membership
 * (a credential of another type); and a stranger with a published DID and no credential of its own. Requests are
 * signed the way an auditor's tool signs them ({@link SignedRequestTokens}: a Bearer JWT bound to the method and the
 * path, carrying the credentials in its {@code vp} claim).
 */
final class Auditors implements AutoCloseable {

    private final DidDocumentServer server;
    private final OwnDid auditor;
    private final OwnDid stranger;
    private final String forProvider;
    private final String forConsumerOnly;
    private final String revoked;
    private final String membership;

    private Auditors(DidDocumentServer server, OwnDid auditor, OwnDid stranger, String forProvider, String forConsumerOnly, String revoked,
                     String membership) {
        this.server = server;
        this.auditor = auditor;
        this.stranger = stranger;
        this.forProvider = forProvider;
        this.forConsumerOnly = forConsumerOnly;
        this.revoked = revoked;
        this.membership = membership;
    }

    /** Publishes the auditor's and the stranger's DIDs and has the authority issue the auditor its credentials. */
    static Auditors start(DataspaceAuthority authority, Path directory, String provider, String consumer) {
        try {
            Files.createDirectories(directory);
            var server = new DidDocumentServer();
            var auditor = DidTestFixtures.publish(server, "auditor", null);
            var stranger = DidTestFixtures.publish(server, "stranger", null);
            var id = auditor.id();
            var forProvider = read(authority.issueTo(id, directory.resolve("for-provider.jwt"), "--type", "auditor", "--audit-scope", provider));
            var forConsumerOnly = read(authority.issueTo(id, directory.resolve("for-consumer.jwt"), "--type", "auditor", "--audit-scope", consumer));
            var revokedFile = authority.issueTo(id, directory.resolve("revoked.jwt"), "--type", "auditor", "--audit-scope", provider);
            authority.revoke(revokedFile);
            var membership = read(authority.issueTo(id, directory.resolve("membership.jwt"), "--type", "membership", "--dataspace", "hostile-input"));
            return new Auditors(server, auditor, stranger, forProvider, forConsumerOnly, read(revokedFile), membership);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The auditor's credential for the provider: the one that opens the provider's auditor API. */
    String forProvider() {
        return forProvider;
    }

    String forConsumerOnly() {
        return forConsumerOnly;
    }

    String revoked() {
        return revoked;
    }

    String membership() {
        return membership;
    }

    /** A request signed by the auditor now, for {@code method} on {@code target} (path and query) at {@code verifierDid}. */
    String signed(String verifierDid, String method, String target, List<String> credentials) {
        return token(auditor, Clock.systemUTC(), verifierDid, method, target, credentials);
    }

    /** The same, signed by the stranger (who presents whatever it is given, the auditor's credentials included). */
    String signedByStranger(String verifierDid, String method, String target, List<String> credentials) {
        return token(stranger, Clock.systemUTC(), verifierDid, method, target, credentials);
    }

    /** A request the auditor signed an hour ago, long expired. */
    String signedAnHourAgo(String verifierDid, String method, String target, List<String> credentials) {
        return token(auditor, Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC), verifierDid, method, target, credentials);
    }

    private static String token(OwnDid caller, Clock clock, String verifierDid, String method, String target, List<String> credentials) {
        var token = new SignedRequestTokens(caller, clock, Duration.ofMinutes(2)).token(verifierDid, method, target, credentials);
        if (token.failed()) {
            throw new IllegalStateException("cannot sign an auditor request: " + token.getFailureDetail());
        }
        return token.getContent();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    @Override
    public void close() {
        server.close();
    }
}
