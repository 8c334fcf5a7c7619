package io.kakehashi.samples.interop.stockdcp;

import org.eclipse.edc.iam.verifiablecredentials.spi.model.VerifiableCredential;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;

import java.util.Collection;

/**
 * Test glue: stock EDC 0.15.1 ships no policy function for any credential, so a stock provider's membership-constrained
 * policy needs one, as every EDC deployment writes its own (MinimumViableDataspace does the same). This one decides
 * {@code <membership> eq <dataspace>} from the consumer's verified credentials, which EDC's DCP identity service puts
 * in the {@code vc} claim: a {@code MembershipCredential} whose subject's {@code memberOf} names the dataspace.
 * Thread-safe.
 */
final class MembershipFunction<C extends ParticipantAgentPolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    static final String MEMBER_OF = "memberOf";

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        if (operator != Operator.EQ || !(rightValue instanceof String dataspace)) {
            context.reportProblem("membership: only 'eq <dataspace>' is supported");
            return false;
        }
        if (!(context.participantAgent().getClaims().get("vc") instanceof Collection<?> credentials)) {
            context.reportProblem("membership: the consumer presented no credentials");
            return false;
        }
        var member = credentials.stream()
                .filter(VerifiableCredential.class::isInstance)
                .map(VerifiableCredential.class::cast)
                .filter(credential -> credential.getType().stream().anyMatch(type -> type.endsWith("MembershipCredential")))
                .flatMap(credential -> credential.getCredentialSubject().stream())
                .anyMatch(subject -> subject.getClaims().entrySet().stream()
                        .anyMatch(claim -> claim.getKey().endsWith(MEMBER_OF) && dataspace.equals(String.valueOf(claim.getValue()))));
        if (!member) {
            context.reportProblem("membership: the consumer holds no membership of " + dataspace);
        }
        return member;
    }
}
