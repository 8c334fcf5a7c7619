package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.credentials.VerifiableCredential.Format;
import io.kakehashi.identity.dcp.holder.CredentialStorageService;
import io.kakehashi.identity.dcp.holder.CredentialStorageService.Refusal;
import io.kakehashi.identity.dcp.holder.CredentialStorageService.Refused;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.HeldCredential;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.identity.dcp.Vc11TestFixtures.credentialMessage;
import static io.kakehashi.identity.dcp.Vc11TestFixtures.vc11;
import static org.assertj.core.api.Assertions.assertThat;

/** Alice's embedded credential service receiving credentials and offers from authorities (DCP storage API). */
class CredentialStorageServiceTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Authority rogue;
    private Participant alice;
    private DirectoryCredentialStore store;
    private CredentialStorageService storage;
    private final List<Refused> refusals = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        rogue = new Authority(server, "rogue");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        store = new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor);
        storage = new CredentialStorageService(alice.did, new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10)),
                trusted, keys, store, alice.seenTokens);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Nested
    class Delivery {

        @Test
        void receive_whenTrustedIssuerDeliversVc11AndVc2_shouldHoldBoth() {
            var message = credentialMessage("ISSUED", List.of(
                    List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id(), Credentials.MEMBER_OF, "manufacturing-x"))),
                    List.of(Credentials.CERTIFICATION, "VC2_0_JOSE", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")))));

            var result = storage.receive(issuerToken(japan), message, refusals::add);

            assertThat(result.succeeded()).as(refusals.toString()).isTrue();
            assertThat(store.all()).extracting(HeldCredential::format).containsExactlyInAnyOrder(Format.VC11_JWT, Format.VC2_JWT);
        }

        @Test
        void receive_whenSameCredentialDeliveredTwice_shouldHoldItOnce() {
            var credential = vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id()));

            storage.receive(issuerToken(japan), credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", credential))), refusals::add);
            storage.receive(issuerToken(japan), credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", credential))), refusals::add);

            assertThat(refusals).isEmpty();
            assertThat(store.all()).hasSize(1);
        }

        @Test
        void receive_whenRejected_shouldStoreNothing() {
            var result = storage.receive(issuerToken(japan), credentialMessage("REJECTED", List.of()), refusals::add);

            assertThat(result.succeeded()).isTrue();
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenIssuerUntrusted_shouldBeUnauthorizedAndStoreNothing() {
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(rogue, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            assertThat(storage.receive(issuerToken(rogue), message, refusals::add).failed()).isTrue();

            assertThat(refusals).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(Refusal.UNAUTHORIZED);
                assertThat(r.reason()).contains("not a trusted issuer");
            });
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenNoBearerToken_shouldBeUnauthorized() {
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            storage.receive(issuerToken(japan).substring("Bearer ".length()), message, refusals::add);
            storage.receive(null, message, refusals::add);

            assertThat(refusals).extracting(Refused::kind).containsExactly(Refusal.UNAUTHORIZED, Refusal.UNAUTHORIZED);
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenTokenReplayed_shouldBeUnauthorizedTheSecondTime() {
            var token = issuerToken(japan);
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            assertThat(storage.receive(token, message, refusals::add).succeeded()).isTrue();
            assertThat(storage.receive(token, message, refusals::add).failed()).isTrue();

            assertThat(refusals).singleElement().satisfies(r -> assertThat(r.reason()).contains("replay"));
        }

        @Test
        void receive_whenOneCredentialIsAboutAnotherParticipant_shouldStoreNoneOfThem() {
            var message = credentialMessage("ISSUED", List.of(
                    List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id()))),
                    List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", server.did("mallory"))))));

            assertThat(storage.receive(issuerToken(japan), message, refusals::add).failed()).isTrue();

            assertBadRequest("not this connector");
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenCredentialIssuedBySomeoneElse_shouldSaySo() {
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(rogue, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            storage.receive(issuerToken(japan), message, refusals::add);

            assertBadRequest("not by the sender");
        }

        @Test
        void receive_whenCredentialSignatureForged_shouldSaySo() {
            var genuine = vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id()));
            var parts = genuine.split("\\.");
            var forged = parts[0] + "." + vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id(), "memberOf", "other")).split("\\.")[1] + "." + parts[2];

            storage.receive(issuerToken(japan), credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", forged))), refusals::add);

            assertBadRequest("signature does not verify");
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenFormatDoesNotMatchThePayload_shouldSaySo() {
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC2_0_JOSE", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            storage.receive(issuerToken(japan), message, refusals::add);

            assertBadRequest("not in its declared format");
        }

        @Test
        void receive_whenTypeIsNotTheDeclaredOne_shouldSaySo() {
            var message = credentialMessage("ISSUED", List.of(List.of(Credentials.LEGAL_ENTITY, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

            storage.receive(issuerToken(japan), message, refusals::add);

            assertBadRequest("is not the declared LegalEntityCredential");
        }

        @Test
        void receive_whenMessageMalformed_shouldNameWhatIsWrong() {
            var noHolderPid = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));
            noHolderPid.remove("holderPid");
            storage.receive(issuerToken(japan), noHolderPid, refusals::add);
            storage.receive(issuerToken(japan), credentialMessage("INVALID_STATUS", List.of()), refusals::add);
            storage.receive(issuerToken(japan), credentialMessage("ISSUED", List.of()), refusals::add);
            storage.receive(issuerToken(japan), Map.of("type", "SomethingElse"), refusals::add);

            assertThat(refusals).extracting(Refused::kind).containsOnly(Refusal.BAD_REQUEST);
            assertThat(refusals).extracting(Refused::reason).satisfiesExactly(
                    r -> assertThat(r).contains("no holderPid"),
                    r -> assertThat(r).contains("neither ISSUED nor REJECTED"),
                    r -> assertThat(r).contains("holds no credentials"),
                    r -> assertThat(r).contains("not a CredentialMessage"));
            assertThat(store.all()).isEmpty();
        }

        @Test
        void receive_whenRefusedForItsBody_shouldNotSpendTheIssuersToken() {
            var token = issuerToken(japan);
            storage.receive(token, credentialMessage("INVALID_STATUS", List.of()), refusals::add);

            var retry = storage.receive(token, credentialMessage("ISSUED", List.of(
                    List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id()))))), refusals::add);

            assertThat(retry.succeeded()).as(refusals.toString()).isTrue();
            assertThat(store.all()).hasSize(1);
        }
    }

    @Nested
    class Offers {

        @Test
        void offer_whenTrustedIssuerOffers_shouldBeAcknowledgedAndStoreNothing() {
            var result = storage.offer(issuerToken(japan), offer(japan.did.id()), refusals::add);

            assertThat(result.succeeded()).as(refusals.toString()).isTrue();
            assertThat(result.getContent()).isEqualTo(1);
            assertThat(store.all()).isEmpty();
        }

        @Test
        void offer_whenIssuerFieldIsNotTheSender_shouldSaySo() {
            storage.offer(issuerToken(japan), offer(rogue.did.id()), refusals::add);

            assertBadRequest("is not the sender");
        }

        @Test
        void offer_whenOfferedCredentialHasNoId_shouldSaySo() {
            var message = offer(japan.did.id());
            message.put("credentials", List.of(Map.of("credentialType", "MembershipCredential")));

            storage.offer(issuerToken(japan), message, refusals::add);

            assertBadRequest("has no id");
        }

        @Test
        void offer_whenIssuerUntrusted_shouldBeUnauthorized() {
            storage.offer(issuerToken(rogue), offer(rogue.did.id()), refusals::add);

            assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.UNAUTHORIZED));
        }

        private Map<String, Object> offer(String issuer) {
            var message = new LinkedHashMap<String, Object>();
            message.put("@context", List.of(Dcp.DCP_CONTEXT));
            message.put("type", "CredentialOfferMessage");
            message.put("issuer", issuer);
            message.put("credentials", List.of(Map.of("id", "offer-1", "type", "CredentialObject", "credentialType", "MembershipCredential")));
            return message;
        }
    }

    private void assertBadRequest(String reason) {
        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Refusal.BAD_REQUEST);
            assertThat(r.reason()).contains(reason);
        });
    }

    /** The authority's self-issued ID token for Alice, as a Bearer header. */
    private String issuerToken(Authority authority) {
        return "Bearer " + new SelfIssuedTokens(authority.did, Clock.systemUTC(), Duration.ofMinutes(5)).idToken(alice.did.id(), null).getContent();
    }
}
