package io.kakehashi.transfer.grpc.bulk;

import java.io.IOException;

/**
 * A source that cannot be read now but may be soon: its server answered 408, 429 or 5xx. The call ends UNAVAILABLE,
 * so the receiver resumes from its durable offset within its retry window instead of ending the transfer.
 */
public class SourceUnavailableException extends IOException {
    public SourceUnavailableException(String message) {
        super(message);
    }
}
