package io.kakehashi.policy.constraints;

/**
 * The vocabulary of Kakehashi's own policy left operands (ODRL's own, such as {@code odrl:dateTime}, are used where
 * ODRL has one).
 */
public final class KakehashiPolicy {

    public static final String NAMESPACE = "https://w3id.org/kakehashi/policy/";

    private KakehashiPolicy() {
    }
}
