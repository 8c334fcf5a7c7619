package io.kakehashi.core.security;

import io.kakehashi.core.protocol.OrderedContractNegotiationProtocolService;
import io.kakehashi.core.protocol.OrderedTransferProcessProtocolService;
import io.kakehashi.core.protocol.PendingTransitions;
import io.kakehashi.core.protocol.RepeatedMessages;
import io.kakehashi.core.protocol.RetriedTokenRelease;
import io.kakehashi.core.protocol.SameAgreement;
import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Wraps EDC's DSP protocol services for transfers and negotiations, twice: inside, so that a counterparty's
 * termination reason reaches the process's error detail ({@link ReasonKeepingTransferProcessProtocolService},
 * {@link ReasonKeepingContractNegotiationProtocolService}, decision 0021); outside, so that a peer's message that
 * arrives before this connector saved its own preceding transition, or that repeats a step already taken, never ends
 * the process ({@link OrderedTransferProcessProtocolService}, {@link OrderedContractNegotiationProtocolService},
 * decision 0024). EDC provides both services with a non-default provider in {@code ControlPlaneServicesExtension};
 * declaring them as provided here orders this extension after it and before the DSP API extensions that inject them,
 * which then receive the wrappers. One extension wraps both ways: a second one wrapping the same services would form a
 * dependency cycle with this one.
 */
@Extension(TerminationReasonsExtension.NAME)
@Provides({ TransferProcessProtocolService.class, ContractNegotiationProtocolService.class })
public class TerminationReasonsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi counterparty termination reasons and message order";
    public static final String PENDING_TRANSITION_WAIT_KEY = "kakehashi.protocol.pending-transition-wait";

    @Setting(key = PENDING_TRANSITION_WAIT_KEY, defaultValue = "PT5S",
            description = "How long a peer's DSP message that arrived before this connector saved its own preceding transition waits for that "
                    + "save before the peer is answered 503 to retry (ISO-8601 duration, 0 s to 30 s; 0 answers 503 at once)")
    private String pendingTransitionWait;

    @Inject
    private TerminationReasons reasons;
    @Inject(required = false)
    private TransferProcessProtocolService transfers;
    @Inject(required = false)
    private ContractNegotiationProtocolService negotiations;
    @Inject(required = false)
    private TransferProcessStore transferStore;
    @Inject(required = false)
    private ContractNegotiationStore negotiationStore;
    @Inject
    private TypeManager typeManager;
    @Inject(required = false)
    private JtiValidationStore seenTokens;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var pending = new PendingTransitions(parseWait(pendingTransitionWait));
        var monitor = context.getMonitor().withPrefix("DSP order");
        if (transfers != null && !(transfers instanceof OrderedTransferProcessProtocolService)
                && !(transfers instanceof ReasonKeepingTransferProcessProtocolService)) {
            TransferProcessProtocolService wrapped = new ReasonKeepingTransferProcessProtocolService(transfers, reasons);
            if (transferStore != null) {
                wrapped = new OrderedTransferProcessProtocolService(wrapped, transferStore, pending, monitor, releaseForRetry(), repeats(pending));
            }
            context.registerService(TransferProcessProtocolService.class, wrapped);
        }
        if (negotiations != null && !(negotiations instanceof OrderedContractNegotiationProtocolService)
                && !(negotiations instanceof ReasonKeepingContractNegotiationProtocolService)) {
            ContractNegotiationProtocolService wrapped = new ReasonKeepingContractNegotiationProtocolService(negotiations, reasons);
            if (negotiationStore != null) {
                wrapped = new OrderedContractNegotiationProtocolService(wrapped, negotiationStore, pending, new SameAgreement(typeManager.getMapper()), monitor,
                        releaseForRetry(), repeats(pending));
            }
            context.registerService(ContractNegotiationProtocolService.class, wrapped);
        }
    }

    /** A message answered 503 after its sender was checked leaves its token usable for the peer's retry. */
    private Consumer<TokenRepresentation> releaseForRetry() {
        return seenTokens == null ? token -> { } : new RetriedTokenRelease(seenTokens, typeManager.getMapper());
    }

    /** A message sent again with its first token is verified again, not refused as a replay. */
    private RepeatedMessages repeats(PendingTransitions pending) {
        return seenTokens == null ? RepeatedMessages.NONE : new RepeatedMessages(seenTokens, typeManager.getMapper(), pending);
    }

    static Duration parseWait(String value) {
        return SettingValues.require(SettingValues.duration(PENDING_TRANSITION_WAIT_KEY, value, Duration.ZERO, Duration.ofSeconds(30)));
    }
}
