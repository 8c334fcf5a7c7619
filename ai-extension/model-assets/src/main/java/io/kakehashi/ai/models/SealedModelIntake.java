package io.kakehashi.ai.models;

import io.kakehashi.ai.spi.Sha256;
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
 * the model asset as a gRPC bulk pull ({@value #TRANSFER_TYPE}) whose local destination it chooses itself — a file
 * under the store's {@code intake} directory, never a path the operator names — and when the transfer completes the
 * file is sealed under the agreement ({@link SealedModelStore#seal}). A transfer that ends otherwise leaves nothing.
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
        var id = UUID.randomUUID().toString();
        var request = TransferRequest.Builder.newInstance().id(id).protocol(PROTOCOL).counterPartyAddress(counterPartyAddress)
                .contractId(agreement.getId()).transferType(TRANSFER_TYPE)
                .privateProperties(Map.of(ReceivedContents.DESTINATION_PATH, intakeFile(id).toString(), SEALED, "true")).build();
        return transfers.initiate(request);
    }

    @Override
    public void completed(TransferProcess process) {
        if (!ours(process)) {
            return;
        }
        var agreement = agreements.apply(process.getContractId());
        var file = intakeFile(process.getId());
        if (agreement == null || !Files.isRegularFile(file)) {
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
        if (ours(process)) {
            try {
                Files.deleteIfExists(intakeFile(process.getId()));
            } catch (IOException e) {
                monitor.warning("The partial model of transfer %s could not be removed".formatted(process.getId()));
            }
        }
    }

    Path intakeFile(String transferId) {
        // a digest of the id: the process id never becomes a path of its own
        return store.directory().resolve("intake").resolve(Sha256.hex(transferId) + ".onnx");
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
