package io.kakehashi.transfer.grpc.edc;

import io.grpc.Status;
import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InProcessGrpc;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkPull;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.bulk.FileBulkSource;
import io.kakehashi.transfer.grpc.bulk.GatedBulkSource;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gRPC transfer under an agreement whose negotiation was terminated (issue 14, defect 3): the data plane's token
 * check asks {@link AgreementStatus} on every call and every re-check, so a new call is refused with the reason and
 * a running stream ends at its next re-check; an agreement still usable transfers as before.
 */
class TerminatedAgreementTransferTest {

    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 2L * 1024 * 1024;

    @TempDir
    Path dir;

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final Set<String> terminated = ConcurrentHashMap.newKeySet();
    private final AgreementStatus agreements = id -> terminated.contains(id)
            ? Result.failure("agreement %s can no longer be used: its contract negotiation was terminated".formatted(id))
            : Result.success();
    private final FakeAccessTokens accessTokens = new FakeAccessTokens();
    private final TransferTokens tokens = new TransferTokens(accessTokens, "provider", Duration.ofMinutes(5), Clock.systemUTC());
    private final TransferRegistry<BulkSource> sources = new TransferRegistry<>();
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withChunkSize(CHUNK)
            .withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(10)).withRetryWindow(Duration.ZERO).withTokenRecheck(Duration.ZERO);
    private InProcessGrpc grpc;

    @BeforeEach
    void start() throws IOException {
        var authorization = new TransferAuthorization(new EdcTransferTokenVerifier(accessTokens, Duration.ofMinutes(30), agreements),
                Clock.systemUTC());
        var meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
        var service = new BulkTransferService(authorization, sources, new TransferRegistry<>(), meters, config, Clock.systemUTC(), monitor);
        grpc = new InProcessGrpc(List.of(service), List.of(authorization));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        grpc.close();
    }

    @Test
    void pull_whenAgreementUsable_shouldTransferTheWholeFile() throws Exception {
        var file = TestContent.file(dir, "source-t1", SIZE, 1);
        sources.register("t1", new FileBulkSource(file, null));

        var outcome = pull("t1", "agreement-1");

        assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
        assertThat(TestContent.sha256(dir.resolve("t1.bin"))).isEqualTo(TestContent.sha256(file));
    }

    @Test
    void pull_whenAgreementsNegotiationTerminated_shouldBeRefusedWithTheReason() throws Exception {
        sources.register("t2", new FileBulkSource(TestContent.file(dir, "source-t2", SIZE, 2), null));
        terminated.add("agreement-2");

        var outcome = pull("t2", "agreement-2");

        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(outcome.status().getDescription()).contains("agreement agreement-2 can no longer be used");
        assertThat(dir.resolve("t2.bin")).doesNotExist();
    }

    @Test
    void pull_whenNegotiationTerminatedMidStream_shouldEndAtTheNextRecheck() throws Exception {
        var gated = new GatedBulkSource(new FileBulkSource(TestContent.file(dir, "source-t3", SIZE, 3), null), 4L * CHUNK);
        sources.register("t3", gated);
        var running = CompletableFuture.supplyAsync(() -> pull("t3", "agreement-3"));
        assertThat(gated.awaitReached()).isTrue();

        terminated.add("agreement-3");
        gated.open();

        var outcome = running.get(10, TimeUnit.SECONDS);
        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(outcome.status().getDescription()).contains("agreement agreement-3 can no longer be used");
        assertThat(outcome.bytes()).isLessThan(SIZE);
    }

    private TransferOutcome pull(String transferId, String agreementId) {
        var token = tokens.issue(transferId, agreementId, "consumer", DataAddress.Builder.newInstance().type("GrpcStream").build()).getContent();
        return new BulkPull(grpc.channel(), transferId, () -> token, dir.resolve(transferId + ".bin"), config, monitor).run();
    }
}
