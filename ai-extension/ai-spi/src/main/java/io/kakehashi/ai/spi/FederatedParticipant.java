package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One data holder in a federated training, as the coordinating (vendor's) connector sees it: the transport that
 * submits a federated-round job to the holder under the vendor's agreement with it and brings back the model update.
 * In the connector this is a DSP transfer process with the update streamed over gRPC; tests use in-memory fakes.
 * Implementations are thread-safe.
 */
public interface FederatedParticipant {

    /** A name for reports and reasons, e.g. the holder's participant id. */
    String id();

    /**
     * Asks the holder to train one round from the global weights ({@link ModelWeights} bytes) with the round's
     * parameters. The future completes with the update, or a failure with the holder's reason (e.g. a policy
     * denial once its ε budget is spent); it may also never complete — the coordinator does not wait past its
     * deadline.
     */
    CompletableFuture<Result<JobOutput.ModelUpdate>> train(int round, byte[] globalWeights, Map<String, String> parameters);

    /** The coordinator stopped waiting for this round; the transport cancels the holder's job if it can. */
    default void abandon(int round) {
    }
}
