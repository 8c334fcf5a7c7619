package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kakehashi.samples.crash.CrashDataspace.Side;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A live record stream ({@code GrpcStream-PULL} or {@code -PUSH} of a record file a producer keeps appending to)
 * killed while records flow. After the restart the consumer must catch up with every record written until the
 * restarted side was ready; then the consumer terminates the transfer, which must end TERMINATED on both sides with
 * the reason on both, and the received file must hold records 0, 1, 2, … with none lost and none twice.
 */
final class StreamSituation extends Situation {

    private static final Set<String> TERMINATED = Set.of("TERMINATED", "DEPROVISIONED");
    private static final long RECORDS_BEFORE_KILL = 50;

    private final String flow;
    private final String assetId;
    private final Path received;
    private RecordProducer producer;
    private String agreementId;
    private volatile String transferId;
    private volatile long receivedAtKill;

    StreamSituation(CrashDataspace dataspace, String flow, Side victim, int round) {
        super(dataspace, "live record stream GrpcStream-" + flow, victim, round);
        this.flow = flow;
        this.assetId = "stream-%s-%s-r%d".formatted(flow.toLowerCase(Locale.ROOT), victim.label(), round);
        this.received = dataspace.inbox().resolve(assetId + ".jsonl");
    }

    @Override
    void prepare() {
        producer = RecordProducer.start(dataspace.streamDirectory().resolve(assetId + ".jsonl"), 20);
        dataspace.publish(assetId, Map.of("type", "KakehashiRecordStream", CrashDataspace.TRANSFER_NS + "recordFile", assetId + ".jsonl"),
                CrashDataspace.OPEN_POLICY);
        agreementId = dataspace.agree(assetId);
    }

    @Override
    void begin() {
        transferId = dataspace.transfer(agreementId, flow, received);
    }

    @Override
    boolean inPosition() {
        return RecordProducer.lines(received) >= RECORDS_BEFORE_KILL;
    }

    @Override
    String describe() {
        receivedAtKill = RecordProducer.lines(received);
        var consumer = consumer();
        return "consumer %s, provider %s, %,d of %,d records received".formatted(stateOf(consumer), stateOf(provider(consumer)),
                receivedAtKill, producer.written());
    }

    @Override
    void settle(Instant ready, Instant deadline) {
        var writtenAtReady = producer.written();
        var caughtUp = false;
        while (!CrashDataspace.past(deadline)) {
            if (RecordProducer.lines(received) >= writtenAtReady) {
                caughtUp = true;
                result.ended(ready);
                break;
            }
            CrashDataspace.sleep(250);
        }
        if (!caughtUp) {
            var consumer = consumer();
            result.problem("stream %s did not resume: %,d records received, %,d written before the restart was ready (%,d at the kill); consumer %s, provider %s",
                    transferId, RecordProducer.lines(received), writtenAtReady, receivedAtKill, stateOf(consumer), stateOf(provider(consumer)));
        }
        // the consumer ends the stream; both sides must show it ended, with the reason
        var reason = "crash suite: stream checked after the %s was killed".formatted(result.victim.label());
        if (!TERMINATED.contains(consumer().path("state").asText())) {
            try {
                dataspace.api(Side.CONSUMER).terminateTransfer(transferId, reason);
            } catch (RuntimeException e) {
                result.problem("stream %s: the consumer's terminate was refused: %s", transferId, abbreviate(e.getMessage(), 160));
            }
        }
        var terminateDeadline = Instant.now().plusSeconds(30);
        JsonNode consumer;
        JsonNode provider;
        while (true) {
            consumer = consumer();
            provider = provider(consumer);
            if (TERMINATED.contains(consumer.path("state").asText()) && TERMINATED.contains(provider.path("state").asText())
                    || CrashDataspace.past(terminateDeadline)) {
                break;
            }
            CrashDataspace.sleep(250);
        }
        // a terminated process may still be deprovisioned: what the management API shows after that is what counts
        var settled = Instant.now().plusSeconds(5);
        while (("TERMINATED".equals(consumer.path("state").asText()) || "TERMINATED".equals(provider.path("state").asText()))
                && !CrashDataspace.past(settled)) {
            CrashDataspace.sleep(500);
            consumer = consumer();
            provider = provider(consumer);
        }
        producer.close();
        var stable = stableLines();
        result.outcome = "%s; consumer %s, provider %s; %,d records".formatted(caughtUp ? "resumed" : "did not resume",
                consumer.path("state").asText("absent"), provider.path("state").asText("absent"), stable);
        if (!TERMINATED.contains(consumer.path("state").asText()) || !TERMINATED.contains(provider.path("state").asText())) {
            result.problem("stream %s: expected TERMINATED on both sides after the consumer's terminate, found consumer %s, provider %s",
                    transferId, stateOf(consumer), stateOf(provider));
        }
        for (var side : new Object[][]{{"consumer", consumer}, {"provider", provider}}) {
            var process = (JsonNode) side[1];
            if (TERMINATED.contains(process.path("state").asText()) && process.path("errorDetail").asText("").isBlank()) {
                result.problem("stream %s is %s on the %s side with no reason on its management API%s", transferId,
                        process.path("state").asText(), side[0], "DEPROVISIONED".equals(process.path("state").asText()) ? " (deprovisioned after its termination)" : "");
            }
        }
        var errors = RecordProducer.sequenceErrors(received);
        if (!errors.isEmpty()) {
            result.problem("stream %s: %s", transferId, errors);
        }
    }

    /** The received file's record count once it has stopped growing for a moment. */
    private long stableLines() {
        var last = RecordProducer.lines(received);
        for (var i = 0; i < 20; i++) {
            CrashDataspace.sleep(300);
            var now = RecordProducer.lines(received);
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    void close() {
        if (producer != null) {
            producer.close();
        }
    }

    private JsonNode consumer() {
        return transferId == null ? MissingNode.getInstance() : dataspace.read(Side.CONSUMER, "/v3/transferprocesses/" + transferId);
    }

    private JsonNode provider(JsonNode consumer) {
        if (transferId == null) {
            return MissingNode.getInstance();
        }
        try {
            return dataspace.providerCounterpart("/v3/transferprocesses/request", transferId, consumer.path("correlationId").asText(""));
        } catch (RuntimeException e) {
            return MissingNode.getInstance();
        }
    }
}
