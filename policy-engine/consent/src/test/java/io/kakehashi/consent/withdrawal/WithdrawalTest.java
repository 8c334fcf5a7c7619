package io.kakehashi.consent.withdrawal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.consent.Consent;
import io.kakehashi.consent.ConsentApiController;
import io.kakehashi.consent.ConsentNarrowing;
import io.kakehashi.consent.ConsentRules;
import io.kakehashi.consent.ConsentStore;
import io.kakehashi.consent.FileConsentStore;
import io.kakehashi.consent.PersonalRecords;
import io.kakehashi.deletion.DeletionReceipt;
import io.kakehashi.deletion.DeletionReceipts;
import io.kakehashi.lineage.InMemoryLineageStore;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A withdrawal from the provider's management API to the consumer's received file and back: the provider's notifier,
 * the consumer's endpoint and deletion, each with its own keys, stores and decision log, joined in-process.
 */
class WithdrawalTest {

    private static final String PROVIDER = "did:web:127.0.0.1%3A8001:retailer";
    private static final String CONSUMER = "did:web:127.0.0.1%3A8002:analyst";
    private static final String ASSET = "e-receipts";
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT = """
            receipt_id,customer_id,amount
            r1,alice,1200
            r2,bob,800
            r3,alice,300
            r4,carol,500
            """;

    @TempDir
    Path directory;
    private final ECKey providerKey = key(PROVIDER);
    private final ECKey consumerKey = key(CONSUMER);
    private final Map<String, ECKey> published = new HashMap<>();
    private final List<DecisionEntry> providerLog = new ArrayList<>();
    private final List<DecisionEntry> consumerLog = new ArrayList<>();
    private final InMemoryLineageStore lineage = new InMemoryLineageStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ContractAgreement providerAgreement = agreement("p-agreement");
    private final ContractAgreement consumerAgreement = agreement("c-agreement");
    private FileConsentStore register;
    private ConsentApiController api;
    private WithdrawalController consumerEndpoint;
    private NoticeSender network;
    private WithdrawalNotifier notifier;
    private Path received;

