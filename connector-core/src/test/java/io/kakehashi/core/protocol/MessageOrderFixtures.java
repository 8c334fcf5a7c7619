package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatableConsumerOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatedConsumerOffer;
import org.eclipse.edc.connector.controlplane.services.spi.protocol.ProtocolTokenValidator;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.PolicyType;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test data for the message-order tests: a participant context, the peer's token (EDC's token check answers the peer
 * for {@link #PEER_TOKEN} and refuses anything else), offers, agreements and negotiations in a given state.
 */
final class MessageOrderFixtures {

    static final String CONTEXT_ID = "order-test-context";
    static final String PEER = "did:web:peer.example";
    static final String SELF = "did:web:self.example";
    static final String ASSET = "order-test-asset";
    static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    static final TokenRepresentation PEER_TOKEN = TokenRepresentation.Builder.newInstance().token("peer-token").build();
    static final TokenRepresentation STRANGER_TOKEN = TokenRepresentation.Builder.newInstance().token("stranger-token").build();

    private MessageOrderFixtures() {
    }

    static ParticipantContext context() {
        return ParticipantContext.Builder.newInstance().participantContextId(CONTEXT_ID).identity(SELF).build();
    }

    /** EDC's token check as the runtime's identity would answer it: the peer's token names the peer, any other fails. */
    static ProtocolTokenValidator tokens() {
        return (participantContext, token, policyContextProvider, policy, message) -> PEER_TOKEN.getToken().equals(token.getToken())
                ? ServiceResult.success(new ParticipantAgent(PEER, Map.of(), Map.of()))
                : ServiceResult.unauthorized("token refused");
    }

    /** EDC's contract checks reduced to the one that matters here: the sender is the negotiation's counterparty. */
    static ContractValidationService validation() {
        return new ContractValidationService() {
            @Override
            public Result<ValidatedConsumerOffer> validateInitialOffer(ParticipantAgent agent, ValidatableConsumerOffer offer) {
                return Result.failure("not used");
            }

            @Override
            public Result<ContractAgreement> validateAgreement(ParticipantAgent agent, ContractAgreement agreement) {
                return Result.success(agreement);
            }

            @Override
            public Result<Void> validateRequest(ParticipantAgent agent, ContractAgreement agreement) {
                return PEER.equals(agent.getIdentity()) ? Result.success() : Result.failure("not a party");
            }

            @Override
            public Result<Void> validateRequest(ParticipantAgent agent, ContractNegotiation negotiation) {
                return agent.getIdentity().equals(negotiation.getCounterPartyId()) ? Result.success() : Result.failure("not the counterparty");
            }

            @Override
            public Result<Void> validateConfirmed(ParticipantAgent agent, ContractAgreement agreement, ContractOffer offer) {
                return Result.success();
            }
        };
    }

    static Policy policy(String action) {
        return Policy.Builder.newInstance()
                .type(PolicyType.CONTRACT)
                .target(ASSET)
                .assigner(PEER)
                .assignee(SELF)
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(action).build()).build())
                .build();
    }

    static ContractOffer offer() {
        return ContractOffer.Builder.newInstance().id("offer-" + UUID.randomUUID()).assetId(ASSET).policy(policy("use")).build();
    }

    static ContractAgreement agreement(String agreementId, String action) {
        return ContractAgreement.Builder.newInstance()
                .id(UUID.randomUUID().toString())
                .agreementId(agreementId)
                .providerId(PEER)
                .consumerId(SELF)
                .assetId(ASSET)
                .contractSigningDate(1_700_000_000L)
                .policy(policy(action))
                .participantContextId(CONTEXT_ID)
                .build();
    }

    static ContractNegotiation negotiation(ContractNegotiation.Type type, ContractNegotiationStates state, ContractAgreement agreement) {
        var builder = ContractNegotiation.Builder.newInstance()
                .id(UUID.randomUUID().toString())
                .correlationId(UUID.randomUUID().toString())
                .counterPartyId(PEER)
                .counterPartyAddress("http://peer.example/protocol")
                .protocol(PROTOCOL)
                .type(type)
                .participantContextId(CONTEXT_ID)
                .state(state.code())
                .contractOffer(offer());
        if (agreement != null) {
            builder.contractAgreement(agreement);
        }
        return builder.build();
    }

    /**
     * Stands in for the state machine: the first time the wait pauses, the awaited transition is saved (as EDC saves
     * it once the peer answered); a wait that is to run out instead moves a clock past the bound. No thread, no timing.
     */
    static final class ScriptedWait implements PendingTransitions.Sleeper {

        private final Runnable save;
        private final MutableClock clock;
        private final AtomicInteger pauses = new AtomicInteger();

        ScriptedWait(Runnable save, MutableClock clock) {
            this.save = save;
            this.clock = clock;
        }

        static ScriptedWait savingOnFirstPause(Runnable save) {
            return new ScriptedWait(save, new MutableClock());
        }

        static ScriptedWait neverSaved(MutableClock clock) {
            return new ScriptedWait(null, clock);
        }

        PendingTransitions transitions(Duration bound) {
            return new PendingTransitions(bound, clock, this);
        }

        int pauses() {
            return pauses.get();
        }

        @Override
        public boolean sleep(Duration duration) {
            if (pauses.getAndIncrement() == 0 && save != null) {
                save.run();
            }
            clock.advance(duration);
            return true;
        }
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-12-06T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
