package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kakehashi.samples.crash.CrashDataspace.Side;
import io.kakehashi.samples.support.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Locale;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * A gRPC bulk transfer ({@code GrpcStream-PULL} or {@code -PUSH}) killed at one of its moments: just requested (the
 * consumer's request sent the moment before the kill), STARTED (its source stalls, so no chunk has moved), or mid-way
 * (its source dribbles, and the consumer holds some bytes but not all). The source goes to full speed once the side
 * is killed. It must end COMPLETED on both sides (DEPROVISIONED counts as ended) and the destination file must have
 * the source's SHA-256.
 */
final class BulkSituation extends Situation {

    /** Where the kill lands. */
    enum Moment {
        REQUESTED("transfer requested", 256 * 1024, PacedSource.Pace.DRIBBLE),
        STARTED("transfer STARTED", 1024 * 1024, PacedSource.Pace.STALL),
        MID("mid-bulk", 6 * 1024 * 1024, PacedSource.Pace.DRIBBLE);

        final String label;
        final int size;
        final PacedSource.Pace pace;

        Moment(String label, int size, PacedSource.Pace pace) {
            this.label = label;
            this.size = size;
            this.pace = pace;
        }
    }

    private static final Set<String> COMPLETE = Set.of("COMPLETED", "DEPROVISIONED");

    private final Moment moment;
    private final String flow;
    private final String assetId;
    private final Path destination;
    private String agreementId;
    private String sourceSha256;
    private volatile String transferId;

    BulkSituation(CrashDataspace dataspace, Moment moment, String flow, Side victim, int round) {
        super(dataspace, "%s GrpcStream-%s".formatted(moment.label, flow), victim, round);
        this.moment = moment;
        this.flow = flow;
        this.assetId = "bulk-%s-%s-%s-r%d".formatted(moment.name().toLowerCase(Locale.ROOT), flow.toLowerCase(Locale.ROOT),
                victim.label(), round);
        this.destination = dataspace.inbox().resolve(assetId + ".bin");
    }

    @Override
    void prepare() {
        var url = dataspace.source().add(assetId, moment.size, moment.pace);
        sourceSha256 = sha256(dataspace.source().content(assetId));
        dataspace.publish(assetId, Map.of("type", "HttpData", "baseUrl", url), CrashDataspace.OPEN_POLICY);
        agreementId = dataspace.agree(assetId);
    }

    @Override
    void begin() {
        if (moment != Moment.REQUESTED) {
            transferId = dataspace.transfer(agreementId, flow, destination);
        }
    }

    @Override
    boolean inPosition() {
        return switch (moment) {
            case REQUESTED -> true;
            case STARTED -> "STARTED".equals(consumer().path("state").asText());
            case MID -> {
                var received = receivedBytes();
                yield received > 0 && received < moment.size && !Files.exists(destination);
            }
        };
    }

    @Override
    boolean trigger() {
        if (moment == Moment.REQUESTED) {
            transferId = dataspace.transfer(agreementId, flow, destination);
            return true;
        }
        return false;
    }

    @Override
    String describe() {
        var consumer = consumer();
        return "consumer %s, provider %s, %,d of %,d bytes received".formatted(stateOf(consumer), stateOf(provider(consumer)),
                Files.exists(destination) ? moment.size : receivedBytes(), moment.size);
    }

    @Override
    void afterKill() {
        dataspace.source().release(assetId);
    }

    @Override
    void settle(Instant ready, Instant deadline) {
        JsonNode consumer;
        JsonNode provider;
        while (true) {
            consumer = consumer();
            provider = provider(consumer);
            var consumerState = consumer.path("state").asText();
            var providerState = provider.path("state").asText();
            if (COMPLETE.contains(consumerState) && COMPLETE.contains(providerState)) {
                result.ended(ready);
                break;
            }
            if ("TERMINATED".equals(consumerState) && ENDED.contains(providerState)
                    || "TERMINATED".equals(providerState) && ENDED.contains(consumerState) || CrashDataspace.past(deadline)) {
                break;
            }
            CrashDataspace.sleep(250);
        }
        result.outcome = "consumer %s, provider %s".formatted(consumer.path("state").asText("absent"), provider.path("state").asText("absent"));
        if (!COMPLETE.contains(consumer.path("state").asText()) || !COMPLETE.contains(provider.path("state").asText())) {
            result.problem("transfer %s: expected COMPLETED on both sides within the bound, found consumer %s, provider %s",
                    transferId, stateOf(consumer), stateOf(provider));
        }
        for (var side : new Object[][]{{"consumer", consumer}, {"provider", provider}}) {
            var process = (JsonNode) side[1];
            if ("TERMINATED".equals(process.path("state").asText()) && process.path("errorDetail").asText("").isBlank()) {
                result.problem("transfer %s is TERMINATED on the %s side with no reason on its management API", transferId, side[0]);
            }
        }
        if (!Files.exists(destination)) {
            result.problem("transfer %s: nothing at the destination (%,d bytes in a partial file)", transferId, receivedBytes());
        } else {
            var received = Sha256.of(destination);
            if (!received.equals(sourceSha256)) {
                result.problem("transfer %s: destination SHA-256 %s… differs from the source's %s… (%,d of %,d bytes)", transferId,
                        received.substring(0, 12), sourceSha256.substring(0, 12), size(destination), moment.size);
            } else {
                result.outcome += ", SHA-256 equal";
            }
        }
    }

    /** Bytes the consumer holds: its data plane's progress for a pull, else the partial file beside the destination. */
    private long receivedBytes() {
        var partial = destination.resolveSibling("." + destination.getFileName() + ".part");
        var bytes = Files.exists(partial) ? size(partial) : 0;
        if (transferId != null && "PULL".equals(flow)) {
            try {
                bytes = Math.max(bytes, dataspace.api(Side.CONSUMER).transferProgress(transferId).path("bytes").asLong(0));
            } catch (RuntimeException e) {
                // the consumer is down: the partial file says it
            }
        }
        return bytes;
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

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
