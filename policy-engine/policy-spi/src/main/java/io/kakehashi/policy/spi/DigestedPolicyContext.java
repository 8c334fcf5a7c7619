package io.kakehashi.policy.spi;

import java.util.Map;

/**
 * A policy context that names SHA-256 digests of what its decision is about — a compute job's description
 * ({@code job}), the model it brings ({@code model}) — so that the decision log's entry carries them and an auditor
 * can find the decision by the digest of a job or model they hold. The decision log copies them into the entry of
 * every evaluation made with such a context.
 *
 * <p>Names are short identifiers ({@code [a-z][a-zA-Z0-9._-]{0,63}}), values 64 lowercase hex characters; a context
 * whose digests break that has its decision refused, because the entry cannot be written.
 */
public interface DigestedPolicyContext {

    /** The digest name of a compute job's description. */
    String JOB = "job";
    /** The digest name of the model a compute job brings or produces. */
    String MODEL = "model";
    /** The digest name of a released result. */
    String RESULT = "result";

    /**
     * The named digests; never null, empty when there are none.
     */
    Map<String, String> decisionDigests();
}
