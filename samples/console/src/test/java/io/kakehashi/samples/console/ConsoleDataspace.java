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
 * started pulling a live record stream (STARTED until someone ends it). The provider also offers two datasets with DCAT
 * metadata, one open and one to another dataspace's members only, which the consumer's crawler keeps in its federated
 * catalog, and a CSV file for compute jobs, under an agreement the consumer made at start. Not thread-safe.
 */
final class ConsoleDataspace implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(120);
    static final Duration STEP = Duration.ofSeconds(60);
    static final String ASSET = "console-machine-log";
    static final String STREAM = "console-telemetry";
    /** Found in the consumer's federated catalog, negotiated and pulled from the console. */
    static final String FOUND = "console-machine-operation";
    static final String FOUND_TITLE_JA = "工作機械稼働データ（コンソール試験）";
    /** Offered to the members of another dataspace only: a negotiation from the console is refused. */
    static final String MEMBERS_ONLY = "console-members-only";
    static final String MEMBERS_ONLY_TITLE_EN = "Members-only operation data";
    /** Computed on at the provider (a local CSV file), under an agreement the consumer made at start. */
    static final String COMPUTE = "console-health";

    private final DataspaceAuthority authority;
    final ConnectorSettings providerSettings;
    final ConnectorSettings consumerSettings;
    private FileServer backend;
    ConnectorProcess provider;
    ConnectorProcess consumer;
    String negotiationId;
    String agreementId;
    String providerAgreementId;
    String sharedAgreementId;
    String transferId;
    String streamTransferId;
    String computeAgreementId;
    Path foundSource;

    private ConsoleDataspace(Path workDir) {
        WorkDirectory.clear(workDir);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        providerSettings = new ConnectorSettings("console-provider", workDir.resolve("provider")).trustIssuer("console", authority.did()).stateMachineWait(100)
                .with("kakehashi.transfer.stream.directory", workDir.resolve("streams").toString());
        // the consumer's crawler keeps the provider's catalog in its federated catalog (a peer is named by its DID)
        consumerSettings = new ConnectorSettings("console-consumer", workDir.resolve("consumer")).trustIssuer("console", authority.did()).stateMachineWait(100)
                .with("kakehashi.catalog.crawler.peers", providerSettings.did() + "=" + providerSettings.dspAddress())
                .with("kakehashi.catalog.crawler.interval", "PT2S");
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

        // two datasets with DCAT metadata for the consumer's catalog search: one open, one for another dataspace's members
        var found = new byte[512 * 1024];
        new Random(11).nextBytes(found);
        foundSource = backendDirectory.resolve("machine-operation.csv");
        Files.write(foundSource, found);
        api.createAsset(FOUND, Map.of("name", "machine operation", KH_DCAT, dcat(FOUND, FOUND_TITLE_JA, "Machine tool operation data (console test)")),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf("machine-operation.csv")));
        api.createContractDefinition(FOUND + "-offer", "console-open", "console-open", FOUND);
        api.createAsset(MEMBERS_ONLY, Map.of("name", "members-only operation", KH_DCAT, dcat(MEMBERS_ONLY, "会員限定の稼働データ", MEMBERS_ONLY_TITLE_EN)),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf("machine-operation.csv")));
        api.createPolicy("console-other-members", ManagementClient.constraint("https://w3id.org/kakehashi/policy/membership", "eq", "other-dataspace"));
        api.createContractDefinition(MEMBERS_ONLY + "-offer", "console-open", "console-other-members", MEMBERS_ONLY);

        // machine-health records computed on where they are: a local file only the provider's compute runners read
        var health = new StringBuilder("machine,plant,temperature\n");
        for (var i = 0; i < 30; i++) {
            health.append("mc-%d,%s,%d\n".formatted(i, i % 3 == 0 ? "Nagoya" : "Osaka", 50 + i % 7));
        }
        var healthFile = Files.writeString(workDir.resolve("health.csv"), health);
        api.createAsset(COMPUTE, Map.of("name", "machine health"), Map.of("type", "File", "path", healthFile.toString(), "format", "csv"));
        api.createContractDefinition(COMPUTE + "-offer", "console-open", "console-open", COMPUTE);

        var buyer = consumer.management();
        var computeNegotiation = buyer.negotiate(providerSettings.dspAddress(), offer(buyer, COMPUTE));
        negotiationId = buyer.negotiate(providerSettings.dspAddress(), offer(buyer, ASSET));
        agreementId = buyer.awaitAgreement(negotiationId, STEP).path("contractAgreementId").asText();
        transferId = buyer.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, workDir.resolve("received.csv"));
        buyer.awaitCompleted(transferId, STEP);
        // the agreement as the provider's store holds it: its own id, and the DSP agreement id its decision log names it by
        for (var agreement : api.post("/v3/contractagreements/request", ManagementClient.body("QuerySpec"))) {
            if (ASSET.equals(agreement.path("assetId").asText())) {
                providerAgreementId = agreement.path("@id").asText();
                sharedAgreementId = agreement.path("agreementId").asText();
            }
        }
        System.out.printf("console sample: the consumer's agreement %s, the provider's %s, shared as %s%n", agreementId, providerAgreementId,
                sharedAgreementId);

        var streamAgreement = buyer.awaitAgreement(buyer.negotiate(providerSettings.dspAddress(), offer(buyer, STREAM)), STEP)
                .path("contractAgreementId").asText();
        streamTransferId = buyer.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), streamAgreement,
                workDir.resolve("telemetry-received.jsonl"));
        buyer.awaitTransferState(streamTransferId, "STARTED", STEP);
        computeAgreementId = buyer.awaitAgreement(computeNegotiation, STEP).path("contractAgreementId").asText();
    }

    static final String KH_DCAT = "https://w3id.org/kakehashi/ns#dcat";

    /** DCAT metadata of the manufacturing profile, as a JSON-LD string, with the given titles. */
    private static String dcat(String id, String titleJa, String titleEn) {
        var mapper = ManagementClient.mapper();
        var dataset = mapper.createObjectNode();
        dataset.putObject("@context").put("dcat", "http://www.w3.org/ns/dcat#").put("dct", "http://purl.org/dc/terms/")
                .put("xsd", "http://www.w3.org/2001/XMLSchema#").put("foaf", "http://xmlns.com/foaf/0.1/").put("kh", "https://w3id.org/kakehashi/ns#")
                .<ObjectNode>set("dcat:byteSize", mapper.createObjectNode().put("@type", "xsd:nonNegativeInteger"))
                .<ObjectNode>set("dcat:temporalResolution", mapper.createObjectNode().put("@type", "xsd:duration"))
                .set("dct:conformsTo", mapper.createObjectNode().put("@type", "@id"));
        dataset.put("@id", "https://console-provider.example.jp/datasets/" + id).put("@type", "dcat:Dataset");
        var title = dataset.putArray("dct:title");
        title.addObject().put("@value", titleJa).put("@language", "ja");
        title.addObject().put("@value", titleEn).put("@language", "en");
        var description = dataset.putArray("dct:description");
        description.addObject().put("@value", "マシニングセンタ3台の10秒ごとの稼働記録。").put("@language", "ja");
        description.addObject().put("@value", "10-second operation records of three machining centres.").put("@language", "en");
        dataset.putArray("dcat:keyword").add("稼働データ").add("machine operation");
        dataset.putObject("dct:publisher").put("@type", "foaf:Organization").put("foaf:name", "Console Provider K.K.");
        dataset.put("dct:conformsTo", "https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1");
        var distribution = dataset.putArray("dcat:distribution").addObject().put("@type", "dcat:Distribution");
        distribution.putObject("dcat:mediaType").put("@id", "https://www.iana.org/assignments/media-types/text/csv");
        distribution.put("dcat:byteSize", "524288");
        dataset.putArray("kh:machineType").add("machining centre");
        dataset.put("kh:machineCount", 3).put("dcat:temporalResolution", "PT10S");
        return dataset.toString();
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