    private static ECKey key(String did) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(did + "#key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContractAgreement agreement(String id) {
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(KakehashiPolicy.PURPOSE))
                        .operator(Operator.EQ).rightExpression(new LiteralExpression("analytics")).build()).build();
        return ContractAgreement.Builder.newInstance().id(id).agreementId("shared-1").providerId(PROVIDER).consumerId(CONSUMER).assetId(ASSET)
                .contractSigningDate(NOW.getEpochSecond() - 3600).policy(Policy.Builder.newInstance().permission(permission).build()).build();
    }

    private SignerKeys keys() {
        return (participant, keyId) -> keyId.startsWith(participant + "#") && published.containsKey(keyId)
                ? Result.success(published.get(keyId).toPublicJWK()) : Result.failure("the DID document of %s has no key '%s'".formatted(participant, keyId));
    }

    private static io.kakehashi.policy.decisionlog.spi.DecisionRecorder into(List<DecisionEntry> log) {
        return entry -> {
            log.add(entry);
            return Result.<StoredDecision>success(null);
        };
    }

    @BeforeEach
    void setUp() throws IOException {
        published.put(providerKey.getKeyID(), providerKey);
        published.put(consumerKey.getKeyID(), consumerKey);
        register = new FileConsentStore(directory.resolve("provider"), MAPPER);
        var rules = new ConsentRules(JurisdictionGroups.none());
        Function<String, Optional<String>> fields = asset -> ASSET.equals(asset) ? Optional.of("customer_id") : Optional.empty();
        Function<String, ContractAgreement> providerAgreements = id -> "p-agreement".equals(id) ? providerAgreement : null;

        // the consumer: its lineage, its endpoint
        var consumerDeletion = new SubjectRecordsDeletion(CONSUMER, id -> "shared-1".equals(id) || "c-agreement".equals(id) ? consumerAgreement : null,
                keys(), lineage, new PersonalRecords(MAPPER), () -> consumerKey, into(consumerLog), clock);
        consumerEndpoint = new WithdrawalController(consumerDeletion, MAPPER);
        network = (base, notice) -> {
            var response = consumerEndpoint.receive(new ByteArrayInputStream(MAPPER.createObjectNode().put("notice", notice).toString()
                    .getBytes(StandardCharsets.UTF_8)));
            var body = MAPPER.readTree(String.valueOf(response.getEntity()));
            return response.getStatus() == 200 ? new NoticeSender.Answer(200, body.path("receipt").asText(), "")
                    : new NoticeSender.Answer(response.getStatus(), null, body.get(0).path("message").asText());
        };

        // the provider: a transfer of the asset, narrowed by consent, lands in the consumer's file
        register.save(new Consent("c-alice", "alice", ASSET, List.of("analytics"), "any", NOW.minusSeconds(86_400), null, null));
        register.save(new Consent("c-bob", "bob", ASSET, List.of("analytics"), CONSUMER, NOW.minusSeconds(86_400), null, null));
        var narrowing = new ConsentNarrowing(fields, providerAgreements, id -> null, register, rules, new PersonalRecords(MAPPER), into(providerLog), clock);
        received = directory.resolve("consumer").resolve("receipts.csv");
        Files.createDirectories(received.getParent());
        try (var out = Files.newOutputStream(received)) {
            narrowing.narrow(ConsentFilter.Use.transfer("p-agreement", ASSET, "transfer-1"), new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8)),
                    "text/csv", out);
        }
        lineage.save(new LineageRecord("consumer-transfer-1", LineageKind.FILE, "c-agreement", PROVIDER, ASSET, received.toString(), "d".repeat(64),
                NOW));
        lineage.save(new LineageRecord("job-9", LineageKind.COMPUTE_RESULT, "c-agreement", PROVIDER, ASSET, null, "e".repeat(64), NOW));

        notifier = new WithdrawalNotifier(PROVIDER, register, rules, providerAgreements, fields, id -> null, id -> "http://127.0.0.1:8002/protocol",
                (base, notice) -> network.send(base, notice), () -> providerKey, keys(), into(providerLog), clock, new Monitor() { });
        api = new ConsentApiController(register, rules, ASSET::equals, notifier::withdrawn, MAPPER, clock);
        providerLog.clear();
    }

    @Test
    void withdraw_afterDelivery_shouldDeleteTheSubjectsRowsAtTheConsumerAndKeepItsVerifiedReceipt() throws IOException {
        assertThat(Files.readString(received)).contains("r1,alice", "r3,alice", "r2,bob").doesNotContain("carol");

        api.withdraw("c-alice");

        assertThat(Files.readString(received)).isEqualTo("receipt_id,customer_id,amount\nr2,bob,800\n");
        var notice = register.notices("c-alice");
        assertThat(notice).singleElement().satisfies(n -> {
            assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.CONFIRMED);
            assertThat(n.agreementId()).isEqualTo("p-agreement");
            assertThat(n.consumerId()).isEqualTo(CONSUMER);
        });
        var receipt = DeletionReceipts.read(notice.get(0).receipt()).getContent();
        assertThat(DeletionReceipts.verifies(receipt, consumerKey.toPublicJWK())).isTrue();
        assertThat(receipt.receipt().cause()).isEqualTo(DeletionReceipt.CONSENT_WITHDRAWN);
        assertThat(receipt.receipt().agreementId()).isEqualTo("shared-1");
        assertThat(receipt.receipt().items()).extracting(DeletionReceipt.Item::lineageId, DeletionReceipt.Item::deleted, DeletionReceipt.Item::retained)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("consumer-transfer-1", true, null),
                        org.assertj.core.groups.Tuple.tuple("job-9", false, SubjectRecordsDeletion.NOT_PER_SUBJECT));
    }

    @Test
    void withdraw_afterDelivery_shouldBeRecordedInBothDecisionLogsWithoutTheSubject() {
        api.withdraw("c-alice");

        assertThat(consumerLog).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.DELETION);
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
            assertThat(entry.counterpartyId()).isEqualTo(PROVIDER);
            assertThat(entry.reasons().get(0).reason()).contains("deleted 2 records of one data subject").doesNotContain("alice");
        });
        assertThat(providerLog).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.DELETION_RECEIPT);
            assertThat(entry.counterpartyId()).isEqualTo(CONSUMER);
            assertThat(entry.reasons().get(0).reason()).contains("consent-withdrawn", "signature verified").doesNotContain("alice");
            assertThat(entry.digests()).containsKey("receipt").containsEntry("subject", consumerLog.get(0).digests().get("subject"));
        });
    }

    @Test
    void withdraw_whenAnotherConsentStillCoversTheAgreement_shouldTellNobody() throws IOException {
        register.save(new Consent("c-alice-2", "alice", null, List.of("analytics", "research"), CONSUMER, NOW.minusSeconds(60), null, null));

        api.withdraw("c-alice");

        assertThat(register.notices("c-alice")).isEmpty();
        assertThat(Files.readString(received)).contains("r1,alice");
    }

    @Test
    void withdraw_ofASubjectWhoseRecordsWereNeverDelivered_shouldTellNobody() {
        register.save(new Consent("c-carol", "carol", ASSET, List.of("research"), "any", NOW.minusSeconds(60), null, null));

        api.withdraw("c-carol");

        assertThat(register.notices("c-carol")).isEmpty();
        assertThat(consumerLog).isEmpty();
    }

    @Nested
    class Delivery {

        @Test
        void withdraw_whenTheConsumerCannotBeReached_shouldStayPendingAndGoOutWhenWithdrawnAgain() throws IOException {
            var real = network;
            network = (base, notice) -> {
                throw new IOException("connection refused");
            };
            api.withdraw("c-alice");
            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.PENDING));
            assertThat(Files.readString(received)).contains("alice");

            network = real;
            api.withdraw("c-alice");

            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.CONFIRMED));
            assertThat(Files.readString(received)).doesNotContain("alice");
            // confirmed once: a third withdrawal sends nothing
            api.withdraw("c-alice");
            assertThat(consumerLog).hasSize(1);
        }

        @Test
        void resendPending_whenTheConsumerIsBack_shouldDeliverWhatWasPending() throws IOException {
            var real = network;
            network = (base, notice) -> new NoticeSender.Answer(503, null, "starting");
            api.withdraw("c-alice");
            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> {
                assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.PENDING);
                assertThat(n.detail()).contains("503");
            });

            network = real;
            assertThat(notifier.resendPending()).isEqualTo(1);

            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.CONFIRMED));
            assertThat(Files.readString(received)).doesNotContain("alice");
            assertThat(notifier.resendPending()).isZero();
        }

        @Test
        void withdraw_whenTheConsumerHasNoEndpoint_shouldBeNotConfirming() {
            network = (base, notice) -> new NoticeSender.Answer(404, null, "");

            api.withdraw("c-alice");

            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.NOT_CONFIRMING));
        }

        @Test
        void withdraw_whenTheReceiptIsSignedByAnotherKey_shouldRefuseItAndRecordNothing() {
            var real = network;
            var forger = key(CONSUMER);
            network = (base, notice) -> {
                var answer = real.send(base, notice);
                var receipt = DeletionReceipts.read(answer.receipt()).getContent().receipt();
                return new NoticeSender.Answer(200, DeletionReceipts.sign(receipt, forger), "");
            };

            api.withdraw("c-alice");

            assertThat(register.notices("c-alice")).singleElement().satisfies(n -> {
                assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.REFUSED);
                assertThat(n.detail()).contains("does not verify");
                assertThat(n.receipt()).isNull();
            });
            assertThat(providerLog).isEmpty();
        }
    }

    @Nested
    class ConsumerEndpoint {

        private int send(WithdrawalNotice notice, ECKey key) {
            var body = MAPPER.createObjectNode().put("notice", WithdrawalNotices.sign(notice, key)).toString();
            return consumerEndpoint.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).getStatus();
        }

        private WithdrawalNotice notice(String agreementId, String provider) {
            var salt = "0".repeat(32);
            return new WithdrawalNotice(agreementId, ASSET, provider, CONSUMER, "customer_id", salt, WithdrawalNotice.digest(salt, "alice"), NOW);
        }

        @Test
        void receive_whenSignedWithAKeyTheProvidersDocumentDoesNotPublish_shouldBe403AndDeleteNothing() throws IOException {
            assertThat(send(notice("shared-1", PROVIDER), key(PROVIDER))).isEqualTo(403);
            assertThat(Files.readString(received)).contains("alice");
            assertThat(consumerLog).isEmpty();
        }

        @Test
        void receive_whenFromAnotherParticipant_shouldBe403() throws IOException {
            var stranger = key("did:web:127.0.0.1%3A8003:broker");
            published.put(stranger.getKeyID(), stranger);

            assertThat(send(notice("shared-1", "did:web:127.0.0.1%3A8003:broker"), stranger)).isEqualTo(403);
            assertThat(Files.readString(received)).contains("alice");
        }

        @Test
        void receive_whenTheAgreementIsNotOneItConsumes_shouldBe400() {
            assertThat(send(notice("shared-other", PROVIDER), providerKey)).isEqualTo(400);
        }

        @Test
        void receive_whenMalformed_shouldBe400() {
            var body = "{\"notice\": \"a.b.c\"}";
            assertThat(consumerEndpoint.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).getStatus()).isEqualTo(400);
            assertThat(consumerEndpoint.receive(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))).getStatus()).isEqualTo(400);
        }

        @Test
        void receive_ofJsonLines_shouldDeleteTheSubjectsLinesOnly() throws IOException {
            Files.writeString(received, "{\"customer_id\":\"alice\",\"amount\":1}\n{\"customer_id\":\"bob\",\"amount\":2}\n{\"amount\":3}\n");

            assertThat(send(notice("shared-1", PROVIDER), providerKey)).isEqualTo(200);

            assertThat(Files.readString(received)).isEqualTo("{\"customer_id\":\"bob\",\"amount\":2}\n{\"amount\":3}\n");
        }
    }
}
