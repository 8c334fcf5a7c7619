package io.kakehashi.policy.spi;

/**
 * The vocabulary of Kakehashi's own policy left operands. ODRL's own operands ({@code odrl:dateTime},
 * {@code odrl:elapsedTime}, {@code odrl:count}) are used where ODRL has one.
 */
public final class KakehashiPolicy {

    public static final String NAMESPACE = "https://w3id.org/kakehashi/policy/";

    /** ODRL's {@code use} action, the action of every usage rule Kakehashi decides. */
    public static final String ODRL_USE = "http://www.w3.org/ns/odrl/2/use";

    /** Where the consumer is registered: ISO 3166-1 alpha-2 codes and configured groups. */
    public static final String CONSUMER_JURISDICTION = NAMESPACE + "consumerJurisdiction";
    /** Whether a model trained on the data may leave the provider ({@code true}) or only its metrics ({@code false}). */
    public static final String AI_MODEL_EXPORT = NAMESPACE + "ai.modelExport";
    /** The smallest group of source rows an analytics result may report. */
    public static final String AI_MIN_AGGREGATION = NAMESPACE + "ai.minAggregation";
    /** The differential-privacy budget (ε) of an agreement, spent by the jobs run under it. */
    public static final String AI_DP_EPSILON = NAMESPACE + "ai.dpEpsilon";

    /** What the consumer will use the data for, from a hierarchy such as {@code ai} ⊃ {@code ai.training}. */
    public static final String PURPOSE = NAMESPACE + "purpose";
    /** Membership of a named dataspace, established by a verified membership credential. */
    public static final String MEMBERSHIP = NAMESPACE + "membership";
    /** A named certification (e.g. {@code ISO27001}) that a verified credential says is valid now. */
    public static final String CERTIFICATION = NAMESPACE + "certification";
    /** The most bytes one transfer under an agreement may move; the data plane enforces it per message. */
    public static final String TRANSFER_MAX_BYTES = NAMESPACE + "transfer.maxBytes";
    /** The most messages (chunks or records) one transfer under an agreement may move; enforced per message. */
    public static final String TRANSFER_MAX_MESSAGES = NAMESPACE + "transfer.maxMessages";
    /**
     * Whether and to whom the consumer may pass the data on (and what it derives from it): {@code none}, named
     * participants' DIDs, members of a dataspace, recipients registered in a jurisdiction. Enforced by the consumer's
     * own connector when it later acts as a provider.
     */
    public static final String ONWARD_TRANSFER = NAMESPACE + "onwardTransfer";
    /**
     * Who the consumer is in a public registry, from its verified legal-entity credential: {@code jcn:*} (any company
     * with a Japanese corporate number), {@code lei:*} (any holder of an LEI), or named identifiers
     * ({@code JCN:1180301018771}, {@code LEI:…}).
     */
    public static final String COUNTERPARTY_LEGAL_ID = NAMESPACE + "counterpartyLegalId";
    /**
     * Whether the consumer may make derived data (a compute job's result: SQL aggregates, evaluation metrics) from the
     * data, and keep it: {@code none}, {@code use-only} (deleted with the data), {@code keep} (kept after the data is
     * deleted).
     */
    public static final String DERIVED_DATA = NAMESPACE + "derivedData";
    /** The same for models trained on the data (training jobs, federated rounds): {@code none}, {@code use-only}, {@code keep}. */
    public static final String DERIVED_MODELS = NAMESPACE + "derivedModels";
    /** Who holds the rights in a model trained on the data: {@code provider}, {@code consumer} or {@code joint}. */
    public static final String MODEL_RIGHTS = NAMESPACE + "modelRights";
    /** The most compute jobs an agreement allows, counted durably. */
    public static final String COMPUTE_JOB_COUNT = NAMESPACE + "compute.jobCount";
    /**
     * The most runs of a vendor's model an agreement allows the holder's connector to make on the holder's own data
     * (inference only: the weights never leave the connector), counted by the holder's connector and reported to the
     * vendor as signed counts.
     */
    public static final String AI_INFERENCE_RUNS = NAMESPACE + "ai.inferenceRuns";

    private KakehashiPolicy() {
    }
}
