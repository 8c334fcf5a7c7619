package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The times a policy evaluation is about: "now" as the evaluation sees it, and when the agreement was signed, if
 * there is one yet. Scopes that carry an agreement (transfer, policy monitor) bring their own "now"; the others
 * (catalog, negotiation) read the clock. Thread-safe.
 */
final class PolicyTime {

    private final Clock clock;

    PolicyTime(Clock clock) {
        this.clock = clock;
    }

    Instant now(PolicyContext context) {
        return context instanceof AgreementPolicyContext agreementContext && agreementContext.now() != null
                ? agreementContext.now() : clock.instant();
    }

    /** When the agreement under evaluation was signed; empty in scopes that come before an agreement. */
    Optional<Instant> agreementSigned(PolicyContext context) {
        if (context instanceof AgreementPolicyContext agreementContext && agreementContext.contractAgreement() != null) {
            return Optional.of(Instant.ofEpochSecond(agreementContext.contractAgreement().getContractSigningDate()));
        }
        return Optional.empty();
    }
}
