package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.did.DidDocumentServer;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.VerificationContext;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Cost of one full DCP verification (ID token, DID resolution, presentation query over loopback HTTP, presentation and
 * three credentials, status list): cold (a fresh verifier, so DID documents and the status list are fetched) and warm
 * (cached), and warm verifications per second on one thread; then, in alternating blocks of the same run, warm
 * verifications by a verifier without and one with the presentation cache (both keeping status lists 5 minutes). Not a test; run with
 * {@code ./mvnw -q -f identity/identity-dcp/pom.xml exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.kakehashi.identity.dcp.DcpVerificationBenchmark}.
 */
public final class DcpVerificationBenchmark {

    private DcpVerificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var work = Files.createTempDirectory("dcp-benchmark");
        try (var server = new DidDocumentServer()) {
            var japan = new Authority(server, "authority-jp");
            var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
            var alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
            alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
            alice.hold("legal", japan.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(alice.did.id(), "Alice K.K.", "JP", CredentialTestFixtures.VALID_JCN)));
            alice.hold("isms", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")));
            var context = VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build();

            // cold: a new verifier per round, its DID and status-list caches empty
            var cold = new long[30];
            for (int i = 0; i < cold.length; i++) {
                var bob = new Participant(server, "bob" + i, work, trusted, Clock.systemUTC());
                var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();
                var start = System.nanoTime();
                var result = bob.identity.verifyJwtToken("p", token, context);
                cold[i] = System.nanoTime() - start;
                check(result.succeeded(), result.getFailureMessages());
            }

            var bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
            var tokenParameters = TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build();
            for (int i = 0; i < 200; i++) { // warm-up: JIT and caches
                check(bob.identity.verifyJwtToken("p", alice.identity.obtainClientCredentials("p", tokenParameters).getContent(), context).succeeded(), List.of());
            }
            var warm = new long[500];
            for (int i = 0; i < warm.length; i++) {
                var token = alice.identity.obtainClientCredentials("p", tokenParameters).getContent();
                var start = System.nanoTime();
                var result = bob.identity.verifyJwtToken("p", token, context);
                warm[i] = System.nanoTime() - start;
                check(result.succeeded(), result.getFailureMessages());
            }
            var tokens = new java.util.ArrayList<org.eclipse.edc.spi.iam.TokenRepresentation>();
            for (int i = 0; i < 1000; i++) {
                tokens.add(alice.identity.obtainClientCredentials("p", tokenParameters).getContent());
            }
            var count = 0;
            var start = System.nanoTime();
            for (var token : tokens) {
                check(bob.identity.verifyJwtToken("p", token, context).succeeded(), List.of());
                count++;
            }
            var seconds = (System.nanoTime() - start) / 1e9;

            // the presentation cache: two verifiers alike (status lists kept 5 minutes, as the connector's default),
            // one without and one with the cache (PT1M), measured in alternating blocks of the same run
            var uncached = new Participant(server, "bob-uncached", work, trusted, Clock.systemUTC(), Duration.ofMinutes(5), PresentationCache.disabled());
            var cached = new Participant(server, "bob-cached", work, trusted, Clock.systemUTC(), Duration.ofMinutes(5),
                    new PresentationCache(Duration.ofMinutes(1), 10_000, Clock.systemUTC()));
            var withoutCache = new long[500];
            var withCache = new long[500];
            var queriesBefore = alice.presentationQueries.get();
            for (int i = 0; i < 100; i++) { // warm-up of both
                measure(alice, uncached, context);
                measure(alice, cached, context);
            }
            var queriesWarmUp = alice.presentationQueries.get();
            for (int block = 0; block < 10; block++) {
                for (int i = 0; i < 50; i++) {
                    withoutCache[block * 50 + i] = measure(alice, uncached, context);
                }
                for (int i = 0; i < 50; i++) {
                    withCache[block * 50 + i] = measure(alice, cached, context);
                }
            }
            var queries = alice.presentationQueries.get() - queriesWarmUp;

            System.out.printf("cold verification: median %.1f ms, p90 %.1f ms (n=%d)%n", median(cold), percentile(cold, 0.9), cold.length);
            System.out.printf("warm verification: median %.2f ms, p90 %.2f ms (n=%d)%n", median(warm), percentile(warm, 0.9), warm.length);
            System.out.printf("warm verifications per second, one thread (holder on the same machine): %.0f%n", count / seconds);
            System.out.printf("warm, status lists cached, no presentation cache: median %.2f ms, p90 %.2f ms (n=%d)%n", median(withoutCache), percentile(withoutCache, 0.9), withoutCache.length);
            System.out.printf("warm, status lists cached, presentation cache PT1M: median %.2f ms, p90 %.2f ms (n=%d)%n", median(withCache), percentile(withCache, 0.9), withCache.length);
            System.out.printf("median ratio without/with the presentation cache: x%.1f; presentation queries during the %d measured verifications: %d (warm-up: %d)%n",
                    median(withoutCache) / median(withCache), withoutCache.length + withCache.length, queries, queriesWarmUp - queriesBefore);
        }
    }

    private static long measure(Participant caller, Participant verifier, VerificationContext context) {
        var token = caller.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", verifier.did.id()).build()).getContent();
        var start = System.nanoTime();
        var result = verifier.identity.verifyJwtToken("p", token, context);
        var elapsed = System.nanoTime() - start;
        check(result.succeeded(), result.getFailureMessages());
        return elapsed;
    }

    private static void check(boolean ok, List<String> failures) {
        if (!ok) {
            throw new IllegalStateException("verification failed: " + failures);
        }
    }

    private static double median(long[] nanos) {
        return percentile(nanos, 0.5);
    }

    private static double percentile(long[] nanos, double p) {
        var sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
