package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ManagementClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the transfer benchmarks move an agreed asset from a pair's provider to its consumer, each started by the
 * consumer's {@code POST /v3/transferprocesses}: stock EDC's and Kakehashi's {@code HttpData-PUSH} to an HTTP sink
 * (over TLS for the sink that has it), and Kakehashi's {@code GrpcStream-PULL} and {@code GrpcStream-PUSH} into a file
 * at the consumer. Either way the data is at its place only when complete: the HTTP sink moves a body there once it
 * ended, the gRPC receiver once its SHA-256 matched.
 * <p>
 * Immutable and thread-safe.
 */
enum TransferMethod {

    STOCK_EDC_HTTP_PUSH("stock EDC HttpData-PUSH"),
    STOCK_EDC_HTTPS_PUSH("stock EDC HttpData-PUSH, TLS"),
    KAKEHASHI_HTTP_PUSH("Kakehashi HttpData-PUSH"),
    KAKEHASHI_GRPC_PULL("Kakehashi GrpcStream-PULL"),
    KAKEHASHI_GRPC_PUSH("Kakehashi GrpcStream-PUSH");

    private static final String DESTINATION_PATH = "https://w3id.org/kakehashi/transfer/destinationPath";
    private static final long STATE_CHECK_MILLIS = 500;

    private final String label;

    TransferMethod(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean stock() {
        return this == STOCK_EDC_HTTP_PUSH || this == STOCK_EDC_HTTPS_PUSH;
    }

    /** Whether the data goes to an HTTP sink's URL (rather than to a file the consumer's gRPC data plane writes). */
    boolean pushesToHttp() {
        return this == STOCK_EDC_HTTP_PUSH || this == STOCK_EDC_HTTPS_PUSH || this == KAKEHASHI_HTTP_PUSH;
    }

    /**
     * Asks the consumer of {@code pair} for a transfer under {@code agreementId}: to {@code sinkUrl} for an HTTP push,
     * into {@code landed} for gRPC. Answers the transfer process's id.
     */
    String start(ConnectorPair pair, String agreementId, String sinkUrl, Path landed) {
        var consumer = pair.consumerManagement();
        return switch (this) {
            case STOCK_EDC_HTTP_PUSH, STOCK_EDC_HTTPS_PUSH, KAKEHASHI_HTTP_PUSH ->
                    consumer.transferPush(pair.providerAddress(), pair.providerId(), agreementId, sinkUrl);
            case KAKEHASHI_GRPC_PULL -> consumer.transferGrpcPull(pair.providerAddress(), pair.providerId(), agreementId, landed);
            case KAKEHASHI_GRPC_PUSH -> {
                var body = ManagementClient.body("TransferRequest")
                        .put("counterPartyAddress", pair.providerAddress())
                        .put("connectorId", pair.providerId())
                        .put("contractId", agreementId)
                        .put("protocol", "dataspace-protocol-http:2025-1")
                        .put("transferType", "GrpcStream-PUSH");
                body.putObject("dataDestination").put("@type", "DataAddress").put("type", "GrpcStream");
                body.putObject("privateProperties").put(DESTINATION_PATH, landed.toString());
                yield consumer.post("/v3/transferprocesses", body).path("@id").asText();
            }
        };
    }

    /**
     * Waits for the whole data at {@code landed} (looking every 2 ms), reading the transfer's state every 500 ms;
     * throws {@link Terminated} when the transfer ends TERMINATED first.
     */
    static void awaitLanded(ManagementClient consumer, String transferId, Path landed, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        var nextStateCheck = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (Files.exists(landed)) {
                return;
            }
            if (System.nanoTime() > nextStateCheck) {
                var transfer = consumer.transfer(transferId);
                if ("TERMINATED".equals(transfer.path("state").asText())) {
                    throw new Terminated("transfer %s ended TERMINATED (%s)".formatted(transferId,
                            transfer.path("errorDetail").asText("no detail")));
                }
                nextStateCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATE_CHECK_MILLIS);
            }
            ConnectorProcess.sleep(2);
        }
        throw new IllegalStateException("transfer %s: no data at %s within %s".formatted(transferId, landed, timeout));
    }

    /** A transfer that ended TERMINATED before its data arrived. */
    static final class Terminated extends IllegalStateException {
        Terminated(String message) {
            super(message);
        }
    }
}
