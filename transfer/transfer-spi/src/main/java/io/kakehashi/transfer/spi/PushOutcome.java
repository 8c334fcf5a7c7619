package io.kakehashi.transfer.spi;

/**
 * How an outbound push ended. Immutable and thread-safe.
 *
 * @param succeeded whether the sink received and confirmed the whole content
 * @param description the end as one line, {@code CODE: description} (the transport's status), for logs and messages
 * @param bytes the size of the content the sink confirmed, 0 when it failed
 * @param attempts how many calls it took
 */
public record PushOutcome(boolean succeeded, String description, long bytes, int attempts) {

    /** The end as one line: {@code CODE: description}. */
    public String describe() {
        return description;
    }
}
