package io.kakehashi.consent;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyValidatorRule;
import org.eclipse.edc.policy.model.Policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A pre-validator of the transfer and compute scopes at the provider. It keeps the consumer's verified claims per
 * agreement (a consent to {@code membership:…} or {@code jurisdiction:…} is decided on them when the data plane or a
 * job reads the asset), and refuses at once a use of an asset that holds personal data under an agreement that names
 * no purpose — or, for a compute job, whose job serves a purpose the agreement does not grant — so that the decision
 * log records a DENY with the reason before any data is read. Thread-safe.
 *
 * @param <C> the scope's context
 */
public final class ConsentUseRule<C extends ParticipantAgentPolicyContext & AgreementPolicyContext> implements PolicyValidatorRule<C> {

    private final Predicate<String> personal;
    private final Map<String, VerifiedClaims> claims;

    /**
     * @param personal whether an asset holds personal data
     * @param claims   where the consumer's claims are kept, by this connector's agreement id
     */
    public ConsentUseRule(Predicate<String> personal, Map<String, VerifiedClaims> claims) {
        this.personal = personal;
        this.claims = claims;
    }

    /** A map to share between the rule and the filter. */
    public static Map<String, VerifiedClaims> claimsMap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public Boolean apply(Policy policy, C context) {
        var agreement = context.contractAgreement();
        if (agreement == null) {
            return true;
        }
        if (context.participantAgent() != null) {
            claims.put(agreement.getId(), VerifiedClaims.of(context.participantAgent()));
        }
        if (!personal.test(agreement.getAssetId())) {
            return true;
        }
        var use = context instanceof ComputePolicyContext compute
                ? ConsentFilter.Use.compute(agreement.getId(), agreement.getAssetId(), null, compute.job().type())
                : ConsentFilter.Use.transfer(agreement.getId(), agreement.getAssetId(), null);
        var purposes = ConsentNarrowing.purposesOf(use, agreement);
        if (purposes.failed()) {
            context.reportProblem(purposes.getFailureDetail());
            return false;
        }
        return true;
    }

    @Override
    public String name() {
        return ConsentNarrowing.SHORT_NAME;
    }
}
