package io.kakehashi.ai.core.federated;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What happened in one round of federated averaging: who answered, who dropped out and why (a refusal, an error, the
 * deadline), the bytes of weights sent and received, and how long it took. Immutable and thread-safe.
 */
public record RoundReport(int round, List<String> answered, Map<String, String> dropped, long samples, long bytesSent,
                          long bytesReceived, Duration duration) {

    public RoundReport {
        answered = List.copyOf(answered);
        dropped = Map.copyOf(dropped);
    }
}
