package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.denied;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one-pass reader of canonical stored lines must accept only what the strict tree parse accepts, and read it into
 * the same entry; everything else it must leave to the tree parse.
 */
class CanonicalStoredLineTest {

    private static CanonicalStoredLine.Parsed parse(String line) {
        var bytes = line.getBytes(StandardCharsets.UTF_8);
        return CanonicalStoredLine.parse(bytes, 0, bytes.length);
    }

    private static List<String> resource(String name) throws IOException {
        try (InputStream in = CanonicalStoredLineTest.class.getResourceAsStream(name)) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * Stored lines of entries that differ in every member: the fixtures', and random ones with escapes, non-ASCII text,
     * digests and times with and without milliseconds.
     */
    private static List<String> lines() throws IOException {
        var lines = new ArrayList<String>(resource("/chain-every-member.jsonl"));
        lines.addAll(resource("/chain-before-digests.jsonl"));
        var entries = new ArrayList<>(List.of(entry(1), entry(2), denied(3), computeDecision(4, DecisionScope.COMPUTE_RESULT, "a".repeat(64), "b".repeat(64))));
        var random = new Random(7);
        var texts = new String[]{"", "x", "\u00e9t\u00e9", "\u5de5\u4f5c\ud83d\ude80", "q \" b \\ / \t\n\r\b\f \u0000\u001f\u007f\u2028", "\uffff"};
        for (int i = 0; i < 200; i++) {
            var builder = DecisionEntry.builder()
                    .time(Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L)))
                    .scope(DecisionScope.values()[random.nextInt(DecisionScope.values().length)])
                    .counterpartyId(texts[random.nextInt(texts.length)])
                    .outcome(DecisionOutcome.values()[random.nextInt(DecisionOutcome.values().length)])
                    .agreementId(random.nextBoolean() ? texts[random.nextInt(texts.length)] : null)
                    .transferId(random.nextBoolean() ? "transfer-" + i : null)
                    .reasons(random.nextBoolean() ? List.of() : List.of(new ConstraintReason(texts[random.nextInt(texts.length)], DecisionOutcome.DENY, texts[random.nextInt(texts.length)])));
            if (random.nextBoolean()) {
                builder.digest("job", "1".repeat(64)).digest("a.b", "2".repeat(64));
            }
            entries.add(builder.build());
        }
        var previous = HashChain.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            var stored = new StoredDecision(i + 1, previous, HashChain.hash(previous, i + 1, entries.get(i)), entries.get(i));
            lines.add(DecisionJson.storedLine(stored));
            previous = stored.hash();
        }
        return lines;
    }

    @Nested
    class CanonicalLines {

        @Test
        void parse_ofEveryCanonicalLine_shouldReadWhatTheTreeParseReads_andPointAtTheEntrysCanonicalJson() throws IOException {
            for (var line : lines()) {
                var parsed = parse(line);

                assertThat(parsed).as(line).isNotNull();
                assertThat(parsed.stored()).isEqualTo(DecisionJson.storedFromTree(line));
                var bytes = line.getBytes(StandardCharsets.UTF_8);
                assertThat(new String(bytes, parsed.entryStart(), parsed.entryEnd() - parsed.entryStart(), StandardCharsets.UTF_8))
                        .isEqualTo(DecisionJson.canonicalEntry(parsed.stored().entry()));
            }
        }
    }

    @Nested
    class OtherLines {

        @Test
        void parse_ofAnEquivalentButNonCanonicalLine_shouldLeaveItToTheTreeParse_whichReadsIt() {
            var stored = new StoredDecision(3, "a".repeat(64), "b".repeat(64), entry(1));
            var line = DecisionJson.storedLine(stored);
            var equivalents = List.of(
                    line.replace("{\"entry\":", "{ \"entry\" : "),
                    line.replace("\"sequence\":3", "\"sequence\":3.0"),
                    line.replace("consumer-b", "consumer\\u002db"),
                    line.replace("did:web:", "did:web\\u003a"),
                    line.replace("\"hash\":\"" + "b".repeat(64) + "\",", "").replace("\"sequence\":3}", "\"sequence\":3,\"hash\":\"" + "b".repeat(64) + "\"}"));

            for (var equivalent : equivalents) {
                assertThat(parse(equivalent)).as(equivalent).isNull();
                assertThat(DecisionJson.stored(equivalent)).isEqualTo(stored);
            }
        }

        @Test
        void parse_ofAMalformedOrRefusedLine_shouldBeNull_andTheTreeParseShouldSayWhy() {
            var line = DecisionJson.storedLine(new StoredDecision(3, "a".repeat(64), "b".repeat(64), entry(1)));
            var refused = List.of(
                    line.replace("\"assetId\"", "\"assetId\":\"x\",\"assetId\""),
                    line.replace("\"scope\":\"", "\"scope\":\"x"),
                    line.replace("\"time\":\"2026-11-23T09:01:00Z\"", "\"time\":\"2026-11-23T09:01:00.000Z\""),
                    line.replace("\"time\":\"2026-11-23T09:01:00Z\"", "\"time\":\"2026-02-30T09:01:00Z\""),
                    line.replace("{\"agreementId", "{\"zzz\":\"1\",\"agreementId"),
                    line.replace(",\"sequence\":3}", ",\"sequence\":3,\"extra\":1}"),
                    line.replace("\"outcome\":\"PERMIT\"", "\"outcome\":null"),
                    line.substring(0, line.length() - 1));

            for (var bad : refused) {
                assertThat(parse(bad)).as(bad).isNull();
                assertThatThrownBy(() -> DecisionJson.stored(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void parse_ofInvalidUtf8_shouldBeNull() {
            var bytes = DecisionJson.storedLine(new StoredDecision(1, HashChain.GENESIS, "b".repeat(64), entry(1))).getBytes(StandardCharsets.UTF_8);
            var at = new String(bytes, StandardCharsets.UTF_8).indexOf("consumer-b");
            bytes[at] = (byte) 0xc3;

            assertThat(CanonicalStoredLine.parse(bytes, 0, bytes.length)).isNull();
        }
    }

    /**
     * Random edits of canonical lines (a byte replaced by one that matters to JSON, removed or doubled): whatever the
     * reader accepts, the tree parse must accept as the same entry, from the same text.
     */
    @Test
    void parse_ofRandomlyEditedLines_shouldNeverAcceptWhatTheTreeParseRefusesOrReadsOtherwise() throws IOException {
        var random = new Random(21);
        var replacements = "\"\\{}[],:0123456789aAzZ.-+ eE\u00e9/btnru\n".getBytes(StandardCharsets.UTF_8);
        var lines = lines();
        var accepted = 0;
        var refused = 0;
        for (int i = 0; i < 40_000; i++) {
            var bytes = lines.get(random.nextInt(lines.size())).getBytes(StandardCharsets.UTF_8);
            var at = random.nextInt(bytes.length);
            var edited = switch (random.nextInt(3)) {
                case 0 -> {
                    var copy = bytes.clone();
                    copy[at] = replacements[random.nextInt(replacements.length)];
                    yield copy;
                }
                case 1 -> concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
                default -> concat(Arrays.copyOfRange(bytes, 0, at + 1), Arrays.copyOfRange(bytes, at, bytes.length));
            };
            var parsed = CanonicalStoredLine.parse(edited, 0, edited.length);
            if (parsed == null) {
                refused++;
                continue;
            }
            accepted++;
            var text = new String(edited, StandardCharsets.UTF_8);
            assertThat(text.getBytes(StandardCharsets.UTF_8)).as(text).isEqualTo(edited);
            assertThat(DecisionJson.storedFromTree(text)).as(text).isEqualTo(parsed.stored());
        }
        // both outcomes happened, so the comparison above was made
        assertThat(accepted).isGreaterThan(1000);
        assertThat(refused).isGreaterThan(1000);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
