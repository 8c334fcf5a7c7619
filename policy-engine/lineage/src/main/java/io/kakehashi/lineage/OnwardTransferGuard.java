package io.kakehashi.lineage;

import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyValidatorRule;
import org.eclipse.edc.policy.model.Policy;

import java.util.function.BiFunction;

/**
 * The consumer's enforcement of the {@code onwardTransfer} constraints it agreed to, when it acts as a provider: a
 * pre-validator of the negotiation scope (the asset is the offer's target) and of the transfer scope (the agreement's
 * asset). When the asset derives from something received under an agreement whose constraint does not allow the
 * counterparty (by its DID, its verified memberships or its country of registration), the evaluation is refused and
 * the reason reported as its problem, so the decision log records a DENY with it. An asset this connector does not
 * hold, or one without lineage, is not its concern. Thread-safe.
 *
 * @param <C> the scope's context
 */
public final class OnwardTransferGuard<C extends ParticipantAgentPolicyContext> implements PolicyValidatorRule<C> {

    private final AssetIndex assets;
    private final AssetLineage lineage;
    private final BiFunction<Policy, C, String> assetOf;

    /**
     * @param assetOf the asset an evaluation concerns, {@code null} when it concerns none
     */
    public OnwardTransferGuard(AssetIndex assets, AssetLineage lineage, BiFunction<Policy, C, String> assetOf) {
        this.assets = assets;
        this.lineage = lineage;
        this.assetOf = assetOf;
    }

    @Override
    public Boolean apply(Policy policy, C context) {
        var assetId = assetOf.apply(policy, context);
        if (assetId == null) {
            return true;
        }
        var asset = assets.findById(assetId);
        if (asset == null) {
            return true;
        }
        var restrictions = lineage.of(asset).restrictions();
        if (restrictions.isEmpty()) {
            return true;
        }
        var recipient = context.participantAgent() == null ? VerifiedClaims.onlyParticipant("unknown") : VerifiedClaims.of(context.participantAgent());
        for (var restriction : restrictions) {
            var refusal = restriction.refusal(assetId, recipient);
            if (refusal.isPresent()) {
                context.reportProblem(refusal.get());
                return false;
            }
        }
        return true;
    }

    @Override
    public String name() {
        return "onwardTransfer";
    }
}
