package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.observe.ContractNegotiationObservableImpl;
import org.eclipse.edc.connector.controlplane.contract.spi.ContractOfferId;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatableConsumerOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatedConsumerOffer;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.contractnegotiation.ContractNegotiationProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.telemetry.Telemetry;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static io.kakehashi.core.protocol.MessageOrderFixtures.ASSET;
import static io.kakehashi.core.protocol.MessageOrderFixtures.CONTEXT_ID;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PROTOCOL;
import static io.kakehashi.core.protocol.MessageOrderFixtures.STRANGER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An initial contract request sent again for the same consumer process — after a lost answer, or by the consumer's
 * state machine retrying — is answered with the negotiation the first one created, not with a second negotiation
 * (EDC 0.15.1 creates one for every initial request).
 */
@ComponentTest
class RepeatedContractRequestTest {

    private final InMemoryContractNegotiationStore store = new InMemoryContractNegotiationStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final ContractValidationService validation = new OffersValid(MessageOrderFixtures.validation());
    private final ContractNegotiationProtocolService edc = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(),
            validation, offerId -> ServiceResult.success(validatable(offerId)), MessageOrderFixtures.tokens(),
            new ContractNegotiationObservableImpl(), new Monitor() { }, new Telemetry());
    private final ContractNegotiationProtocolService ordered = new OrderedContractNegotiationProtocolService(edc, store,
            new PendingTransitions(Duration.ofSeconds(1)), new SameAgreement(new com.fasterxml.jackson.databind.ObjectMapper()), new Monitor() { });

    private static ValidatableConsumerOffer validatable(String offerId) {
        var definition = ContractDefinition.Builder.newInstance().id("definition").accessPolicyId("access").contractPolicyId("contract")
                .participantContextId(CONTEXT_ID).build();
        return ValidatableConsumerOffer.Builder.newInstance()
                .offerId(ContractOfferId.parseId(offerId).getContent())
                .contractDefinition(definition)
                .accessPolicy(Policy.Builder.newInstance().build())
                .contractPolicy(MessageOrderFixtures.policy("use"))
                .build();
    }

    private static ContractRequestMessage request(String consumerPid, String assetId) {
        var offer = ContractOffer.Builder.newInstance().id(ContractOfferId.create("definition", assetId).toString()).assetId(assetId)
                .policy(MessageOrderFixtures.policy("use")).build();
        return ContractRequestMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .consumerPid(consumerPid).protocol(PROTOCOL).callbackAddress("http://peer.example/protocol")
                .contractOffer(offer).build();
    }

    private long negotiationsFor(String consumerPid) {
        return store.queryNegotiations(QuerySpec.max()).filter(n -> consumerPid.equals(n.getCorrelationId())).count();
    }

    @Test
    void requestSentAgain_isAnsweredWithTheFirstNegotiation() {
        var consumerPid = UUID.randomUUID().toString();

        var first = ordered.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);
        var again = ordered.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);

        assertThat(first.succeeded()).as("%s", first.getFailureMessages()).isTrue();
        assertThat(again.succeeded()).as("%s", again.getFailureMessages()).isTrue();
        assertThat(again.getContent().getId()).isEqualTo(first.getContent().getId());
        assertThat(negotiationsFor(consumerPid)).isOne();
    }

    @Test
    void requestSentAgain_withoutTheWrapper_makesASecondNegotiation() {
        var consumerPid = UUID.randomUUID().toString();

        edc.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);
        edc.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);

        assertThat(negotiationsFor(consumerPid)).isEqualTo(2);
    }

    @Test
    void requestSentAgainBySomeoneElse_isRefused() {
        var consumerPid = UUID.randomUUID().toString();
        ordered.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);

        var stranger = ordered.notifyRequested(context(), request(consumerPid, ASSET), STRANGER_TOKEN);

        assertThat(stranger.reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
        assertThat(negotiationsFor(consumerPid)).isOne();
    }

    @Test
    void requestForAnotherAsset_underTheSameConsumerProcess_isANewNegotiation() {
        var consumerPid = UUID.randomUUID().toString();

        ordered.notifyRequested(context(), request(consumerPid, ASSET), PEER_TOKEN);
        var other = ordered.notifyRequested(context(), request(consumerPid, "another-asset"), PEER_TOKEN);

        assertThat(other.succeeded()).as("%s", other.getFailureMessages()).isTrue();
        assertThat(negotiationsFor(consumerPid)).isEqualTo(2);
    }

    /** The fixtures' checks, with every initial offer valid for its sender. */
    private record OffersValid(ContractValidationService checks) implements ContractValidationService {

        @Override
        public Result<ValidatedConsumerOffer> validateInitialOffer(ParticipantAgent agent, ValidatableConsumerOffer offer) {
            var contractOffer = ContractOffer.Builder.newInstance().id(offer.getOfferId().toString()).assetId(offer.getOfferId().assetIdPart())
                    .policy(offer.getContractPolicy()).build();
            return Result.success(new ValidatedConsumerOffer(agent.getIdentity(), contractOffer));
        }

        @Override
        public Result<ContractAgreement> validateAgreement(ParticipantAgent agent, ContractAgreement agreement) {
            return checks.validateAgreement(agent, agreement);
        }

        @Override
        public Result<Void> validateRequest(ParticipantAgent agent, ContractAgreement agreement) {
            return checks.validateRequest(agent, agreement);
        }

        @Override
        public Result<Void> validateRequest(ParticipantAgent agent, ContractNegotiation negotiation) {
            return checks.validateRequest(agent, negotiation);
        }

        @Override
        public Result<Void> validateConfirmed(ParticipantAgent agent, ContractAgreement agreement, ContractOffer offer) {
            return checks.validateConfirmed(agent, agreement, offer);
        }
    }
}
