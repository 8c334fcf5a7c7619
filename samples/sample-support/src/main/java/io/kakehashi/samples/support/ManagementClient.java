package io.kakehashi.samples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A client of one connector's management API (v3, JSON-LD with the EDC vocabulary), covering what a data holder and
 * an AI vendor do in the samples: publish an asset with its policy and contract definition, request a catalog,
 * negotiate, and transfer.
 * <p>
 * Thread-safe.
 */
public final class ManagementClient {

    public static final String EDC_NAMESPACE = "https://w3id.org/edc/v0.0.1/ns/";
    public static final String ODRL_NAMESPACE = "http://www.w3.org/ns/odrl/2/";
    /** EDC's JSON-LD context for the management API; EDC resolves it from its own cache. */
    public static final String MANAGEMENT_CONTEXT = "https://w3id.org/edc/connector/management/v0.0.1";
    /** ODRL's JSON-LD context; EDC resolves it from its own cache. */
    public static final String ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld";
    // a client's own mapper, not the connector's (no runtime here, so no TypeManager) and not core-spi's JsonCodec:
    // mapper() hands it to the samples and their tests, which build and read bodies with it as they need
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;

    public ManagementClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, null);
    }

    /** A client of an HTTPS management API whose certificate {@code tls} trusts; null for the JVM's default trust. */
    public ManagementClient(String baseUrl, String apiKey, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.http = tls == null ? HTTP : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    /** A JSON-LD request body with the EDC vocabulary and the ODRL prefix. */
    /**
     * A body of Kakehashi's compute API in its JSON-LD form: the compute context (Kakehashi's namespace as
     * {@code @vocab}, free-keyed {@code parameters} a JSON literal, ordered lists) and the {@code @type}.
     */
    public static ObjectNode computeBody(String type) {
        var node = MAPPER.createObjectNode();
        var context = node.putObject("@context").put("@vocab", "https://w3id.org/kakehashi/ns#");
        context.putObject("parameters").put("@type", "@json");
        context.putObject("participants").put("@container", "@list");
        context.putObject("initialWeights").put("@container", "@list");
        node.put("@type", type);
        return node;
    }

    public static ObjectNode body(String type) {
        var node = MAPPER.createObjectNode();
        node.putObject("@context").put("@vocab", EDC_NAMESPACE).put("odrl", ODRL_NAMESPACE);
        if (type != null) {
            node.put("@type", type);
        }
        return node;
    }

    /** The mapper this client builds and reads bodies with, for the samples' own bodies; plain Jackson defaults. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Registers an asset whose data comes from {@code dataAddress}.
     */
    public String createAsset(String id, Map<String, String> properties, Map<String, String> dataAddress) {
        var body = body("Asset").put("@id", id);
        var props = body.putObject("properties");
        properties.forEach(props::put);
        var address = body.putObject("dataAddress").put("@type", "DataAddress");
        dataAddress.forEach(address::put);
        return post("/v3/assets", body).path("@id").asText();
    }

    /**
     * Registers a policy that permits use with no constraint.
     */
    public String createOpenPolicy(String id) {
        return createPolicy(id, usePermission());
    }

    /**
     * Registers a policy that permits use under the given constraints, all of which must hold. Each constraint is
     * written in ODRL's terms, e.g. {@code {"leftOperand": "dateTime", "operator": "lteq", "rightOperand": "2027-03-31"}}.
     */
    public String createPolicy(String id, ObjectNode... constraints) {
        var permission = usePermission();
        var array = permission.putArray("constraint");
        for (var constraint : constraints) {
            array.add(constraint);
        }
        return createPolicy(id, permission);
    }

    /**
     * Creates a policy that permits use and obliges the consumer to delete the data within {@code window} (an ISO 8601
     * duration) after the agreement is signed.
     */
    public String createPolicyWithDeletionDuty(String id, String window) {
        var permission = usePermission();
        var duty = permission.putArray("duty").addObject().put("action", "delete");
        duty.putArray("constraint").add(constraint("elapsedTime", "lteq", window));
        return createPolicy(id, permission);
    }

    /** An ODRL constraint whose right operand is a list, e.g. for {@code isAnyOf}. */
    public static ObjectNode constraint(String leftOperand, String operator, java.util.List<String> rightOperand) {
        var node = MAPPER.createObjectNode().put("leftOperand", leftOperand).put("operator", operator);
        rightOperand.forEach(node.putArray("rightOperand")::add);
        return node;
    }

    /** An ODRL constraint in ODRL's own terms. */
    public static ObjectNode constraint(String leftOperand, String operator, String rightOperand) {
        return MAPPER.createObjectNode().put("leftOperand", leftOperand).put("operator", operator).put("rightOperand", rightOperand);
    }

    private String createPolicy(String id, ObjectNode permission) {
        var body = body("PolicyDefinition").put("@id", id);
        var policy = body.putObject("policy");
        // ODRL's context makes "use", "dateTime", "lteq" ODRL terms rather than plain strings
        policy.put("@context", ODRL_CONTEXT);
        policy.put("@type", "Set");
        policy.putArray("permission").add(permission);
        return post("/v3/policydefinitions", body).path("@id").asText();
    }

    private static ObjectNode usePermission() {
        return MAPPER.createObjectNode().put("action", "use");
    }

    /**
     * Offers the asset {@code assetId} under the given access and contract policies.
     */
    public String createContractDefinition(String id, String accessPolicyId, String contractPolicyId, String assetId) {
        var body = body("ContractDefinition").put("@id", id)
                .put("accessPolicyId", accessPolicyId)
                .put("contractPolicyId", contractPolicyId);
        body.putArray("assetsSelector").addObject()
                .put("@type", "Criterion")
                .put("operandLeft", EDC_NAMESPACE + "id")
                .put("operator", "=")
                .put("operandRight", assetId);
        return post("/v3/contractdefinitions", body).path("@id").asText();
    }

    /**
     * Asks the connector for the catalog of the peer at {@code counterPartyAddress} over DSP 2025-1.
     */
    public JsonNode requestCatalog(String counterPartyAddress, String counterPartyId) {
        var body = body("CatalogRequest")
                .put("counterPartyAddress", counterPartyAddress)
                .put("counterPartyId", counterPartyId)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        return post("/v3/catalog/request", body);
    }

    /**
     * The datasets of a catalog response, always as an array. DSP 2025-1 catalogs use the un-prefixed terms of the
     * DSP context; older protocol versions use {@code dcat:} prefixes.
     */
    public static ArrayNode datasets(JsonNode catalog) {
        var datasets = catalog.has("dataset") ? catalog.path("dataset") : catalog.path("dcat:dataset");
        if (datasets.isArray()) {
            return (ArrayNode) datasets;
        }
        var array = MAPPER.createArrayNode();
        if (!datasets.isMissingNode()) {
            array.add(datasets);
        }
        return array;
    }

    /**
     * The first offer of a dataset.
     */
    public static JsonNode firstOffer(JsonNode dataset) {
        var offers = dataset.has("hasPolicy") ? dataset.path("hasPolicy") : dataset.path("odrl:hasPolicy");
        return offers.isArray() ? offers.get(0) : offers;
    }

    /**
     * The policy to request when negotiating the first offer of {@code dataset} from {@code catalog}: the offer as
     * the provider wrote it, with the provider as assigner and the dataset as target. DSP 2025-1 writes offers in
     * ODRL's own terms, so the offer is read with the ODRL context that {@link #negotiate} puts around it.
     */
    public static ObjectNode contractOffer(JsonNode catalog, JsonNode dataset) {
        var policy = ((ObjectNode) firstOffer(dataset).deepCopy());
        policy.put("@type", "Offer");
        var provider = catalog.has("participantId") ? catalog.path("participantId") : catalog.path("dspace:participantId");
        policy.put("assigner", provider.asText());
        policy.put("target", dataset.path("@id").asText());
        return policy;
    }

    /**
     * The offer of {@code assetId} in the catalog of the peer at {@code counterPartyAddress}, as this connector sees
     * it (see {@link #contractOffer}); fails when the catalog does not list the asset.
     */
    public ObjectNode offerOf(String counterPartyAddress, String counterPartyId, String assetId) {
        var catalog = requestCatalog(counterPartyAddress, counterPartyId);
        for (var dataset : datasets(catalog)) {
            if (assetId.equals(dataset.path("@id").asText())) {
                return contractOffer(catalog, dataset);
            }
        }
        throw new IllegalStateException(counterPartyId + "'s catalog does not list " + assetId + ": " + catalog);
    }

    /** Negotiates the offer of {@code assetId} in the peer's catalog until agreed; returns the agreement id. */
    public String agree(String counterPartyAddress, String counterPartyId, String assetId, Duration timeout) {
        var negotiation = awaitAgreement(negotiate(counterPartyAddress, offerOf(counterPartyAddress, counterPartyId, assetId)), timeout);
        return negotiation.path("contractAgreementId").asText();
    }

    /**
     * Starts a negotiation for {@code offer} (see {@link #contractOffer}) with the connector at
     * {@code counterPartyAddress}; returns the negotiation id. The request uses EDC's management JSON-LD context, in
     * which a contract request's policy is read with ODRL's context.
     */
    public String negotiate(String counterPartyAddress, ObjectNode offer) {
        var body = MAPPER.createObjectNode();
        body.putArray("@context").add(MANAGEMENT_CONTEXT);
        body.put("@type", "ContractRequest")
                .put("counterPartyAddress", counterPartyAddress)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        body.set("policy", offer);
        return post("/v3/contractnegotiations", body).path("@id").asText();
    }

    public JsonNode negotiation(String id) {
        return get("/v3/contractnegotiations/" + id);
    }

    /**
     * Waits until the negotiation is FINALIZED and returns it; fails when it ends otherwise or takes too long.
     */
    public JsonNode awaitAgreement(String negotiationId, Duration timeout) {
        return awaitState(() -> negotiation(negotiationId), Set.of("FINALIZED"), Set.of("TERMINATED"), timeout, "negotiation " + negotiationId);
    }

    /**
     * Waits until the negotiation is TERMINATED (the provider refused it) and returns it, with its error detail.
     */
    public JsonNode awaitTerminated(String negotiationId, Duration timeout) {
        return awaitState(() -> negotiation(negotiationId), Set.of("TERMINATED"), Set.of("FINALIZED"), timeout, "negotiation " + negotiationId);
    }

    /**
     * Asks the provider to push the agreed data to an HTTP endpoint.
     */
    public String transferPush(String counterPartyAddress, String counterPartyId, String agreementId, String destinationUrl) {
        var body = body("TransferRequest")
                .put("counterPartyAddress", counterPartyAddress)
                .put("connectorId", counterPartyId)
                .put("contractId", agreementId)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL)
                .put("transferType", "HttpData-PUSH");
        body.putObject("dataDestination").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", destinationUrl);
        return post("/v3/transferprocesses", body).path("@id").asText();
    }

    /**
     * Asks the provider for a gRPC bulk transfer that this connector's data plane pulls into {@code destination}, a
     * local file path (sent only to this connector, as a private property).
     */
    public String transferGrpcPull(String counterPartyAddress, String counterPartyId, String agreementId, java.nio.file.Path destination) {
        var body = body("TransferRequest")
                .put("counterPartyAddress", counterPartyAddress)
                .put("connectorId", counterPartyId)
                .put("contractId", agreementId)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL)
                .put("transferType", "GrpcStream-PULL");
        body.putObject("privateProperties").put("https://w3id.org/kakehashi/transfer/destinationPath", destination.toAbsolutePath().toString());
        return post("/v3/transferprocesses", body).path("@id").asText();
    }

    public JsonNode transfer(String id) {
        return get("/v3/transferprocesses/" + id);
    }

    /** Suspends a running transfer (its live stream stops) with a reason. */
    public void suspendTransfer(String transferId, String reason) {
        post("/v3/transferprocesses/" + transferId + "/suspend", body("SuspendTransfer").put("reason", reason));
    }

    /** Resumes a suspended transfer where it stood. */
    public void resumeTransfer(String transferId) {
        post("/v3/transferprocesses/" + transferId + "/resume", body("ResumeTransfer"));
    }

    /** Terminates a transfer (its stream ends; nothing passes afterwards) with a reason. */
    public void terminateTransfer(String transferId, String reason) {
        post("/v3/transferprocesses/" + transferId + "/terminate", body("TerminateTransfer").put("reason", reason));
    }

    /** Waits until the transfer reaches {@code state} and returns it; fails when it takes too long. */
    public JsonNode awaitTransferState(String transferId, String state, Duration timeout) {
        return awaitState(() -> transfer(transferId), Set.of(state), Set.of(), timeout, "transfer " + transferId);
    }

    /**
     * What this connector's gRPC data plane has moved for the transfer so far (bytes, messages, percentage, rate), or
     * an empty object while it has not started moving data (the progress API answers 404 then).
     */
    public JsonNode transferProgress(String transferId) {
        try {
            return get("/v1/kakehashi/transfers/" + transferId + "/progress");
        } catch (ManagementApiException e) {
            if (e.status() == 404) {
                return MAPPER.createObjectNode();
            }
            throw e;
        }
    }

    /**
     * Waits until the transfer is COMPLETED and returns it; fails when it ends otherwise or takes too long.
     */
    public JsonNode awaitCompleted(String transferId, Duration timeout) {
        return awaitState(() -> transfer(transferId), Set.of("COMPLETED"), Set.of("TERMINATED", "SUSPENDED"), timeout, "transfer " + transferId);
    }

    /**
     * Sends a compute job to the provider of agreement {@code agreementId} (this connector being its consumer): the
     * job ({@code type}, {@code parameters}, and for evaluation and federated rounds a base64 {@code model}) runs
     * where the data lives and only its result comes back. Returns the job's id.
     */
    public String submitComputeJob(String counterPartyAddress, String counterPartyId, String agreementId, ObjectNode job) {
        // the JSON-LD form (decision 0050); the compute context keeps the members' plain names
        var body = computeBody("RemoteComputeJobRequest")
                .put("agreementId", agreementId)
                .put("counterPartyAddress", counterPartyAddress)
                .put("counterPartyId", counterPartyId);
        body.set("job", job);
        return post("/v3/kakehashi/compute/remote-jobs", body).path("id").asText();
    }

    /** A compute job this connector sent, as its management API shows it (state, progress, reason, hashes). */
    public JsonNode computeJob(String id) {
        return get("/v3/kakehashi/compute/remote-jobs/" + id);
    }

    /** Waits until the compute job sent ends (COMPLETED, FAILED or CANCELLED) and returns it. */
    public JsonNode awaitComputeJob(String id, Duration timeout) {
        return awaitState(() -> computeJob(id), Set.of("COMPLETED", "FAILED", "CANCELLED"), Set.of(), timeout, "compute job " + id);
    }

    /** The result document of a completed compute job ({@code result} holds the table, metrics or weights). */
    public JsonNode computeResult(String id) {
        return get("/v3/kakehashi/compute/remote-jobs/" + id + "/result");
    }

    /** Runs a read-only SPARQL query on the connector's catalog (its own and the federated one); SPARQL JSON results. */
    public JsonNode sparql(String query) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v3/catalog/sparql"))
                .header("Content-Type", "application/sparql-query")
                .POST(HttpRequest.BodyPublishers.ofString(query)));
    }

    /**
     * Reads {@code path} every half second until {@code done} holds for the answer, and returns it; fails after
     * {@code timeout}, naming {@code what} and the last answer. For what a connector does on its own time (a
     * withdrawal notice answered, a provenance statement kept).
     */
    public JsonNode awaitGet(String path, java.util.function.Predicate<JsonNode> done, Duration timeout, String what) {
        var deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get(path);
            if (done.test(last)) {
                return last;
            }
            ConnectorProcess.sleep(500);
        }
        throw new IllegalStateException("waited %s for %s; last seen: %s".formatted(timeout, what, last));
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public JsonNode post(String path, JsonNode body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            var response = http.send(request.header("x-api-key", apiKey).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ManagementApiException(response.statusCode(), response.request().method() + " " + response.uri() + ": " + response.body());
            }
            return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode awaitState(java.util.function.Supplier<JsonNode> poll, Set<String> done, Set<String> failed,
                                       Duration timeout, String what) {
        var deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = poll.get();
            var state = last.path("state").asText();
            if (done.contains(state)) {
                return last;
            }
            if (failed.contains(state)) {
                throw new IllegalStateException("%s ended in %s: %s".formatted(what, state, last.path("errorDetail").asText("")));
            }
            ConnectorProcess.sleep(50);
        }
        throw new IllegalStateException("%s not done after %s; last seen: %s".formatted(what, timeout, last));
    }

    /**
     * A management API call that answered with an error status.
     */
    public static final class ManagementApiException extends RuntimeException {
        private final int status;

        public ManagementApiException(int status, String message) {
            super(status + " " + message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
