package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.lineage.InMemoryLineageStore;
import io.kakehashi.lineage.LineageRecorder;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.spi.ReceivedContents;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a remote compute job sent back goes into the consumer's lineage, with its digest. */
class ReceivedComputeResultsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dir;

    private final InMemoryRemoteJobStore jobStore = new InMemoryRemoteJobStore();
    private final InMemoryLineageStore lineage = new InMemoryLineageStore();

    private final ContractNegotiationStore negotiations = (ContractNegotiationStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{ContractNegotiationStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("findContractAgreement")) {
                    return ContractAgreement.Builder.newInstance().id((String) args[0]).providerId("did:web:maker").consumerId("did:web:vendor")
                            .assetId("machines").policy(Policy.Builder.newInstance().build()).build();
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private LineageRecorder recorder(RemoteComputeJobs jobs) {
        var contents = new ReceivedContents();
        contents.register(new ReceivedComputeResults(jobs));
        return new LineageRecorder(lineage, contents, negotiations, new NoopTransactionContext(), Clock.fixed(T0, ZoneOffset.UTC), new ConsoleMonitor());
    }

    private RemoteComputeJobs jobs() {
        return new RemoteComputeJobs(jobStore, id -> null, id -> Result.success(), () -> null, () -> null, () -> null, "did:web:vendor", dir,
                Clock.fixed(T0, ZoneOffset.UTC), new ConsoleMonitor());
    }

    private void sent(String id, JobType type, Map<String, String> parameters) {
        jobStore.create(RemoteJob.queued(id, "agreement-1", "machines", "did:web:maker", "http://127.0.0.1:9/protocol",
                JobDescription.of(type, parameters), T0));
    }

    private static TransferProcess completedProcess(String id, String transferType) {
        return TransferProcess.Builder.newInstance().id(id).type(TransferProcess.Type.CONSUMER).contractId("agreement-1").assetId("machines")
                .transferType(transferType).build();
    }

    @Test
    void record_whenASqlJobsResultArrived_shouldKeepAComputeResultWithTheDocumentsDigest() throws Exception {
        sent("sql-job", JobType.SQL, Map.of("query", "SELECT count(*) FROM asset"));
        var table = new JobOutput.Table(List.of("n"), List.of(List.of(30L)));
        var document = ResultDocument.completed("provider-job", table.hash(), table);
        Files.write(dir.resolve("sql-job.json"), document);

        var record = recorder(jobs()).record(completedProcess("sql-job", ComputeTransferAddresses.PUSH));

        assertThat(record.kind()).isEqualTo(LineageKind.COMPUTE_RESULT);
        assertThat(record.sha256()).isEqualTo(sha256(document));
        assertThat(record.destination()).isEqualTo(dir.resolve("sql-job.json").toAbsolutePath().normalize().toString());
        assertThat(record.agreementId()).isEqualTo("agreement-1");
        assertThat(record.providerId()).isEqualTo("did:web:maker");
        assertThat(record.assetId()).isEqualTo("machines");
        assertThat(lineage.findByAgreement("agreement-1")).containsExactly(record);
    }

    @Test
    void record_whenAFederatedRoundsWeightsArrived_shouldKeepAModel() throws Exception {
        sent("round-1", JobType.FL_ROUND, Map.of());
        var update = new JobOutput.ModelUpdate(new double[]{0.25, -1.5, 3.0}, 120);
        var document = ResultDocument.completed("provider-job", "weights-hash", update);
        Files.write(dir.resolve("round-1.json"), document);

        var record = recorder(jobs()).record(completedProcess("round-1", ComputeTransferAddresses.PUSH));

        assertThat(record.kind()).isEqualTo(LineageKind.MODEL);
        assertThat(record.sha256()).isEqualTo(sha256(document));
    }

    @Test
    void locate_whenTheProcessIsNotAComputeJob_shouldLeaveItToTheDefault() {
        sent("job", JobType.SQL, Map.of("query", "SELECT 1"));
        var locator = new ReceivedComputeResults(jobs());

        assertThat(locator.locate(completedProcess("job", "HttpData-PUSH"))).isEmpty();
        assertThat(locator.locate(completedProcess("unknown-job", ComputeTransferAddresses.PUSH))).isEmpty();
        assertThat(ReceivedComputeResults.kindOf(JobType.TRAINING)).isEqualTo(LineageKind.MODEL);
        assertThat(ReceivedComputeResults.kindOf(JobType.EVALUATION)).isEqualTo(LineageKind.COMPUTE_RESULT);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
