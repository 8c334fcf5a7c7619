package io.kakehashi.ai.models;

import io.kakehashi.lineage.spi.ReceivedContents;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Brings a vendor's model into the sealed store: the holder asks for it under an agreement, this connector requests
 * the model asset as a gRPC bulk pull ({@value #TRANSFER_TYPE}) whose local destination it chooses itself — the
 * model's own place in the store, never a path the operator names — and when the transfer completes the file is
 * sealed under the agreement ({@link SealedModelStore#seal}). The lineage records it there, as a {@code MODEL}, so a
 * deletion at the agreement's deadline removes the weights themselves. A transfer that ends otherwise leaves nothing.
 * Thread-safe.
 */
public final class SealedModelIntake implements TransferProcessListener {

    /** The gRPC data plane's pull ({@code GrpcStreamAddresses.PULL}); its consumer writes to the destination path. */
    public static final String TRANSFER_TYPE = "GrpcStream-PULL";
    /** The private property that marks a transfer as bringing a model into the sealed store. */
    public static final String SEALED = "https://w3id.org/kakehashi/models/sealed";
    static final String PROTOCOL = "dataspace-protocol-http:2025-1";

    /** Starts a transfer process; the consumer's {@code TransferProcessService}. */
    @FunctionalInterface
    public interface Transfers {
        ServiceResult<String> initiate(TransferRequest request);
    }

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SealedModelStore store;
    private final Transfers transfers;
    private final Clock clock;
    private final Monitor monitor;

    /** @param agreements an agreement by this connector's or the protocol's id, null when there is none */
    public SealedModelIntake(String participantId, Function<String, ContractAgreement> agreements, SealedModelStore store, Transfers transfers,
                             Clock clock, Monitor monitor) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.store = store;
        this.transfers = transfers;
        this.clock = clock;
        this.monitor = monitor;
    }

    /**
     * Requests the agreement's model from the vendor. Failures: bad request (not an agreement of this connector as
     * consumer, no vendor address), conflict (a model is sealed under it already), unexpected (EDC refused the request).
     *
     * @return the transfer process id
     */
    public ServiceResult<String> request(String agreementId, String counterPartyAddress) {
        var agreement = agreementId == null ? null : agreements.apply(agreementId);
        if (agreement == null || !participantId.equals(agreement.getConsumerId())) {
            return ServiceResult.badRequest("agreementId: '%s' is not an agreement under which this connector is the consumer".formatted(agreementId));
        }
        if (counterPartyAddress == null || !counterPartyAddress.matches("https?://[^\\s?#]+")) {
            return ServiceResult.badRequest("counterPartyAddress: the vendor's DSP address (http or https, no query)");
        }
        if (store.find(agreement.getId()).isPresent()) {
            return ServiceResult.conflict("a model was received under agreement '%s' already".formatted(agreementId));
        }
        Path destination;
        try {
            destination = store.modelFile(agreement.getId());
        } catch (IOException e) {
            return ServiceResult.unexpected("the sealed model store cannot take the model");
        }
        var request = TransferRequest.Builder.newInstance().id(UUID.randomUUID().toString()).protocol(PROTOCOL)
                .counterPartyAddress(counterPartyAddress).contractId(agreement.getId()).transferType(TRANSFER_TYPE)
                .privateProperties(Map.of(ReceivedContents.DESTINATION_PATH, destination.toString(), SEALED, "true")).build();
        return transfers.initiate(request);
    }

    @Override
    public void completed(TransferProcess process) {
        if (!ours(process)) {
            return;
        }
        var agreement = agreements.apply(process.getContractId());
        var file = destination(process);
        if (agreement == null || file == null || !Files.isRegularFile(file)) {
            monitor.warning("Model of transfer %s not sealed: %s".formatted(process.getId(), agreement == null ? "its agreement is gone" : "nothing arrived"));
            return;
        }
        var sealed = store.seal(agreement, process.getCounterPartyAddress(), file, clock.instant());
        if (sealed.failed()) {
            monitor.warning("Model of transfer %s not sealed: %s".formatted(process.getId(), sealed.getFailureDetail()));
        } else {
            monitor.info("Model of agreement %s sealed (SHA-256 %s)".formatted(agreement.getId(), sealed.getContent().sha256()));
        }
    }

    @Override
    public void terminated(TransferProcess process) {
        // the data plane removes its partial file; a model not sealed is not kept either
        var file = ours(process) ? destination(process) : null;
        if (file != null && store.find(process.getContractId()).isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                monitor.warning("The model of transfer %s could not be removed".formatted(process.getId()));
            }
        }
    }

    /** Where the process writes the model: its private destination, which this connector set inside the store. */
    Path destination(TransferProcess process) {
        var path = process.getPrivateProperties().get(ReceivedContents.DESTINATION_PATH);
        var file = path instanceof String text ? Path.of(text) : null;
        return file != null && store.holds(file) ? file : null;
    }

    /** Whether the process brings a model into the sealed store. */
    public boolean receives(TransferProcess process) {
        return ours(process);
    }

    private static boolean ours(TransferProcess process) {
        return process.getType() == TransferProcess.Type.CONSUMER && TRANSFER_TYPE.equals(process.getTransferType())
                && process.getPrivateProperties() != null && "true".equals(process.getPrivateProperties().get(SEALED));
    }
}
