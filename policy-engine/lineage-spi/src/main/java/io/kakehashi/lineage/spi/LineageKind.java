package io.kakehashi.lineage.spi;

/** What a consumer received. */
public enum LineageKind {
    /** A file a transfer wrote into the consumer's inbox. */
    FILE,
    /** The result document of a compute job run at the provider. */
    COMPUTE_RESULT,
    /** A result document that carries a trained model. */
    MODEL
}
