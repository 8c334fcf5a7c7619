package io.kakehashi.samples.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * What the console tests look at: a provider and a consumer, each the launcher jar in its own JVM with DCP identity
 * from a dataspace authority, after the consumer negotiated two offers, pulled a 2 MiB file over gRPC (COMPLETED) and
 * started pulling a live record stream (STARTED until someone ends it). Not thread-safe.
 */
final class ConsoleDataspace implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);
    static final Duration STEP = Duration.ofSeconds(60);
    static final String ASSET = "console-machine-log";
    static final String STREAM = "console-telemetry";

    private final DataspaceAuthority authority;
    final ConnectorSettings providerSettings;
    final ConnectorSettings consumerSettings;
    private FileServer backend;
    ConnectorProcess provider;
    ConnectorProcess consumer;
    String negotiationId;
    String agreementId;
    String providerAgreementId;
    String transferId;
    String streamTransferId;

    private ConsoleDataspace(Path workDir) {
        WorkDirectory.clear(workDir);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        providerSettings = new ConnectorSettings("console-provider", workDir.resolve("provider")).trustIssuer("console", authority.did()).stateMachineWait(100)
                .with("kakehashi.transfer.stream.directory", workDir.resolve("streams").toString());
        consumerSettings = new ConnectorSettings("console-consumer", workDir.resolve("consumer")).trustIssuer("console", authority.did()).stateMachineWait(100);
    }

    static ConsoleDataspace start(Path workDir) {
        var dataspace = new ConsoleDataspace(workDir.toAbsolutePath());
        try {
            dataspace.run(workDir.toAbsolutePath());
            return dataspace;
        } catch (RuntimeException | IOException e) {
            dataspace.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void run(Path workDir) throws IOException {
        var streams = Files.createDirectories(workDir.resolve("streams"));
        for (var settings : new ConnectorSettings[]{ providerSettings, consumerSettings }) {
            authority.issueMembership(settings, "console-dataspace");
            authority.issueLegalEntity(settings, settings.name() + " K.K.", "JP", "JCN:1180301018771");
        }
        var providerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(providerSettings, START));
        var consumerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(consumerSettings, START));
        provider = providerStart.join();
        consumer = consumerStart.join();

        var backendDirectory = Files.createDirectories(workDir.resolve("backend"));
        backend = FileServer.serve(backendDirectory);
        var bytes = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(backendDirectory.resolve("machine-log.csv"), bytes);
        var api = provider.management();
        api.createAsset(ASSET, Map.of("name", "machine log"), Map.of("type", "HttpData", "baseUrl", backend.urlOf("machine-log.csv")));
        api.createOpenPolicy("console-open");
        api.createContractDefinition(ASSET + "-offer", "console-open", "console-open", ASSET);

        // a live record stream: the provider tails a JSON Lines file, the consumer's pull stays STARTED until ended
        var records = new StringBuilder();
        for (var seq = 0; seq < 100; seq++) {
            records.append("{\"seq\":%d,\"machine\":\"mc-1\",\"spindle_load_pct\":42.0}\n".formatted(seq));
        }
        Files.writeString(streams.resolve("telemetry.jsonl"), records);
        api.createAsset(STREAM, Map.of("name", "machine telemetry (live)"),
                Map.of("type", "KakehashiRecordStream", "https://w3id.org/kakehashi/transfer/recordFile", "telemetry.jsonl"));
        api.createContractDefinition(STREAM + "-offer", "console-open", "console-open", STREAM);

        var buyer = consumer.management();
        negotiationId = buyer.negotiate(providerSettings.dspAddress(), offer(buyer, ASSET));
        agreementId = buyer.awaitAgreement(negotiationId, STEP).path("contractAgreementId").asText();
        transferId = buyer.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, workDir.resolve("received.csv"));
        buyer.awaitCompleted(transferId, STEP);
        // the agreement as the provider's store holds it (the one its decision log names)
        for (var agreement : api.post("/v3/contractagreements/request", ManagementClient.body("QuerySpec"))) {
            if (ASSET.equals(agreement.path("assetId").asText())) {
                providerAgreementId = agreement.path("@id").asText();
            }
        }
        System.out.printf("console sample: the consumer's agreement %s, the provider's %s%n", agreementId, providerAgreementId);

        var streamAgreement = buyer.awaitAgreement(buyer.negotiate(providerSettings.dspAddress(), offer(buyer, STREAM)), STEP)
                .path("contractAgreementId").asText();
        streamTransferId = buyer.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), streamAgreement,
                workDir.resolve("telemetry-received.jsonl"));
        buyer.awaitTransferState(streamTransferId, "STARTED", STEP);
    }

    /** The provider's offer for one asset, from its catalog filtered to it. */
    private ObjectNode offer(ManagementClient buyer, String assetId) {
        var body = ManagementClient.body("CatalogRequest")
                .put("counterPartyAddress", providerSettings.dspAddress())
                .put("counterPartyId", providerSettings.participantId())
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        body.putObject("querySpec").putArray("filterExpression").addObject()
                .put("operandLeft", ManagementClient.EDC_NAMESPACE + "id").put("operator", "=").put("operandRight", assetId);
        var catalog = buyer.post("/v3/catalog/request", body);
        return ManagementClient.contractOffer(catalog, ManagementClient.datasets(catalog).get(0));
    }

    @Override
    public void close() {
        for (var process : new ConnectorProcess[]{ consumer, provider }) {
            if (process != null) {
                process.close();
            }
        }
        if (backend != null) {
            backend.close();
        }
        authority.close();
    }
}
