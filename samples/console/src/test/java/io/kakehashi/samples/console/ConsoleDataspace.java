package io.kakehashi.samples.console;

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
 * from a dataspace authority, after the consumer negotiated one offer and pulled its file over gRPC. Not thread-safe.
 */
final class ConsoleDataspace implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);
    static final Duration STEP = Duration.ofSeconds(60);
    static final String ASSET = "console-machine-log";

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

    private ConsoleDataspace(Path workDir) {
        WorkDirectory.clear(workDir);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        providerSettings = new ConnectorSettings("console-provider", workDir.resolve("provider")).trustIssuer("console", authority.did());
        consumerSettings = new ConnectorSettings("console-consumer", workDir.resolve("consumer")).trustIssuer("console", authority.did());
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
        for (var settings : new ConnectorSettings[]{ providerSettings, consumerSettings }) {
            authority.issueMembership(settings, "console-dataspace");
            authority.issueLegalEntity(settings, settings.name() + " K.K.", "JP", "JCN:1180301018771");
        }
        var providerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(providerSettings, START));
        var consumerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(consumerSettings, START));
        provider = providerStart.join();
        consumer = consumerStart.join();

        var backendDirectory = Files.createDirectories(workDir.resolve("backend"));
        var data = backendDirectory.resolve("machine-log.csv");
        backend = FileServer.serve(backendDirectory);
        var bytes = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(data, bytes);
        var api = provider.management();
        api.createAsset(ASSET, Map.of("name", "machine log"), Map.of("type", "HttpData", "baseUrl", backend.urlOf("machine-log.csv")));
        api.createOpenPolicy("console-open");
        api.createContractDefinition(ASSET + "-offer", "console-open", "console-open", ASSET);

        var buyer = consumer.management();
        var body = ManagementClient.body("CatalogRequest")
                .put("counterPartyAddress", providerSettings.dspAddress())
                .put("counterPartyId", providerSettings.participantId())
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        body.putObject("querySpec").putArray("filterExpression").addObject()
                .put("operandLeft", ManagementClient.EDC_NAMESPACE + "id").put("operator", "=").put("operandRight", ASSET);
        var catalog = buyer.post("/v3/catalog/request", body);
        var dataset = ManagementClient.datasets(catalog).get(0);
        negotiationId = buyer.negotiate(providerSettings.dspAddress(), ManagementClient.contractOffer(catalog, dataset));
        agreementId = buyer.awaitAgreement(negotiationId, STEP).path("contractAgreementId").asText();
        transferId = buyer.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, workDir.resolve("received.csv"));
        buyer.awaitCompleted(transferId, STEP);
        // the agreement as the provider's store holds it (the one its decision log names)
        var providerNegotiations = api.post("/v3/contractnegotiations/request", ManagementClient.body("QuerySpec"));
        providerAgreementId = providerNegotiations.get(0).path("contractAgreementId").asText();
        System.out.printf("console sample: consumer negotiation %s agreement %s; provider negotiation %s agreement %s%n",
                negotiationId, agreementId, providerNegotiations.get(0).path("@id").asText(), providerAgreementId);
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
