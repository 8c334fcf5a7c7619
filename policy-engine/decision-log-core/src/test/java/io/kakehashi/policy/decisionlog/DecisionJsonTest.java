package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.denied;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionJsonTest {

    @Nested
    class Entries {

        @Test
        void entry_whenWrittenAndRead_shouldBeTheSame() {
            for (int i = 0; i < 8; i++) {
                assertThat(DecisionJson.entry(DecisionJson.entry(entry(i)))).isEqualTo(entry(i));
            }
        }

        @Test
        void entry_whenOptionalValuesAreAbsent_shouldOmitThem() {
            var json = JsonCanonicalizer.canonicalize(DecisionJson.entry(denied(1)));

            assertThat(json).doesNotContain("null").doesNotContain("assetId").contains("\"scope\":\"contract.negotiation\"");
        }

        @Test
        void entry_whenATimeHasMoreDigitsThanTheModelKeeps_shouldRefuse() {
            var node = DecisionJson.entry(denied(1)).put("time", "2026-11-23T09:00:01.000123Z");

            assertThatThrownBy(() -> DecisionJson.entry(node)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
        }

        @Test
        void entry_withALocalAgreementId_shouldWriteItReadItBackAndChangeTheHash_andWithoutIt_shouldHashAsBefore() {
            var oneId = DecisionEntry.builder().time(START).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId("consumer")
                    .agreement("dsp-agreement", "dsp-agreement").outcome(DecisionOutcome.PERMIT).build();
            var twoIds = DecisionEntry.builder().time(START).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId("consumer")
                    .agreement("dsp-agreement", "local-agreement").outcome(DecisionOutcome.PERMIT).build();
            var written = DecisionEntry.builder().time(START).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId("consumer")
                    .agreementId("dsp-agreement").outcome(DecisionOutcome.PERMIT).build();

            assertThat(oneId.localAgreementId()).isNull();
            // an entry of one id is the entry the code before the member existed wrote: same canonical form, same hash
            assertThat(DecisionJson.canonicalEntry(oneId)).isEqualTo(DecisionJson.canonicalEntry(written)).doesNotContain("localAgreementId");
            assertThat(DecisionJson.canonicalEntry(twoIds)).contains("\"agreementId\":\"dsp-agreement\"", "\"localAgreementId\":\"local-agreement\"");
            assertThat(DecisionJson.entry(DecisionJson.entry(twoIds))).isEqualTo(twoIds);
            assertThat(HashChain.hash(HashChain.GENESIS, 1, twoIds)).isNotEqualTo(HashChain.hash(HashChain.GENESIS, 1, oneId));
        }

        @Test
        void agreement_whenTheAgreementHasNoDspId_shouldNameItByItsLocalIdAlone() {
            var entry = DecisionEntry.builder().time(START).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId("consumer")
                    .agreement(null, "local-agreement").outcome(DecisionOutcome.PERMIT).build();

            assertThat(entry.agreementId()).isEqualTo("local-agreement");
            assertThat(entry.localAgreementId()).isNull();
        }

        @Test
        void entry_whenScopeIsUnknown_shouldRefuse() {
            var node = DecisionJson.entry(denied(1)).put("scope", "elsewhere");

            assertThatThrownBy(() -> DecisionJson.entry(node)).hasMessageContaining("unknown scope");
        }
    }

    @Nested
    class Digests {

        @Test
        void entry_withDigests_shouldWriteThemAsAnObjectAndReadThemBack() {
            var entry = computeDecision(1, DecisionScope.COMPUTE_RESULT, "1".repeat(64), "2".repeat(64));

            var json = JsonCanonicalizer.canonicalize(DecisionJson.entry(entry));

            assertThat(json).contains("\"digests\":{\"job\":\"" + "1".repeat(64) + "\",\"result\":\"" + "2".repeat(64) + "\"}");
            assertThat(DecisionJson.entry(JsonCanonicalizer.parse(json))).isEqualTo(entry);
        }

        @Test
        void entry_withoutDigests_shouldHaveNoDigestsMember() {
            assertThat(JsonCanonicalizer.canonicalize(DecisionJson.entry(entry(0)))).doesNotContain("digests");
        }

        @Test
        void entry_whenDigestsIsEmptyOrNotAnObject_shouldRefuse() {
            var empty = DecisionJson.entry(denied(1));
            empty.putObject("digests");
            var array = DecisionJson.entry(denied(1));
            array.putArray("digests").add("1".repeat(64));

            assertThatThrownBy(() -> DecisionJson.entry(empty)).hasMessageContaining("digests");
            assertThatThrownBy(() -> DecisionJson.entry(array)).hasMessageContaining("digests");
        }

        @Test
        void entry_whenADigestIsNotLowercaseSha256Hex_shouldRefuseNamingIt() {
            var upper = DecisionJson.entry(denied(1));
            upper.putObject("digests").put("job", "A".repeat(64));
            var number = DecisionJson.entry(denied(1));
            number.putObject("digests").put("job", 7);

            assertThatThrownBy(() -> DecisionJson.entry(upper)).hasMessageContaining("job");
            assertThatThrownBy(() -> DecisionJson.entry(number)).hasMessageContaining("job");
        }

        @Test
        void build_whenADigestNameIsNotAnIdentifierOrThereAreTooMany_shouldRefuse() {
            assertThatThrownBy(() -> DecisionEntry.builder().time(DecisionLogTestFixtures.START).scope(DecisionScope.COMPUTE)
                    .counterpartyId("c").outcome(DecisionOutcome.PERMIT).digest("Job Hash", "1".repeat(64)).build())
                    .hasMessageContaining("Job Hash");
            var many = DecisionEntry.builder().time(DecisionLogTestFixtures.START).scope(DecisionScope.COMPUTE)
                    .counterpartyId("c").outcome(DecisionOutcome.PERMIT);
            for (int i = 0; i <= DecisionEntry.MAX_DIGESTS; i++) {
                many.digest("d" + i, "1".repeat(64));
            }
            assertThatThrownBy(many::build).hasMessageContaining("at most");
        }

        @Test
        void digests_shouldIterateInNameOrderWhateverOrderTheyWereGivenIn() {
            var entry = DecisionEntry.builder().time(DecisionLogTestFixtures.START).scope(DecisionScope.COMPUTE)
                    .counterpartyId("c").outcome(DecisionOutcome.PERMIT)
                    .digest("result", "3".repeat(64)).digest("job", "1".repeat(64)).digest("model", "2".repeat(64)).build();

            assertThat(entry.digests().keySet()).containsExactly("job", "model", "result");
            assertThatThrownBy(() -> entry.digests().put("x", "4".repeat(64))).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class StoredLines {

        @Test
        void storedLine_shouldBeCanonicalWithMembersInOrder() {
            var stored = new StoredDecision(7, "a".repeat(64), "b".repeat(64), denied(1));

            var line = DecisionJson.storedLine(stored);

            assertThat(line).startsWith("{\"entry\":{").endsWith(",\"hash\":\"" + "b".repeat(64) + "\",\"previousHash\":\"" + "a".repeat(64) + "\",\"sequence\":7}");
            assertThat(DecisionJson.stored(line)).isEqualTo(stored);
        }

        @Test
        void stored_whenAMemberIsMissing_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> DecisionJson.stored("{\"sequence\":1}")).hasMessageContaining("lacks the member");
        }
    }

    @Test
    void storedLine_fromTheCanonicalEntry_shouldBeByteForByteTheCanonicalStoredEntry() {
        var previous = HashChain.GENESIS;
        for (var entry : java.util.List.of(entry(1), denied(2), computeDecision(3, DecisionScope.COMPUTE_RESULT, "a".repeat(64), "b".repeat(64)),
                DecisionEntry.builder().time(java.time.Instant.parse("2026-11-23T09:00:00.5Z")).scope(DecisionScope.CATALOG)
                        .counterpartyId("did:web:\u00e9t\u00e9.example \"quoted\" \\ \u2028").outcome(DecisionOutcome.PERMIT).reasons(java.util.List.of()).build())) {
            var canonical = DecisionJson.canonicalEntry(entry);
            var stored = new StoredDecision(12345678901L, previous, HashChain.hashCanonical(previous, 12345678901L, canonical), entry);

            assertThat(DecisionJson.storedLine(stored, canonical)).isEqualTo(DecisionJson.storedLine(stored));
            assertThat(stored.hash()).isEqualTo(HashChain.hash(previous, 12345678901L, entry));
            previous = stored.hash();
        }
    }

    @Test
    void canonicalEntry_shouldBeTheCanonicalFormOfTheEntrysJsonTree() {
        var random = new java.util.Random(21);
        var texts = new String[]{"", "plain", "\u00e9t\u00e9", "\u5de5\u4f5c\ud83d\ude80", "quote \" backslash \\ / \t\n\r\b\f \u0000\u001f\u007f\u2028",
                "did:web:consumer.example", "z", "\uffff"};
        var scopes = DecisionScope.values();
        for (int i = 0; i < 2000; i++) {
            var builder = DecisionEntry.builder()
                    .time(START.plusMillis(random.nextInt(1 << 30) * (random.nextBoolean() ? 1000L : 1L)))
                    .scope(scopes[random.nextInt(scopes.length)])
                    .counterpartyId(texts[random.nextInt(texts.length)])
                    .outcome(random.nextBoolean() ? DecisionOutcome.PERMIT : DecisionOutcome.DENY);
            var optional = new java.util.ArrayList<java.util.function.Consumer<String>>(java.util.List.of(builder::counterpartyLegalId, builder::negotiationId,
                    builder::agreementId, builder::localAgreementId, builder::transferId, builder::assetId, builder::policyId, builder::policyHash,
                    builder::claimsDigest));
            for (var setter : optional) {
                if (random.nextBoolean()) {
                    setter.accept(texts[random.nextInt(texts.length)]);
                }
            }
            var reasons = new java.util.ArrayList<io.kakehashi.policy.decisionlog.spi.ConstraintReason>();
            for (int r = random.nextInt(3); r > 0; r--) {
                reasons.add(new io.kakehashi.policy.decisionlog.spi.ConstraintReason(texts[random.nextInt(texts.length)], DecisionOutcome.DENY, texts[random.nextInt(texts.length)]));
            }
            builder.reasons(reasons);
            for (int d = random.nextInt(4); d > 0; d--) {
                builder.digest(new String[]{"job", "model", "result", "a-b_c", "result.v2"}[random.nextInt(5)], Integer.toHexString(d).repeat(64));
            }
            var entry = builder.build();

            assertThat(DecisionJson.canonicalEntry(entry)).isEqualTo(JsonCanonicalizer.canonicalize(DecisionJson.entry(entry)));
        }
    }
}
