package io.kakehashi.lineage;

import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.spi.ReceivedContents;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Records the lineage of everything this connector receives as a consumer: when one of its transfer processes
 * completes, the agreement, the provider, the asset, where the content was written and its SHA-256. A process whose
 * content is not at hand (an HTTP push to an endpoint outside the connector) is recorded without a digest. A failure
 * to record is logged, never thrown into EDC's state machine. Thread-safe.
 */
public final class LineageRecorder implements TransferProcessListener {

    private final LineageStore store;
    private final ReceivedContents contents;
    private final ContractNegotiationStore negotiations;
    private final TransactionContext transactions;
    private final Clock clock;
    private final Monitor monitor;

    public LineageRecorder(LineageStore store, ReceivedContents contents, ContractNegotiationStore negotiations, TransactionContext transactions,
                           Clock clock, Monitor monitor) {
        this.store = store;
        this.contents = contents;
        this.negotiations = negotiations;
        this.transactions = transactions;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public void completed(TransferProcess process) {
        if (process.getType() != TransferProcess.Type.CONSUMER) {
            return;
        }
        try {
            record(process);
        } catch (RuntimeException e) {
            monitor.warning("Lineage of transfer %s not recorded: %s".formatted(process.getId(), e.getMessage()));
        }
    }

    /** Records the process's lineage; answers the record (the one kept before, if any). */
    public LineageRecord record(TransferProcess process) {
        var known = store.findById(process.getId());
        if (known.isPresent()) {
            return known.get();
        }
        var agreement = transactions.execute(() -> negotiations.findContractAgreement(process.getContractId()));
        var received = contents.locate(process);
        var kind = received.map(ReceivedContents.Received::kind).orElse(LineageKind.FILE);
        var destination = received.map(r -> r.file().toString()).orElseGet(() -> describe(process));
        var sha256 = received.map(ReceivedContents.Received::file).filter(Files::isRegularFile).map(LineageRecorder::sha256).orElse(null);
        var record = new LineageRecord(process.getId(), kind, process.getContractId(), agreement == null ? null : agreement.getProviderId(),
                process.getAssetId(), destination, sha256, clock.instant());
        store.save(record);
        monitor.debug(() -> "Lineage: %s %s from agreement %s".formatted(record.kind(), record.destination(), record.agreementId()));
        return store.findById(record.id()).orElse(record);
    }

    private static String describe(TransferProcess process) {
        var destination = process.getDataDestination();
        return destination == null ? null : destination.getType();
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
