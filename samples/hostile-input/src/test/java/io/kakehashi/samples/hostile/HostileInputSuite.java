package io.kakehashi.samples.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.hostile.Campaign.Expect;
import io.kakehashi.samples.hostile.HostileBodies.Body;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input campaign against a provider, a consumer and a bystander (see {@link HostileDataspace}), one test
 * per endpoint family; subclasses choose the persistence. Every request is judged by {@link Campaign}: no 5xx, no
 * secret of any vault in the answer, and the status its probe expects. Each test lists all of its family's findings
 * when it fails. The last test checks that nothing the campaign sent changed what the connectors store, that no
 * connector called the attacker's server, and that no vault entry is in any connector's log.
 * <p>
 * The connectors are shared by the tests of a class; the request loops are bounded and generated from a fixed seed.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileInputSuite {

    static final String DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld";
    static final String EDC = ManagementClient.EDC_NAMESPACE;
    static final String GARBAGE_TOKEN = "Bearer eyJhbGciOiJub25lIn0.e30.garbage";
    /** Concurrent requests: the connectors' answers, not the test's sending, should be the limit on two cores. */
    private static final int PARALLELISM = 4;

    protected HostileDataspace dataspace;
    protected Campaign campaign;
    protected CaptureServer attacker;
    private Map<String, JsonNode> before;

    /** Whether every connector keeps its state in PostgreSQL (else the embedded default). */
    protected abstract boolean postgres();

    @BeforeAll
    void startDataspace() {
        dataspace = HostileDataspace.start(Path.of("target", "hostile-input", postgres() ? "postgres" : "embedded"), postgres());
        attacker = CaptureServer.start();
        var secrets = dataspace.secrets();
        System.out.println("hostile-input: secrets that must never leave a connector: " + secrets.describe());
        campaign = new Campaign(secrets);
        if (!dataspace.awaitSettled(java.time.Duration.ofSeconds(60))) {
            campaign.finding("state", "the set-up's negotiations and transfers did not settle within 60 s");
        }
        before = dataspace.snapshot();
    }

    @AfterAll
    void stop() {
        if (attacker != null) {
            attacker.close();
        }
        if (dataspace != null) {
            dataspace.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------- DSP

    @Test
    @Order(1)
    void dsp_hostileMessagesWithNoTokenAGarbageTokenAndAMembersToken_shouldNeverBe5xxOrRevealASecretOrActOnAnotherMembersProcess() throws Exception {
        var provider = dataspace.providerSettings();
        var dsp = provider.dspAddress();
        var negotiation = dataspace.bystanderNegotiationAtProvider();
        var transfer = dataspace.bystanderTransferAtProvider();
        var negotiationPid = negotiation.path("@id").asText();
        var negotiationConsumerPid = negotiation.path("correlationId").asText();
        var transferPid = transfer.path("@id").asText();
        var transferConsumerPid = transfer.path("correlationId").asText();

        var probes = new ArrayList<Runnable>();
        var bodies = new HostileBodies(HostileBodies.SEED);

        // the catalog is the caller's to read: a member's well-formed request may succeed
        var catalogRequest = dspMessage("CatalogRequestMessage");
        catalogRequest.putArray("filter");
        probes.addAll(dspProbes(bodies, "catalog request", "POST", dsp + "/catalog/request", catalogRequest, Expect.NO_SERVER_ERROR, null));

        // a contract request for an offer that does not exist: nothing may make it succeed
        var unknownOffer = dspMessage("ContractRequestMessage").put("consumerPid", "urn:uuid:" + UUID.nameUUIDFromBytes(new byte[]{1}))
                .put("callbackAddress", attacker.url("/dsp-callback"));
        unknownOffer.putObject("offer").put("@type", "Offer").put("@id", "hostile-no-such-offer").put("target", HostileDataspace.ASSET_ID)
                .put("assigner", provider.participantId()).putArray("permission").addObject().put("action", "use");
        probes.addAll(dspProbes(bodies, "contract request (no such offer)", "POST", dsp + "/negotiations/request", unknownOffer, Expect.CLIENT_ERROR, "consumerPid"));

        // a real offer, but with a consumer-chosen id no store or log should take
        var realOffer = dspMessage("ContractRequestMessage").put("callbackAddress", attacker.url("/dsp-callback"));
        realOffer.set("offer", offerFromCatalog());
        for (var body : HostileBodies.hostileIds(realOffer, "consumerPid")) {
            probes.add(() -> member("dsp", "contract request (real offer), " + body.label(), "POST", dsp + "/negotiations/request", body.text(), Expect.CLIENT_ERROR));
        }
        probes.add(() -> member("dsp", "contract request (real offer), " + HostileBodies.huge(realOffer, "consumerPid").label(), "POST",
                dsp + "/negotiations/request", HostileBodies.huge(realOffer, "consumerPid").text(), Expect.CLIENT_ERROR));

        // the bystander's negotiation: no other member may move it
        var bystanderIds = Map.of("providerPid", negotiationPid, "consumerPid", negotiationConsumerPid);
        var contractRequest = withIds(dspMessage("ContractRequestMessage"), bystanderIds).put("callbackAddress", attacker.url("/dsp-callback"));
        contractRequest.set("offer", offerFromCatalog());
        probes.addAll(dspProbes(bodies, "contract request on another's negotiation", "POST", dsp + "/negotiations/" + negotiationPid + "/request",
                contractRequest, Expect.CLIENT_ERROR, "providerPid"));
        probes.addAll(dspProbes(bodies, "contract event on another's negotiation", "POST", dsp + "/negotiations/" + negotiationPid + "/events",
                withIds(dspMessage("ContractNegotiationEventMessage"), bystanderIds).put("eventType", "ACCEPTED"), Expect.CLIENT_ERROR, "providerPid"));
        probes.addAll(dspProbes(bodies, "agreement verification on another's negotiation", "POST",
                dsp + "/negotiations/" + negotiationPid + "/agreement/verification",
                withIds(dspMessage("ContractAgreementVerificationMessage"), bystanderIds), Expect.CLIENT_ERROR, "providerPid"));
        var negotiationTermination = withIds(dspMessage("ContractNegotiationTerminationMessage"), bystanderIds).put("code", "1");
        negotiationTermination.putArray("reason").add("hostile");
        probes.addAll(dspProbes(bodies, "termination of another's negotiation", "POST", dsp + "/negotiations/" + negotiationPid + "/termination",
                negotiationTermination, Expect.CLIENT_ERROR, "providerPid"));

        // a transfer under the bystander's agreement, and messages on the bystander's transfer
        var foreignTransfer = transferRequest(dataspace.bystanderSharedAgreementId(), "urn:uuid:" + UUID.nameUUIDFromBytes(new byte[]{2}),
                attacker.url("/dsp-destination"), attacker.url("/dsp-callback"));
        probes.addAll(dspProbes(bodies, "transfer request under another's agreement", "POST", dsp + "/transfers/request", foreignTransfer,
                Expect.CLIENT_ERROR, "consumerPid"));
        var ownTransfer = transferRequest(dataspace.consumerSharedAgreementId(), "urn:uuid:x", attacker.url("/dsp-destination"), attacker.url("/dsp-callback"));
        for (var body : HostileBodies.hostileIds(ownTransfer, "consumerPid")) {
            probes.add(() -> member("dsp", "transfer request (own agreement), " + body.label(), "POST", dsp + "/transfers/request", body.text(), Expect.CLIENT_ERROR));
        }
        probes.add(() -> member("dsp", "transfer request (own agreement), consumerPid of 10 MB", "POST", dsp + "/transfers/request",
                HostileBodies.huge(ownTransfer, "consumerPid").text(), Expect.CLIENT_ERROR));
        var transferIds = Map.of("providerPid", transferPid, "consumerPid", transferConsumerPid);
        for (var message : List.of("start", "completion", "termination", "suspension")) {
            var type = switch (message) {
                case "start" -> "TransferStartMessage";
                case "completion" -> "TransferCompletionMessage";
                case "termination" -> "TransferTerminationMessage";
                default -> "TransferSuspensionMessage";
            };
            var body = withIds(dspMessage(type), transferIds);
            if (!message.equals("start") && !message.equals("completion")) {
                body.put("code", "1").putArray("reason").add("hostile");
            }
            probes.addAll(dspProbes(bodies, "transfer " + message + " of another's transfer", "POST", dsp + "/transfers/" + transferPid + "/" + message,
                    body, Expect.CLIENT_ERROR, "providerPid"));
        }

        // reading another's processes, and ids in paths
        for (var path : List.of("/negotiations/" + negotiationPid, "/transfers/" + transferPid)) {
            probes.add(() -> member("dsp", "read another's process " + path, "GET", dsp + path, null, Expect.CLIENT_ERROR));
            probes.add(() -> anonymous("dsp", "read another's process " + path + " without a token", "GET", dsp + path, null, null, Expect.CLIENT_ERROR));
        }
        probes.add(() -> member("dsp", "dataset", "GET", dsp + "/catalog/datasets/" + HostileDataspace.ASSET_ID, null, Expect.NO_SERVER_ERROR));
        for (var id : HostileBodies.HOSTILE_IDS) {
            var encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            if (encoded.isEmpty()) {
                continue;
            }
            for (var path : List.of("/catalog/datasets/" + encoded, "/negotiations/" + encoded, "/transfers/" + encoded)) {
                probes.add(() -> member("dsp", "id in path " + Exchange.excerpt(id, 30), "GET", dsp + path, null, Expect.CLIENT_ERROR));
            }
            probes.add(() -> member("dsp", "termination of process id " + Exchange.excerpt(id, 30), "POST", dsp + "/negotiations/" + encoded + "/termination",
                    negotiationTermination.toString(), Expect.CLIENT_ERROR));
            probes.add(() -> member("dsp", "transfer start of process id " + Exchange.excerpt(id, 30), "POST", dsp + "/transfers/" + encoded + "/start",
                    withIds(dspMessage("TransferStartMessage"), transferIds).toString(), Expect.CLIENT_ERROR));
        }

        run(probes);
        noCallsTo("dsp", "/jsonld-context", "a remote JSON-LD context was fetched from the attacker's address");
        campaign.assertNoFindings("dsp");
    }

    /**
     * The probes for one DSP endpoint: the shapeless bodies and type confusions with every credential (none, garbage,
     * a member's), hostile ids and 10 MB in {@code idField} with a member's token and none, and random mutations with
     * a member's token.
     */
    private List<Runnable> dspProbes(HostileBodies generator, String name, String method, String url, ObjectNode base, Expect memberExpect, String idField) {
        var probes = new ArrayList<Runnable>();
        var shapeless = new ArrayList<Body>(HostileBodies.shapeless(base, attacker.url("/jsonld-context")));
        shapeless.add(new Body("well-formed", base.toString()));
        for (var body : shapeless) {
            var label = name + ", " + body.label();
            probes.add(() -> member("dsp", label, method, url, body.text(), body.label().equals("well-formed") ? memberExpect : worst(memberExpect)));
            probes.add(() -> anonymous("dsp", label + ", no token", method, url, null, body.text(), Expect.CLIENT_ERROR));
            probes.add(() -> anonymous("dsp", label + ", garbage token", method, url, GARBAGE_TOKEN, body.text(), Expect.CLIENT_ERROR));
        }
        for (var body : HostileBodies.typeConfusions(base)) {
            var label = name + ", " + body.label();
            probes.add(() -> member("dsp", label, method, url, body.text(), worst(memberExpect)));
            probes.add(() -> anonymous("dsp", label + ", no token", method, url, null, body.text(), Expect.CLIENT_ERROR));
        }
        if (idField != null) {
            for (var body : HostileBodies.hostileIds(base, idField)) {
                probes.add(() -> member("dsp", name + ", " + body.label(), method, url, body.text(), worst(memberExpect)));
                probes.add(() -> anonymous("dsp", name + ", " + body.label() + ", no token", method, url, null, body.text(), Expect.CLIENT_ERROR));
            }
            var huge = HostileBodies.huge(base, idField);
            probes.add(() -> member("dsp", name + ", " + huge.label(), method, url, huge.text(), worst(memberExpect)));
            probes.add(() -> anonymous("dsp", name + ", " + huge.label() + ", no token", method, url, null, huge.text(), Expect.CLIENT_ERROR));
        }
        for (var body : generator.randomMutations(base)) {
            probes.add(() -> member("dsp", name + ", " + body.label(), method, url, body.text(), worst(memberExpect)));
        }
        return probes;
    }

    /** A malformed message is never a success; a well-formed one to an endpoint the caller may use may be. */
    private static Expect worst(Expect expect) {
        return expect == Expect.NO_SERVER_ERROR ? Expect.NO_SERVER_ERROR : Expect.CLIENT_ERROR;
    }

    private Exchange member(String family, String probe, String method, String url, String body, Expect expect) {
        return campaign.check(campaign.sendAsMember(family, probe + ", member's token", dataspace.rogueUrl(), method, url,
                dataspace.providerSettings().participantId(), body), expect);
    }

    private Exchange anonymous(String family, String probe, String method, String url, String authorization, String body, Expect expect) {
        var headers = new LinkedHashMap<String, String>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return campaign.check(campaign.send(family, probe, method, url, headers, body), expect);
    }

    static ObjectNode dspMessage(String type) {
        var message = HostileBodies.object();
        message.putArray("@context").add(DSP_CONTEXT);
        message.put("@type", type);
        return message;
    }

    private static ObjectNode withIds(ObjectNode message, Map<String, String> ids) {
        ids.forEach(message::put);
        return message;
    }

    static ObjectNode transferRequest(String agreementId, String consumerPid, String destination, String callback) {
        var message = dspMessage("TransferRequestMessage").put("consumerPid", consumerPid).put("agreementId", agreementId)
                .put("format", "HttpData-PUSH").put("callbackAddress", callback);
        var address = message.putObject("dataAddress").put("@type", "DataAddress").put("endpointType", "HttpData").put("endpoint", destination);
        address.putArray("endpointProperties").addObject().put("@type", "EndpointProperty").put("name", EDC + "baseUrl").put("value", destination);
        return message;
    }

    /** The provider's offer of the seeded asset, as its DSP catalog shows it to the consumer. */
    private ObjectNode offerFromCatalog() throws IOException {
        var catalogRequest = dspMessage("CatalogRequestMessage");
        var answer = campaign.sendAsMember("setup", "catalog", dataspace.rogueUrl(), "POST", dataspace.providerSettings().dspAddress() + "/catalog/request",
                dataspace.providerSettings().participantId(), catalogRequest.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        var catalog = ManagementClient.mapper().readTree(answer.body());
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (HostileDataspace.ASSET_ID.equals(dataset.path("@id").asText())) {
                var offer = (ObjectNode) ManagementClient.firstOffer(dataset).deepCopy();
                offer.put("@type", "Offer").put("target", HostileDataspace.ASSET_ID).put("assigner", dataspace.providerSettings().participantId());
                return offer;
            }
        }
        throw new IllegalStateException("no offer of " + HostileDataspace.ASSET_ID + " in " + answer.body());
    }

    /** Runs the probes, a few at a time, and waits for all of them. */
    protected static void run(List<Runnable> probes) throws InterruptedException, ExecutionException {
        var pool = new ForkJoinPool(PARALLELISM);
        try {
            pool.submit(() -> probes.parallelStream().forEach(Runnable::run)).get();
        } finally {
            pool.shutdown();
        }
    }

    // --------------------------------------------------------------------------------------------------- management

    @Test
    @Order(2)
    void management_hostileBodiesIdsAndQueriesAndKeys_shouldBe4xxNeverAcceptAnotherKeyAndLoseNothing() throws Exception {
        var provider = dataspace.providerSettings();
        var consumer = dataspace.consumerSettings();
        var probes = new ArrayList<Runnable>();
        var generator = new HostileBodies(HostileBodies.SEED + 2);

        // only the exact key opens the API: not none, not another, not the key in other letters, not the auditor's
        var guarded = List.of("GET /v3/assets/" + HostileDataspace.ASSET_ID, "POST /v3/assets/request", "POST /v3/policydefinitions/request",
                "GET /v3/contractdefinitions/" + HostileDataspace.CONTRACT_DEFINITION_ID, "POST /v3/contractnegotiations/request",
                "POST /v3/contractagreements/request", "POST /v3/transferprocesses/request", "GET /v3/kakehashi/compute/jobs?agreementId=x",
                "GET /v3/kakehashi/compute/remote-jobs", "GET /v3/catalog/search?q=machine", "GET /v1/kakehashi/transfers/progress",
                "DELETE /v3/policydefinitions/" + HostileDataspace.POLICY_ID, "DELETE /v3/assets/" + HostileDataspace.ASSET_ID);
        var wrongKeys = new LinkedHashMap<String, String>();
        wrongKeys.put("no key", null);
        wrongKeys.put("a wrong key", "mgmt-00000000-0000-0000-0000-000000000000");
        wrongKeys.put("the key upper-cased", upper(provider.managementKey()));
        wrongKeys.put("the key's first 16 characters", provider.managementKey().substring(0, 16));
        wrongKeys.put("the auditor key", provider.auditorKey());
        wrongKeys.put("the consumer's key", consumer.managementKey());
        for (var call : guarded) {
            var method = call.substring(0, call.indexOf(' '));
            var path = call.substring(call.indexOf(' ') + 1);
            var body = method.equals("POST") ? ManagementClient.body("QuerySpec").toString() : null;
            wrongKeys.forEach((name, key) -> probes.add(() -> management(provider, call + " with " + name, method, path, key, body, Expect.REFUSED_CREDENTIAL)));
        }

        // creations: malformed is a 4xx; whatever is created anyway is deleted again (a missing id may be generated)
        var asset = ManagementClient.body("Asset").put("@id", "hostile-probe-asset");
        asset.putObject("properties").put("name", "probe");
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", attacker.url("/management-asset"));
        probes.addAll(creations(provider, "/v3/assets", asset, generator));
        probes.add(() -> create(provider, "asset, empty body", "/v3/assets", "", Expect.CLIENT_ERROR));
        probes.add(() -> create(provider, "asset, null body", "/v3/assets", "null", Expect.CLIENT_ERROR));
        probes.add(() -> create(provider, "asset, id with NUL", "/v3/assets", asset.deepCopy().put("@id", HostileBodies.NUL).toString(), Expect.CLIENT_ERROR));
        probes.add(() -> create(provider, "asset, id of 10 MB", "/v3/assets", HostileBodies.huge(asset, "@id").text(), Expect.CLIENT_ERROR));

        var policy = policyBody("hostile-probe-policy", ManagementClient.constraint("https://w3id.org/kakehashi/policy/ai.minAggregation", "gteq", "10"));
        probes.addAll(creations(provider, "/v3/policydefinitions", policy, generator));
        var numeric = ManagementClient.constraint("https://w3id.org/kakehashi/policy/ai.minAggregation", "gteq", "x");
        numeric.put("rightOperand", 10);
        probes.add(() -> create(provider, "policy, numeric rightOperand", "/v3/policydefinitions", policyBody("hostile-probe-numeric", numeric).toString(), Expect.NO_SERVER_ERROR));
        probes.add(() -> create(provider, "policy, unknown leftOperand", "/v3/policydefinitions",
                policyBody("hostile-probe-unknown-left", ManagementClient.constraint("kakehashi-no-such-operand", "eq", "x")).toString(), Expect.CLIENT_ERROR));
        probes.add(() -> create(provider, "policy, unknown operator", "/v3/policydefinitions",
                policyBody("hostile-probe-unknown-operator", ManagementClient.constraint("https://w3id.org/kakehashi/policy/ai.minAggregation", "approximately", "10")).toString(),
                Expect.CLIENT_ERROR));
        var objectOperand = ManagementClient.constraint("https://w3id.org/kakehashi/policy/purpose", "eq", "x");
        objectOperand.putObject("rightOperand").put("@id", "https://evil.example/purpose");
        probes.add(() -> create(provider, "policy, object rightOperand", "/v3/policydefinitions", policyBody("hostile-probe-object", objectOperand).toString(), Expect.NO_SERVER_ERROR));

        var definition = ManagementClient.body("ContractDefinition").put("@id", "hostile-probe-definition").put("accessPolicyId", "no-such-policy")
                .put("contractPolicyId", "no-such-policy");
        definition.putArray("assetsSelector").addObject().put("@type", "Criterion").put("operandLeft", EDC + "id").put("operator", "=").put("operandRight", "no-such-asset");
        probes.addAll(creations(provider, "/v3/contractdefinitions", definition, generator));

        // a consumer's requests to negotiate and transfer, each without a field it needs, so none can start a process
        var negotiation = HostileBodies.object();
        negotiation.putArray("@context").add(ManagementClient.MANAGEMENT_CONTEXT);
        negotiation.put("@type", "ContractRequest").put("counterPartyAddress", attacker.url("/management-negotiation")).put("protocol", "hostile-protocol");
        for (var body : bodies(negotiation, generator)) {
            probes.add(() -> management(consumer, "negotiation without a policy, " + body.label(), "POST", "/v3/contractnegotiations", consumer.managementKey(),
                    body.text(), Expect.CLIENT_ERROR));
        }
        var transfer = ManagementClient.body("TransferRequest").put("counterPartyAddress", attacker.url("/management-transfer"))
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL).put("transferType", "HttpData-PUSH");
        transfer.putObject("dataDestination").put("type", "HttpData").put("baseUrl", attacker.url("/management-transfer-destination"));
        for (var body : bodies(transfer, generator)) {
            probes.add(() -> management(consumer, "transfer without a contract, " + body.label(), "POST", "/v3/transferprocesses", consumer.managementKey(),
                    body.text(), Expect.CLIENT_ERROR));
        }

        // queries
        var kinds = List.of("assets", "policydefinitions", "contractdefinitions", "contractnegotiations", "contractagreements", "transferprocesses");
        var queries = new ArrayList<Body>();
        for (var limit : List.<Object>of("abc", -1, 0, 1e12, 2147483648L, "1; DROP TABLE edc_asset")) {
            queries.add(new Body("limit " + limit, querySpec().set("limit", ManagementClient.mapper().valueToTree(limit)).toString()));
        }
        queries.add(new Body("offset -5", querySpec().put("offset", -5).toString()));
        for (var sortField : List.of("nope", "dataAddress.baseUrl", "'; DROP TABLE edc_asset; --", "properties.\u0000", "")) {
            queries.add(new Body("sortField " + Exchange.excerpt(sortField, 30), querySpec().put("sortField", sortField).toString()));
        }
        queries.add(new Body("sortOrder SIDEWAYS", querySpec().put("sortField", "id").put("sortOrder", "SIDEWAYS").toString()));
        for (var operator : List.of("=", "LIKE", "ILIKE", "in", "approximately", "", "; DROP")) {
            for (var left : List.of("id", "dataAddress." + EDC + "baseUrl", "nope.nope", "properties.'x'")) {
                for (var right : List.<Object>of(HostileBodies.NUL, 42, List.of("a", 1))) {
                    var query = querySpec();
                    query.putArray("filterExpression").addObject().put("@type", "Criterion").put("operandLeft", left).put("operator", operator)
                            .set("operandRight", ManagementClient.mapper().valueToTree(right));
                    queries.add(new Body("filter " + left + " " + operator + " " + Exchange.excerpt(String.valueOf(right), 20), query.toString()));
                }
            }
        }
        queries.addAll(HostileBodies.shapeless(querySpec(), attacker.url("/jsonld-context")));
        queries.addAll(generator.randomMutations(querySpec()));
        for (var kind : kinds) {
            for (var query : queries) {
                probes.add(() -> management(provider, kind + " query, " + query.label(), "POST", "/v3/" + kind + "/request", provider.managementKey(), query.text(),
                        Expect.NO_SERVER_ERROR));
            }
        }

        // ids in paths
        for (var id : HostileBodies.HOSTILE_IDS) {
            var encoded = encode(id);
            if (encoded.isEmpty()) {
                continue;
            }
            for (var call : List.of("GET /v3/assets/", "DELETE /v3/assets/", "GET /v3/policydefinitions/", "GET /v3/contractdefinitions/",
                    "GET /v3/contractnegotiations/", "GET /v3/contractnegotiations/%s/state", "GET /v3/contractagreements/",
                    "GET /v3/transferprocesses/", "GET /v3/transferprocesses/%s/state", "GET /v3/kakehashi/obligations/",
                    "GET /v1/kakehashi/transfers/%s/progress", "GET /v3/kakehashi/compute/jobs/", "POST /v3/kakehashi/compute/jobs/%s/cancel",
                    "POST /v3/transferprocesses/%s/terminate", "POST /v3/contractnegotiations/%s/terminate")) {
                var method = call.substring(0, call.indexOf(' '));
                var template = call.substring(call.indexOf(' ') + 1);
                var path = template.contains("%s") ? template.formatted(encoded) : template + encoded;
                var body = method.equals("POST") ? ManagementClient.body("TerminateTransfer").put("reason", "hostile").toString() : null;
                probes.add(() -> management(provider, "id " + Exchange.excerpt(id, 30) + " in " + template, method, path, provider.managementKey(), body,
                        Expect.CLIENT_ERROR));
            }
        }
        // the other side's processes by the provider's own API are the operator's business; an update of an unknown asset is not
        probes.add(() -> management(provider, "update of an unknown asset", "PUT", "/v3/assets", provider.managementKey(),
                asset.deepCopy().put("@id", "hostile-no-such-asset").toString(), Expect.CLIENT_ERROR));
        run(probes);

        // two creations of one id at once: one is created, the other a conflict, neither a 500
        var twice = asset.deepCopy().put("@id", "hostile-probe-twice").toString();
        var first = new java.util.concurrent.CompletableFuture<Exchange>();
        var second = new java.util.concurrent.CompletableFuture<Exchange>();
        run(List.of(() -> first.complete(create(provider, "asset created twice at once (1)", "/v3/assets", twice, Expect.NO_SERVER_ERROR)),
                () -> second.complete(create(provider, "asset created twice at once (2)", "/v3/assets", twice, Expect.NO_SERVER_ERROR))));
        campaign.assertNoFindings("management");
    }

    private List<Body> bodies(ObjectNode base, HostileBodies generator) {
        var bodies = new ArrayList<Body>(HostileBodies.shapeless(base, attacker.url("/jsonld-context")));
        bodies.addAll(HostileBodies.typeConfusions(base));
        bodies.addAll(generator.randomMutations(base));
        return bodies;
    }

    private List<Runnable> creations(ConnectorSettings connector, String path, ObjectNode base, HostileBodies generator) {
        var probes = new ArrayList<Runnable>();
        for (var body : bodies(base, generator)) {
            probes.add(() -> create(connector, path.substring(4) + ", " + body.label(), path, body.text(), Expect.NO_SERVER_ERROR));
        }
        return probes;
    }

    /** A creation; what it created is deleted again, so that only a defect can change the stored state. */
    private Exchange create(ConnectorSettings connector, String probe, String path, String body, Expect expect) {
        var exchange = management(connector, probe, "POST", path, connector.managementKey(), body, expect);
        if (exchange.status() / 100 == 2) {
            try {
                var id = ManagementClient.mapper().readTree(exchange.body()).path("@id").asText();
                var deleted = campaign.send("cleanup", "delete", "DELETE", connector.managementUrl() + path + "/" + encode(id),
                        Map.of("x-api-key", connector.managementKey()), null);
                if (deleted.status() / 100 != 2) {
                    campaign.finding("management", "could not delete what " + probe + " created (" + Exchange.excerpt(id, 60) + "): " + deleted.status());
                }
            } catch (IOException e) {
                campaign.finding("management", probe + " answered " + exchange.status() + " with a body that is not JSON");
            }
        }
        return exchange;
    }

    private Exchange management(ConnectorSettings connector, String probe, String method, String path, String key, String body, Expect expect) {
        var headers = new LinkedHashMap<String, String>();
        if (key != null) {
            headers.put("x-api-key", key);
        }
        return campaign.check(campaign.send("management", connector.name() + " " + probe, method, connector.managementUrl() + path, headers, body), expect);
    }

    private static ObjectNode querySpec() {
        return ManagementClient.body("QuerySpec").put("limit", 5);
    }

    private static ObjectNode policyBody(String id, ObjectNode constraint) {
        var body = ManagementClient.body("PolicyDefinition").put("@id", id);
        var policy = body.putObject("policy").put("@context", ManagementClient.ODRL_CONTEXT).put("@type", "Set");
        policy.putArray("permission").addObject().put("action", "use").putArray("constraint").add(constraint);
        return body;
    }

    // ------------------------------------------------------------------------------------------------------ auditor

    @Test
    @Order(3)
    void auditor_withoutItsOwnKeyOrWithBadQueries_shouldBe401Or4xx() throws Exception {
        var provider = dataspace.providerSettings();
        var probes = new ArrayList<Runnable>();
        var paths = List.of("/v1/decisions", "/v1/decisions/1", "/v1/verify", "/v1/export/decisions", "/v1/export/checkpoints", "/v1/checkpoint-key",
                "/v1/checkpoint-keys", "/v1/export/checkpoint-keys");
        var wrongKeys = new LinkedHashMap<String, String>();
        wrongKeys.put("no key", null);
        wrongKeys.put("a wrong key", "audit-00000000-0000-0000-0000-000000000000");
        wrongKeys.put("the management key", provider.managementKey());
        wrongKeys.put("the auditor key upper-cased", upper(provider.auditorKey()));
        wrongKeys.put("another connector's auditor key", dataspace.consumerSettings().auditorKey());
        for (var path : paths) {
            wrongKeys.forEach((name, key) -> probes.add(() -> auditor("GET " + path + " with " + name, "GET", path, key, Expect.REFUSED_CREDENTIAL)));
            probes.add(() -> auditor("POST " + path, "POST", path, provider.auditorKey(), Expect.CLIENT_ERROR));
        }
        var badQueries = new ArrayList<String>(List.of("scope=everything", "limit=abc", "limit=-1", "limit=99999999999999999999", "offset=-3",
                "from=yesterday", "to=2026-13-45T99:99:99Z", "outcome=MAYBE", "nosuchparameter=1", "limit=1&limit=2"));
        for (var id : HostileBodies.HOSTILE_IDS) {
            badQueries.add("counterparty=" + encode(id));
            badQueries.add("digest=" + encode(id));
        }
        badQueries.add("asset=" + "x".repeat(64 * 1024));
        for (var query : badQueries) {
            probes.add(() -> auditor("decisions?" + Exchange.excerpt(query, 40), "GET", "/v1/decisions?" + query, provider.auditorKey(), Expect.NO_SERVER_ERROR));
            probes.add(() -> auditor("verify?" + Exchange.excerpt(query, 40), "GET", "/v1/verify?" + query, provider.auditorKey(), Expect.NO_SERVER_ERROR));
            probes.add(() -> auditor("export?" + Exchange.excerpt(query, 40), "GET", "/v1/export/decisions?" + query, provider.auditorKey(), Expect.NO_SERVER_ERROR));
        }
        for (var sequence : List.of("0", "-1", "abc", "99999999999999999999", "1.5", encode(HostileBodies.NUL))) {
            probes.add(() -> auditor("decision " + sequence, "GET", "/v1/decisions/" + sequence, provider.auditorKey(), Expect.CLIENT_ERROR));
        }
        run(probes);
        campaign.assertNoFindings("auditor");
    }

    /**
     * Auditors with credentials (decision 0042): a request signed by an auditor the authority accredited for the
     * provider opens the provider's auditor API; every change to it — the token replayed, bound to another path or
     * method, for another connector, expired, signed by someone else; a credential for another participant, revoked,
     * of another type, or none; a malformed Authorization — is refused with 401 or 403 and no decision in the answer.
     */
    @Test
    @Order(3)
    void auditor_withSignedRequests_onlyTheAccreditedAuditorsOwnRequestOpens() throws Exception {
        var provider = dataspace.providerSettings();
        var auditors = dataspace.auditors();
        var did = provider.did();
        var path = "/v1/decisions?limit=5";
        var target = java.net.URI.create(provider.auditorUrl()).getRawPath() + path;
        var credential = List.of(auditors.forProvider());

        var opened = signedAuditor("signed with the provider's auditor credential", path, auditors.signed(did, "GET", target, credential),
                Expect.NO_SERVER_ERROR);
        assertThat(opened.status()).as("the accredited auditor's own request: %s", opened.body()).isEqualTo(200);
        assertThat(opened.body()).contains("\"sequence\"");

        var token = auditors.signed(did, "GET", target, credential);
        assertThat(signedAuditor("a signed request, first use", path, token, Expect.NO_SERVER_ERROR).status()).isEqualTo(200);
        signedAuditor("the same signed request replayed", path, token, Expect.REFUSED_CREDENTIAL);

        var otherTarget = java.net.URI.create(provider.auditorUrl()).getRawPath() + "/v1/verify";
        var probes = new ArrayList<Runnable>();
        var refused = new LinkedHashMap<String, java.util.function.Supplier<String>>();
        refused.put("a token bound to another path", () -> auditors.signed(did, "GET", otherTarget, credential));
        refused.put("a token bound to another method", () -> auditors.signed(did, "POST", target, credential));
        refused.put("a token for another connector", () -> auditors.signed(dataspace.consumerSettings().did(), "GET", target, credential));
        refused.put("a token signed an hour ago", () -> auditors.signedAnHourAgo(did, "GET", target, credential));
        refused.put("a credential for the consumer only", () -> auditors.signed(did, "GET", target, List.of(auditors.forConsumerOnly())));
        refused.put("a revoked auditor credential", () -> auditors.signed(did, "GET", target, List.of(auditors.revoked())));
        refused.put("a membership instead of an auditor credential", () -> auditors.signed(did, "GET", target, List.of(auditors.membership())));
        refused.put("no credential", () -> auditors.signed(did, "GET", target, List.of()));
        refused.put("a stranger presenting the auditor's credential", () -> auditors.signedByStranger(did, "GET", target, credential));
        refused.forEach((name, signed) -> probes.add(() -> signedAuditor(name, path, signed.get(), Expect.REFUSED_CREDENTIAL)));
        var malformed = new LinkedHashMap<String, String>();
        malformed.put("Bearer with nothing", "Bearer ");
        malformed.put("Bearer with one part", "Bearer abc");
        malformed.put("Bearer with three empty parts", "Bearer ..");
        malformed.put("Bearer with garbage parts", "Bearer a.b.c");
        malformed.put("Bearer with a 64 KiB token", "Bearer " + "A".repeat(64 * 1024));
        malformed.put("the signed token under Basic", "Basic " + auditors.signed(did, "GET", target, credential));
        malformed.put("the signed token twice", "Bearer " + auditors.signed(did, "GET", target, credential) + " " + auditors.signed(did, "GET", target, credential));
        malformed.forEach((name, header) -> probes.add(() -> campaign.check(campaign.send("auditor-signed", name, "GET", provider.auditorUrl() + path,
                Map.of("Authorization", header), null), Expect.CLIENT_ERROR)));
        run(probes);
        campaign.assertNoFindings("auditor-signed");
    }

    private Exchange signedAuditor(String probe, String path, String token, Expect expect) {
        var exchange = campaign.check(campaign.send("auditor-signed", probe, "GET", dataspace.providerSettings().auditorUrl() + path,
                Map.of("Authorization", "Bearer " + token), null), expect);
        if (expect == Expect.REFUSED_CREDENTIAL) {
            assertThat(exchange.body()).as("%s: nothing of the log in a refusal", probe).doesNotContain("\"sequence\"");
        }
        return exchange;
    }

    private Exchange auditor(String probe, String method, String path, String key, Expect expect) {
        var headers = new LinkedHashMap<String, String>();
        if (key != null) {
            headers.put("x-api-key", key);
        }
        return campaign.check(campaign.send("auditor", probe, method, dataspace.providerSettings().auditorUrl() + path, headers, null), expect);
    }

    // ----------------------------------------------------------------------------------------------------- identity

    @Test
    @Order(4)
    void identity_hostileQueriesAndDeliveriesFromStrangersAndMembers_shouldBe4xxAndTheDidDocumentPublic() throws Exception {
        var identity = HostileDataspace.identityUrl(dataspace.providerSettings());
        var probes = new ArrayList<Runnable>();
        var generator = new HostileBodies(HostileBodies.SEED + 4);
        for (var path : List.of("/did.json", "/.well-known/did.json", "/did.json?x=" + "y".repeat(8 * 1024), "/no-such-document", "/%00", "/../management")) {
            probes.add(() -> campaign.check(campaign.send("identity", "GET " + Exchange.excerpt(path, 40), "GET", identity + path, Map.of(), null),
                    Expect.NO_SERVER_ERROR));
        }
        var dcpContext = "https://w3id.org/dspace-dcp/v1.0/dcp.jsonld";
        var query = HostileBodies.object();
        query.putArray("@context").add(dcpContext);
        query.put("@type", "PresentationQueryMessage").putArray("scope").add("org.eclipse.dspace.dcp.vc.type:MembershipCredential:read");
        var delivery = HostileBodies.object();
        delivery.putArray("@context").add(dcpContext);
        delivery.put("@type", "CredentialMessage").put("issuerPid", "hostile-issuer").put("holderPid", "hostile-holder").put("status", "ISSUED")
                .putArray("credentials").addObject().put("credentialType", "MembershipCredential").put("format", "VC2_0_JOSE").put("payload", "eyJhbGciOiJFUzI1NiJ9.e30.x");
        var offer = HostileBodies.object();
        offer.putArray("@context").add(dcpContext);
        offer.put("@type", "CredentialOfferMessage").put("issuer", dataspace.consumerSettings().participantId()).putArray("credentials").addObject()
                .put("credentialType", "MembershipCredential");
        for (var endpoint : Map.of("/presentations/query", query, "/credentials", delivery, "/offers", offer).entrySet()) {
            for (var body : bodies(endpoint.getValue(), generator)) {
                var url = identity + endpoint.getKey();
                var label = "POST " + endpoint.getKey() + ", " + body.label();
                probes.add(() -> anonymous("identity", label + ", no token", "POST", url, null, body.text(), Expect.CLIENT_ERROR));
                probes.add(() -> anonymous("identity", label + ", garbage token", "POST", url, GARBAGE_TOKEN, body.text(), Expect.CLIENT_ERROR));
                // a member's DSP token is addressed to the provider, but carries no access token the provider issued
                probes.add(() -> campaign.check(campaign.sendAsMember("identity", label + ", member's token", dataspace.rogueUrl(), "POST", url,
                        dataspace.providerSettings().participantId(), body.text()), Expect.CLIENT_ERROR));
            }
            probes.add(() -> campaign.check(campaign.sendAsMember("identity", "POST " + endpoint.getKey() + ", well-formed, member's token", dataspace.rogueUrl(),
                    "POST", identity + endpoint.getKey(), dataspace.providerSettings().participantId(), endpoint.getValue().toString()), Expect.CLIENT_ERROR));
        }
        var forms = List.of("", "grant_type=client_credentials", "grant_type=client_credentials&client_id=x&client_secret=y&audience=" + encode("did:web:x"),
                "grant_type=password&username=admin&password=admin", "grant_type=client_credentials&client_id=" + encode(HostileBodies.NUL) + "&client_secret=",
                "client_secret=" + "s".repeat(1024 * 1024), "%%%", "grant_type=client_credentials&bearer_access_scope=" + encode("org.eclipse.dspace.dcp.vc.type:*:write"));
        for (var form : forms) {
            probes.add(() -> campaign.check(campaign.send("identity", "STS token, form " + Exchange.excerpt(form, 60), "POST", identity + "/sts/token",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), form), Expect.CLIENT_ERROR));
        }
        run(probes);
        campaign.assertNoFindings("identity");
    }

    // ------------------------------------------------------------------------------------------ catalog and compute

    @Test
    @Order(5)
    void catalogQueriesAndCompute_hostileQueriesJobsAndModels_shouldBe4xxAndNeverCallOutOrLoadClasses() throws Exception {
        var probes = new ArrayList<Runnable>();
        var queries = new LinkedHashMap<String, String>();
        queries.put("java: function IRI (sqrt)", "SELECT (<java:org.apache.jena.sparql.function.library.sqrt>(16) AS ?x) WHERE {}");
        queries.put("java: function IRI by prefix", "PREFIX j: <java:org.apache.jena.sparql.function.library.> SELECT (j:sqrt(16) AS ?x) WHERE {}");
        queries.put("java: IRI of a JDK class", "SELECT (<java:java.lang.Runtime>() AS ?x) WHERE {}");
        queries.put("SERVICE at the attacker's address", "SELECT * WHERE { SERVICE <" + attacker.url("/sparql-service") + "> { ?s ?p ?o } }");
        queries.put("SERVICE SILENT at the attacker's address", "SELECT * WHERE { SERVICE SILENT <" + attacker.url("/sparql-service-silent") + "> { ?s ?p ?o } }");
        queries.put("FROM the attacker's address", "SELECT * FROM <" + attacker.url("/sparql-from") + "> WHERE { ?s ?p ?o }");
        queries.put("update INSERT DATA", "INSERT DATA { <urn:x> <urn:y> <urn:z> }");
        queries.put("update DROP ALL", "DROP ALL");
        queries.put("update LOAD", "LOAD <" + attacker.url("/sparql-load") + ">");
        queries.put("syntax error", "SELECT WHERE {");
        queries.put("empty", "");
        queries.put("NUL", "SELECT * WHERE { ?s ?p \"\u0000\" }");
        queries.put("10 MB literal", "SELECT * WHERE { ?s ?p \"" + HostileBodies.HUGE_STRING + "\" }");
        queries.put("10 MB of comment", "# " + HostileBodies.HUGE_STRING + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1");
        queries.put("groups nested 5000 deep", "SELECT * WHERE " + "{ ".repeat(HostileBodies.DEEP) + "?s ?p ?o" + " }".repeat(HostileBodies.DEEP));
        queries.put("expressions nested 5000 deep", "SELECT (" + "(".repeat(HostileBodies.DEEP) + "1" + ")".repeat(HostileBodies.DEEP) + " AS ?x) WHERE {}");
        queries.put("cross product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
        queries.put("property path explosion", "SELECT * WHERE { ?s (<urn:p>|!<urn:q>)* ?o } LIMIT 100");
        queries.put("DESCRIBE everything", "DESCRIBE ?s WHERE { ?s ?p ?o }");
        // the catalog's code is the same in every connector: the provider's answers for all
        for (var connector : List.of(dataspace.providerSettings())) {
            for (var query : queries.entrySet()) {
                var label = connector.name() + " SPARQL " + query.getKey();
                probes.add(() -> {
                    var exchange = campaign.send("catalog", label, "POST", connector.managementUrl() + "/v3/catalog/sparql",
                            Map.of("x-api-key", connector.managementKey(), "Content-Type", "application/sparql-query"), query.getValue());
                    var evaluated = query.getKey().startsWith("java:") && exchange.status() == 200 && exchange.body().contains("\"4\"");
                    campaign.check(exchange, Expect.NO_SERVER_ERROR, evaluated ? "a java: function was loaded and evaluated" : null);
                });
                if (query.getValue().length() < 4096) {
                    probes.add(() -> campaign.check(campaign.send("catalog", label + " (GET)", "GET", connector.managementUrl() + "/v3/catalog/sparql?query="
                            + encode(query.getValue()), Map.of("x-api-key", connector.managementKey()), null), Expect.NO_SERVER_ERROR));
                }
            }
            probes.add(() -> campaign.check(campaign.send("catalog", connector.name() + " SPARQL without the key", "POST", connector.managementUrl() + "/v3/catalog/sparql",
                    Map.of("Content-Type", "application/sparql-query"), "SELECT * WHERE { ?s ?p ?o } LIMIT 1"), Expect.REFUSED_CREDENTIAL));
            for (var q : List.of(HostileBodies.NUL, HostileBodies.BIDI, "x".repeat(64 * 1024), "*", "\"", "machine\" OR \"1\"=\"1", ")")) {
                probes.add(() -> campaign.check(campaign.send("catalog", connector.name() + " search q=" + Exchange.excerpt(q, 30), "GET",
                        connector.managementUrl() + "/v3/catalog/search?q=" + encode(q) + "&own=maybe&lang=" + encode(q.substring(0, Math.min(8, q.length()))),
                        Map.of("x-api-key", connector.managementKey()), null), Expect.NO_SERVER_ERROR));
            }
        }

        // compute jobs the consumer would send: malformed, under no agreement, and with models of 16 MiB and over the 64 MiB limit
        var consumer = dataspace.consumerSettings();
        var job = HostileBodies.object().put("agreementId", "hostile-no-such-agreement").put("counterPartyAddress", attacker.url("/compute"))
                .put("counterPartyId", dataspace.providerSettings().participantId());
        job.putObject("job").put("type", "sql").putObject("parameters").put("query", "SELECT count(*) FROM asset");
        for (var body : bodies(job, new HostileBodies(HostileBodies.SEED + 5))) {
            probes.add(() -> compute(consumer, "remote job, " + body.label(), body.text(), null));
        }
        var ownAgreement = job.deepCopy().put("agreementId", dataspace.consumerAgreementId()).put("counterPartyAddress", dataspace.providerSettings().dspAddress());
        for (var type : List.of("nope", "", "sql; DROP")) {
            var body = ownAgreement.deepCopy();
            ((ObjectNode) body.get("job")).put("type", type);
            probes.add(() -> compute(consumer, "remote job of type " + type, body.toString(), null));
        }
        var badQuery = ownAgreement.deepCopy();
        ((ObjectNode) badQuery.get("job").get("parameters")).putObject("query").put("nested", true);
        probes.add(() -> compute(consumer, "remote job whose query is an object", badQuery.toString(), null));
        run(probes);

        // one at a time: each is tens of megabytes in a JVM of 512 MiB
        var model = new byte[16 << 20];
        new java.util.Random(HostileBodies.SEED).nextBytes(model);
        var evaluation = job.deepCopy();
        evaluation.putObject("job").put("type", "evaluation").put("model", base64(model)).putObject("parameters").put("label", "failed");
        var sixteen = compute(consumer, "evaluation with a 16 MiB model (under the 64 MiB limit)", evaluation.toString(), "the body is not JSON");
        System.out.println("hostile-input: " + sixteen.describe(false));
        var oversized = new byte[(64 << 20) + 1024];
        System.arraycopy(model, 0, oversized, 0, model.length);
        ((ObjectNode) evaluation.get("job")).put("model", base64(oversized));
        var over = compute(consumer, "evaluation with a model over the 64 MiB limit", evaluation.toString(), null);
        System.out.println("hostile-input: " + over.describe(false));

        noCallsTo("catalog", "/sparql", "SPARQL made a connector call the attacker's address");
        noCallsTo("compute", "/compute", "a malformed compute job was sent");
        campaign.assertNoFindings("catalog", "compute");
    }

    private Exchange compute(ConnectorSettings connector, String probe, String body, String mustNotSay) {
        var exchange = campaign.send("compute", connector.name() + " " + probe, "POST", connector.managementUrl() + "/v3/kakehashi/compute/remote-jobs",
                Map.of("x-api-key", connector.managementKey()), body);
        var says = mustNotSay != null && exchange.body().contains(mustNotSay) ? "the answer says '" + mustNotSay + "' about a JSON body" : null;
        return campaign.check(exchange, Expect.CLIENT_ERROR, says);
    }

    // ------------------------------------------------------------------------------------------------------ control

    @Test
    @Order(6)
    void control_withoutAKey_shouldBe401Or403AndNeverStartStopOrRegisterAnything() throws Exception {
        var probes = new ArrayList<Runnable>();
        var transferPid = dataspace.bystanderTransferAtProvider().path("@id").asText();
        for (var connector : List.of(dataspace.providerSettings(), dataspace.consumerSettings())) {
            var control = HostileDataspace.controlUrl(connector);
            var start = HostileBodies.object();
            start.putObject("@context").put("@vocab", EDC);
            start.put("@type", "DataFlowStartMessage").put("processId", "hostile-flow-" + connector.name()).put("assetId", HostileDataspace.ASSET_ID)
                    .put("participantId", dataspace.consumerSettings().participantId()).put("agreementId", dataspace.consumerSharedAgreementId())
                    .put("flowType", "PUSH").put("transferTypeDestination", "HttpData").put("transferType", "HttpData-PUSH")
                    .put("callbackAddress", attacker.url("/control-callback"));
            start.putObject("sourceDataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", dataspace.backendUrl());
            start.putObject("destinationDataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", attacker.url("/control-push"));
            var naming = start.deepCopy();
            ((ObjectNode) naming.get("destinationDataAddress")).put("authKey", "Authorization").put("secretName", "kakehashi-did-keys");
            var register = HostileBodies.object();
            register.putObject("@context").put("@vocab", EDC);
            register.put("@type", "DataPlaneInstance").put("@id", "hostile-data-plane").put("url", attacker.url("/control-dataplane"));
            register.putArray("allowedSourceTypes").add("HttpData");
            register.putArray("allowedTransferTypes").add("HttpData-PUSH");
            var calls = new ArrayList<String[]>();
            calls.add(new String[]{"POST", "/v1/dataflows", start.toString(), "start a flow to the attacker"});
            calls.add(new String[]{"POST", "/v1/dataflows", naming.toString(), "start a flow naming a vault alias"});
            calls.add(new String[]{"POST", "/v1/dataflows", "null", "start with a null body"});
            calls.add(new String[]{"POST", "/v1/dataflows/" + transferPid + "/suspend", "{\"@context\":{\"@vocab\":\"" + EDC + "\"},\"@type\":\"DataFlowSuspendMessage\",\"reason\":\"x\"}", "suspend the bystander's flow"});
            calls.add(new String[]{"POST", "/v1/dataflows/" + transferPid + "/terminate", "{\"@context\":{\"@vocab\":\"" + EDC + "\"},\"@type\":\"DataFlowTerminateMessage\",\"reason\":\"x\"}", "terminate the bystander's flow"});
            calls.add(new String[]{"GET", "/v1/dataflows/" + transferPid + "/state", null, "read the bystander's flow"});
            calls.add(new String[]{"GET", "/v1/dataflows/hostile-no-such-flow/state", null, "read an unknown flow"});
            calls.add(new String[]{"GET", "/v1/dataplanes", null, "list data planes"});
            calls.add(new String[]{"POST", "/v1/dataplanes", register.toString(), "register the attacker's data plane"});
            // EDC 0.15.1 serves no select endpoint: 405 to everyone; what matters is that nothing acts (checked below)
            calls.add(new String[]{"POST", "/v1/dataplanes/select", "{}", "select a data plane", "no such endpoint"});
            calls.add(new String[]{"DELETE", "/v1/dataplanes/hostile-data-plane", null, "delete a data plane"});
            calls.add(new String[]{"GET", "/v1/dataplanes/hostile-data-plane", null, "read a data plane"});
            var credentials = new LinkedHashMap<String, Map<String, String>>();
            credentials.put("no key", Map.of());
            credentials.put("a garbage key", Map.of("x-api-key", "control-00000000"));
            credentials.put("the management key", Map.of("x-api-key", connector.managementKey()));
            credentials.put("a bearer token", Map.of("Authorization", GARBAGE_TOKEN));
            for (var call : calls) {
                credentials.forEach((name, headers) -> probes.add(() -> campaign.check(campaign.send("control", connector.name() + " " + call[3] + " with " + name,
                        call[0], control + call[1], headers, call[2]), call.length > 4 ? Expect.CLIENT_ERROR : Expect.REFUSED_CREDENTIAL)));
            }
        }
        run(probes);
        noCallsTo("control", "/control", "a control request without a key made a connector act");
        campaign.assertNoFindings("control");
    }

    // --------------------------------------------------------------------------------------------- gRPC data plane

    @Test
    @Order(7)
    void grpc_withNoGarbageOrAnotherTransfersToken_shouldRefuseEveryCallAndSendNoData() throws Exception {
        var provider = dataspace.providerSettings();
        var certificate = HostileDataspace.vaultEntry(provider, "kakehashi-grpc-tls-cert");
        var credentials = io.grpc.TlsChannelCredentials.newBuilder()
                .trustManager(new java.io.ByteArrayInputStream(certificate.getBytes(StandardCharsets.US_ASCII))).build();
        var channel = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", HostileDataspace.grpcPort(provider), credentials).build();
        try {
            var bystanderTransfer = dataspace.bystanderTransferAtProvider().path("@id").asText();
            // a member's genuine token for its own pull, tried on another member's transfer (and on its own, after it completed)
            var own = consumersOwnToken();
            var tokens = new LinkedHashMap<String, String>();
            tokens.put("no token", null);
            tokens.put("a garbage token", GARBAGE_TOKEN);
            tokens.put("a bearer without a token", "Bearer ");
            tokens.put("a token signed with alg none", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.");
            if (own != null) {
                tokens.put("the consumer's token for its own completed pull", own);
            } else {
                campaign.finding("grpc-setup", "the rogue member found no data-plane token for its own pull; the other-transfer token calls are left out");
            }
            var ids = new LinkedHashMap<String, String>();
            ids.put("the bystander's transfer", bystanderTransfer);
            ids.put("the consumer's own completed transfer", providerTransferOf(dataspace.consumerTransferId()));
            ids.put("an unknown transfer", "hostile-no-such-transfer");
            ids.put("the consumer's agreement id", dataspace.consumerSharedAgreementId());
            ids.put("a NUL id", HostileBodies.NUL);
            ids.put("an empty id", "");
            ids.put("a 1 MB id", "x".repeat(1 << 20));
            var probes = new ArrayList<Runnable>();
            tokens.forEach((tokenName, token) -> ids.forEach((idName, id) -> {
                var label = "with " + tokenName + " for " + idName;
                // a member may read its own transfer again; any other pairing must be refused
                var expect = tokenName.startsWith("the consumer's") && idName.startsWith("the consumer's") ? Expect.NO_SERVER_ERROR : Expect.CLIENT_ERROR;
                probes.add(() -> grpcCall("Read " + label, channel, token, expect, (stub, done) -> {
                    var received = new java.util.concurrent.atomic.AtomicInteger();
                    var iterator = io.kakehashi.transfer.grpc.v1.BulkTransferGrpc.newBlockingStub(channel).withInterceptors(bearer(token))
                            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                            .read(io.kakehashi.transfer.grpc.v1.ReadRequest.newBuilder().setTransferId(id).setOffset(0).build());
                    while (iterator.hasNext()) {
                        var message = iterator.next();
                        if (message.hasChunk()) {
                            received.addAndGet(message.getChunk().getData().size());
                        }
                    }
                    return received.get() > 0 ? received.get() + " bytes of data" : "a stream with no data";
                }));
                probes.add(() -> grpcCall("Offset " + label, channel, token, expect, (stub, done) -> "offset " + io.kakehashi.transfer.grpc.v1.BulkTransferGrpc
                        .newBlockingStub(channel).withInterceptors(bearer(token)).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                        .offset(io.kakehashi.transfer.grpc.v1.OffsetRequest.newBuilder().setTransferId(id).build()).getOffset()));
                probes.add(() -> grpcCall("NextSequence " + label, channel, token, expect, (stub, done) -> "next sequence " + io.kakehashi.transfer.grpc.v1.RecordStreamGrpc
                        .newBlockingStub(channel).withInterceptors(bearer(token)).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                        .nextSequence(io.kakehashi.transfer.grpc.v1.NextSequenceRequest.newBuilder().setTransferId(id).build()).getNextSequence()));
                probes.add(() -> grpcCall("Subscribe " + label, channel, token, expect, (stub, done) -> {
                    var iterator = io.kakehashi.transfer.grpc.v1.RecordStreamGrpc.newBlockingStub(channel).withInterceptors(bearer(token))
                            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                            .subscribe(io.kakehashi.transfer.grpc.v1.SubscribeRequest.newBuilder().setTransferId(id).setFromSequence(-1).build());
                    var records = 0;
                    while (iterator.hasNext()) {
                        records += iterator.next().getRecordsCount();
                    }
                    return records > 0 ? records + " records" : "a stream with no records";
                }));
                probes.add(() -> grpcCall("Write " + label, channel, token, expect, (stub, done) -> {
                    var result = new java.util.concurrent.CompletableFuture<String>();
                    var requests = io.kakehashi.transfer.grpc.v1.BulkTransferGrpc.newStub(channel).withInterceptors(bearer(token))
                            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                            .write(new io.grpc.stub.StreamObserver<>() {
                                @Override
                                public void onNext(io.kakehashi.transfer.grpc.v1.WriteResult value) {
                                    result.complete("written " + value.getTotalSize());
                                }

                                @Override
                                public void onError(Throwable t) {
                                    result.completeExceptionally(t);
                                }

                                @Override
                                public void onCompleted() {
                                    result.complete("completed");
                                }
                            });
                    requests.onNext(io.kakehashi.transfer.grpc.v1.BulkMessage.newBuilder().setHeader(io.kakehashi.transfer.grpc.v1.Header.newBuilder()
                            .setTransferId(id).setTotalSize(-5).setContentType("\u0000")).build());
                    requests.onNext(io.kakehashi.transfer.grpc.v1.BulkMessage.newBuilder().setChunk(io.kakehashi.transfer.grpc.v1.Chunk.newBuilder()
                            .setSequence(-1).setOffset(Long.MAX_VALUE).setData(com.google.protobuf.ByteString.copyFromUtf8("hostile"))).build());
                    requests.onCompleted();
                    try {
                        return result.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                    }
                }));
            }));
            run(probes);
        } finally {
            channel.shutdownNow();
        }
        campaign.assertNoFindings("grpc", "grpc-setup");
    }

    /** One gRPC call: any answer but a refusal (UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, …) is a finding. */
    private void grpcCall(String probe, io.grpc.Channel channel, String token, Expect expect, GrpcProbe call) {
        String outcome;
        int status;
        try {
            outcome = "OK: " + call.run(channel, null);
            status = 200;
        } catch (io.grpc.StatusRuntimeException e) {
            var code = e.getStatus().getCode();
            outcome = code + ": " + e.getStatus().getDescription();
            status = switch (code) {
                case UNAUTHENTICATED -> 401;
                case PERMISSION_DENIED -> 403;
                case NOT_FOUND -> 404;
                case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
                case RESOURCE_EXHAUSTED -> 413;
                case UNIMPLEMENTED -> 405;
                case ALREADY_EXISTS, ABORTED -> 409;
                default -> 500;
            };
        } catch (Exception e) {
            outcome = "failed: " + e;
            status = 500;
        }
        var exchange = new Exchange("grpc", probe, "gRPC", "127.0.0.1:" + HostileDataspace.grpcPort(dataspace.providerSettings()),
                token == null ? null : Exchange.excerpt(token, 40), status, Map.of(), outcome);
        campaign.check(exchange, expect);
    }

    @FunctionalInterface
    private interface GrpcProbe {
        String run(io.grpc.Channel channel, Void unused) throws Exception;
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        var metadata = new io.grpc.Metadata();
        if (token != null) {
            metadata.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), token);
        }
        return io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    /** The token the consumer's data plane received for its own (completed) pull, as {@code Bearer …}; null if none. */
    private String consumersOwnToken() {
        var answer = campaign.send("grpc-setup", "the consumer's own data-plane token", "GET", dataspace.rogueTokenUrl(dataspace.consumerTransferId()), Map.of(), null);
        if (answer.status() != 200 || answer.body().isBlank()) {
            return null;
        }
        return answer.body().startsWith("Bearer ") ? answer.body() : "Bearer " + answer.body();
    }

    // ---------------------------------------------------------------------------------- the cross-participant attack

    @Test
    @Order(8)
    void transferRequest_whoseDestinationNamesAProviderVaultAlias_shouldBeRefusedAndRevealNoSecret() throws Exception {
        var provider = dataspace.providerSettings();
        var aliases = new ArrayList<String>();
        for (var name : campaign.secretNames()) {
            if (name.startsWith(provider.name() + ":") && !name.endsWith(" key")) {
                aliases.add(name.substring(provider.name().length() + 1));
            }
        }
        assertThat(aliases).as("the provider's vault aliases").contains("kakehashi-did-keys");
        var sent = new LinkedHashMap<String, Exchange>();
        for (var alias : aliases) {
            for (var property : List.of("secretName", "keyName")) {
                var consumerPid = "urn:uuid:" + UUID.randomUUID();
                var message = transferRequest(dataspace.consumerSharedAgreementId(), consumerPid, attacker.url("/secret-destination/" + consumerPid),
                        attacker.url("/secret-callback/" + consumerPid));
                var properties = (com.fasterxml.jackson.databind.node.ArrayNode) message.get("dataAddress").get("endpointProperties");
                properties.addObject().put("@type", "EndpointProperty").put("name", EDC + "authKey").put("value", "Authorization");
                properties.addObject().put("@type", "EndpointProperty").put("name", EDC + property).put("value", alias);
                var exchange = campaign.sendAsMember("secrets", "HttpData-PUSH to the attacker with " + property + " = the provider's " + alias,
                        dataspace.rogueUrl(), "POST", provider.dspAddress() + "/transfers/request", provider.participantId(), message.toString());
                campaign.check(exchange, Expect.CLIENT_ERROR);
                var revealed = !campaign.revealed(exchange.answerText()).isEmpty();
                System.out.println("hostile-input: " + exchange.describe(revealed));
                sent.put(consumerPid, exchange);
            }
        }
        // what the provider did with the requests it accepted: wait (bounded) until each transfer it made has ended
        var accepted = new ArrayList<String>();
        sent.forEach((consumerPid, exchange) -> {
            if (exchange.status() / 100 == 2) {
                accepted.add(consumerPid);
            }
        });
        var transfers = new LinkedHashMap<String, JsonNode>();
        for (var round = 0; round < 30 && !accepted.isEmpty(); round++) {
            transfers.clear();
            for (var transfer : HostileDataspace.query(dataspace.provider(), "/v3/transferprocesses/request")) {
                if (accepted.contains(transfer.path("correlationId").asText())) {
                    transfers.put(transfer.path("correlationId").asText(), transfer);
                }
            }
            if (transfers.size() == accepted.size() && transfers.values().stream()
                    .allMatch(transfer -> List.of("TERMINATED", "COMPLETED", "SUSPENDED", "DEPROVISIONED").contains(transfer.path("state").asText()))) {
                break;
            }
            ConnectorProcess.sleep(1_000);
        }
        for (var transfer : transfers.values()) {
            campaign.checkText("secrets", "the provider's transfer " + transfer.path("@id").asText() + " (" + transfer.path("state").asText()
                    + ") as its management API shows it", transfer.toString());
        }
        for (var captured : attacker.received("/secret-")) {
            campaign.checkText("secrets", "what the provider sent to the attacker (" + captured.method() + " " + Exchange.excerpt(captured.path(), 120) + ")",
                    captured.text());
        }
        campaign.checkText("secrets", "the provider's log", Files.readString(dataspace.provider().log(), StandardCharsets.UTF_8));
        campaign.checkText("secrets", "the consumer's log", Files.readString(dataspace.consumer().log(), StandardCharsets.UTF_8));
        campaign.assertNoFindings("secrets");
    }

    /** The provider's id of a transfer, from the consumer's id of it. */
    private String providerTransferOf(String consumerTransferId) {
        var consumerPid = dataspace.consumer().management().transfer(consumerTransferId).path("correlationId").asText();
        for (var transfer : HostileDataspace.query(dataspace.provider(), "/v3/transferprocesses/request")) {
            if (consumerPid.equals(transfer.path("@id").asText()) || consumerTransferId.equals(transfer.path("correlationId").asText())) {
                return transfer.path("@id").asText();
            }
        }
        return consumerPid;
    }

    // ------------------------------------------------------------------------------------------------------ console

    /**
     * The web console's port (connector-core/console): its forwarder to the management and auditor APIs with every
     * wrong key, path tricks sent byte for byte, every method, bodies too large, nested or malformed and a malformed
     * {@code Content-Type}; its static files asked for names it does not ship or outside its folder. Never a 5xx (the
     * forwarder's 502/504 would mean an API that does not answer, which none of these requests provokes), never a
     * secret, never a file from outside the console's folder.
     */
    @Test
    @Order(9)
    void console_hostilePathsKeysMethodsAndBodiesThroughTheForwarderAndForItsFiles_shouldBe4xxAndRevealNothing() throws Exception {
        var provider = dataspace.providerSettings();
        var consumer = dataspace.consumerSettings();
        var console = java.net.URI.create(provider.consoleUrl());
        var port = console.getPort();
        var root = console.getPath().endsWith("/") ? console.getPath().substring(0, console.getPath().length() - 1) : console.getPath();
        var api = root + "/api";
        var probes = new ArrayList<Runnable>();
        var generator = new HostileBodies(HostileBodies.SEED + 9);

        // the forwarder passes the key on and the API decides: no wrong key opens either API through it
        var wrongManagementKeys = new LinkedHashMap<String, String>();
        wrongManagementKeys.put("no key", null);
        wrongManagementKeys.put("a wrong key", "mgmt-00000000-0000-0000-0000-000000000000");
        wrongManagementKeys.put("the key upper-cased", upper(provider.managementKey()));
        wrongManagementKeys.put("the key's first 16 characters", provider.managementKey().substring(0, 16));
        wrongManagementKeys.put("the auditor key", provider.auditorKey());
        wrongManagementKeys.put("the consumer's key", consumer.managementKey());
        for (var call : List.of("GET /management/v3/assets/" + HostileDataspace.ASSET_ID, "POST /management/v3/assets/request",
                "POST /management/v3/policydefinitions/request", "POST /management/v3/transferprocesses/request", "GET /management/v1/kakehashi/transfers/progress",
                "DELETE /management/v3/assets/" + HostileDataspace.ASSET_ID, "DELETE /management/v3/policydefinitions/" + HostileDataspace.POLICY_ID,
                "PUT /management/v3/assets")) {
            var method = call.substring(0, call.indexOf(' '));
            var path = call.substring(call.indexOf(' ') + 1);
            var body = method.equals("POST") ? ManagementClient.body("QuerySpec").toString()
                    : method.equals("PUT") ? ManagementClient.body("Asset").put("@id", HostileDataspace.ASSET_ID).toString() : null;
            wrongManagementKeys.forEach((name, key) -> probes.add(() -> consoleCall(call + " with " + name, method, api + path, key, body, Expect.REFUSED_CREDENTIAL)));
        }
        var wrongAuditorKeys = new LinkedHashMap<String, String>();
        wrongAuditorKeys.put("no key", null);
        wrongAuditorKeys.put("a wrong key", "audit-00000000-0000-0000-0000-000000000000");
        wrongAuditorKeys.put("the management key", provider.managementKey());
        wrongAuditorKeys.put("the auditor key upper-cased", upper(provider.auditorKey()));
        wrongAuditorKeys.put("another connector's auditor key", consumer.auditorKey());
        for (var path : List.of("/auditor/v1/decisions", "/auditor/v1/decisions/1", "/auditor/v1/verify", "/auditor/v1/export/decisions",
                "/auditor/v1/export/checkpoints", "/auditor/v1/checkpoint-keys")) {
            wrongAuditorKeys.forEach((name, key) -> probes.add(() -> consoleCall("GET " + path + " with " + name, "GET", api + path, key, null, Expect.REFUSED_CREDENTIAL)));
        }

        // path tricks, byte for byte: each aims at the API the key does not open, or out of the forwarder altogether
        var tricks = new ArrayList<String>(List.of(
                "/management/../auditor/v1/verify", "/management/v3/../../auditor/v1/verify", "/management/%2e%2e/auditor/v1/verify",
                "/management/%2E%2E/auditor/v1/verify", "/management/.%2e/auditor/v1/verify", "/management/%252e%252e/auditor/v1/verify",
                "/management/..%2Fauditor/v1/verify", "/management/..%2fauditor%2fv1%2fverify", "/management%2F..%2Fauditor/v1/verify",
                "/management/..%252Fauditor/v1/verify", "/management/%252F/auditor/v1/verify", "/management/..\\auditor\\v1\\verify",
                "/management\\..\\auditor/v1/verify", "/management/%5C..%5Cauditor/v1/verify", "/management/./v3/../../auditor/v1/verify",
                "/management//auditor/v1/verify", "/management/;/../auditor/v1/verify", "/management/..;/auditor/v1/verify",
                "/management/%c0%ae%c0%ae/auditor/v1/verify", "/management/%u002e%u002e/auditor/v1/verify",
                "/management/v3/assets/%00", "/management/v3/assets/x%0d%0aX-Injected:%201", "/management/v3/assets/x%09y", "/management/v3/assets/%7f",
                "/management/v3/assets/%", "/management/v3/assets/%zz", "/management/v3/assets/%e2%80%ae", "/management/v3/assets/%ff%fe",
                "/management/v3/assets/" + "a".repeat(3_000), "/management/" + "a/".repeat(1_500) + "b", "/management/v3/assets?x=" + "a".repeat(3_000),
                "/management/v3/assets?%zz", "/management/v3/assets?a=%00", "/management/v3/assets?a=<script>", "/management/v3/assets#fragment",
                "/metrics/metrics", "/control/v1/dataflows", "/protocol/catalog/request", "/identity/v1alpha/participants", "/api/management/v3/assets",
                "/MANAGEMENT/v3/assets/" + HostileDataspace.ASSET_ID, "/management;x=1/v3/assets/" + HostileDataspace.ASSET_ID, "/managementx/v3/assets",
                "/auditor/../management/v3/assets/" + HostileDataspace.ASSET_ID, "/%6danagement/v3/assets/" + HostileDataspace.ASSET_ID,
                "", "/", "//management/v3/assets", "/http:%2F%2F127.0.0.1/", "/@127.0.0.1/management", "/management@evil.example/v3"));
        for (var trick : tricks) {
            // the key of the API the trick does not aim at: through to the other API or a plain path, it must open nothing
            var otherKey = trick.startsWith("/auditor/..") || trick.startsWith("/%6d") || trick.startsWith("/management;")
                    ? provider.auditorKey() : provider.managementKey();
            var keyName = otherKey.equals(provider.managementKey()) ? "the management key" : "the auditor key";
            var expect = trick.startsWith("/management/v3/assets?x=") || trick.startsWith("/management/v3/assets?a=<") ? Expect.NO_SERVER_ERROR : Expect.CLIENT_ERROR;
            probes.add(() -> consoleRaw("path " + Exchange.excerpt(trick, 60) + " with " + keyName, port, "GET", api + trick, Map.of("x-api-key", otherKey), null, expect));
            probes.add(() -> consoleRaw("path " + Exchange.excerpt(trick, 60) + " without a key", port, "GET", api + trick, Map.of(), null, Expect.CLIENT_ERROR));
        }
        for (var raw : List.of("/management/v3/assets/a\u0001b", "/management/v3/assets/a\tb", "/management/v3/assets/a b", "/management/v3/assets/\u00e9",
                "/management/v3/assets/a\u007fb", "/management/v3/assets/" + "a".repeat(70_000))) {
            probes.add(() -> consoleRaw("raw path " + Exchange.excerpt(raw, 60), port, "GET", api + raw, Map.of("x-api-key", provider.managementKey()), null,
                    Expect.CLIENT_ERROR));
        }

        // every method, to the forwarder and to the files
        var bodyless = ManagementClient.body("QuerySpec").toString().getBytes(StandardCharsets.UTF_8);
        for (var method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "LOCK", "FOO", "get")) {
            var withBody = Set.of("POST", "PUT", "PATCH", "PROPFIND").contains(method);
            for (var target : List.of(api + "/management/v3/assets/request", api + "/auditor/v1/verify", root + "/", root + "/index.html", root + "/nope.js")) {
                for (var key : java.util.Arrays.asList(null, "mgmt-00000000-0000-0000-0000-000000000000", provider.managementKey())) {
                    var legitimate = key != null && key.equals(provider.managementKey()) || !target.startsWith(api);
                    var expect = legitimate || method.equals("OPTIONS") ? Expect.NO_SERVER_ERROR : Expect.CLIENT_ERROR;
                    var headers = key == null ? Map.<String, String>of() : Map.of("x-api-key", key);
                    var contentType = withBody ? Map.of("Content-Type", "application/json") : Map.<String, String>of();
                    var all = new LinkedHashMap<String, String>(headers);
                    all.putAll(contentType);
                    probes.add(() -> consoleRaw(method + " " + target.substring(root.length()) + (key == null ? " without a key" : key.equals(provider.managementKey()) ? " with the key" : " with a wrong key"),
                            port, method, target, all, withBody ? bodyless : null, expect));
                }
            }
        }

        // bodies to the management API's asset and policy endpoints, through the forwarder with the right key
        var asset = ManagementClient.body("Asset").put("@id", "hostile-console-asset");
        asset.putObject("properties").put("name", "probe");
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", attacker.url("/console-asset"));
        var policy = policyBody("hostile-console-policy", ManagementClient.constraint("https://w3id.org/kakehashi/policy/ai.minAggregation", "gteq", "10"));
        for (var endpoint : List.of("/v3/assets", "/v3/policydefinitions")) {
            var base = endpoint.equals("/v3/assets") ? asset : policy;
            for (var body : bodies(base, generator)) {
                probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", " + body.label(), endpoint, body.text(), Map.of("Content-Type", "application/json"),
                        Expect.NO_SERVER_ERROR));
            }
            probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", 5 MiB (over the console's limit)", endpoint,
                    HostileBodies.huge(base, "@id").text().substring(0, 5 * 1024 * 1024), Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
            probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", an id of 3 MiB", endpoint,
                    base.deepCopy().put("@id", "A".repeat(3 * 1024 * 1024)).toString(), Map.of("Content-Type", "application/json"), Expect.NO_SERVER_ERROR));
            probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", objects nested 100,000 deep", endpoint,
                    "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
            probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", arrays nested 1,000,000 deep", endpoint,
                    "[".repeat(1_000_000) + "]".repeat(1_000_000), Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
            var contentTypes = List.of("", "garbage", "application/json; charset=nope", "application/json; charset=", "text/plain", "application/xml",
                    "multipart/form-data; boundary=", "multipart/form-data", "application/x-www-form-urlencoded", "application/json;;;", "*/*",
                    "application/" + "x".repeat(2_000), "application/json\u0001");
            for (var i = 0; i < contentTypes.size(); i++) {
                var contentType = contentTypes.get(i);
                var body = base.deepCopy().put("@id", "hostile-console-content-type-" + i).toString();
                probes.add(() -> consoleCreate(provider, endpoint.substring(4) + ", Content-Type " + Exchange.excerpt(contentType, 40), endpoint, body,
                        Map.of("Content-Type", contentType), Expect.CLIENT_ERROR));
            }
            for (var accept : List.of("garbage", "application/xml", "text/html;q=abc", "application/json; charset=nope")) {
                probes.add(() -> consoleRaw(endpoint.substring(4) + " query, Accept " + accept, port, "POST", api + "/management" + endpoint + "/request",
                        Map.of("x-api-key", provider.managementKey(), "Content-Type", "application/json", "Accept", accept), bodyless, Expect.NO_SERVER_ERROR));
            }
        }
        // the files: names the console does not ship, and ways out of its folder
        for (var file : List.of("/nope.js", "/index.htm", "/INDEX.HTML", "/js/", "/js", "/js/nope.js", "/kakehashi-console/index.html",
                "/../META-INF/MANIFEST.MF", "/%2e%2e/META-INF/MANIFEST.MF", "/%2E%2E/%2E%2E/META-INF/MANIFEST.MF", "/%252e%252e/META-INF/MANIFEST.MF",
                "/..%2FMETA-INF%2FMANIFEST.MF", "/..%2fMETA-INF/MANIFEST.MF", "/..\\META-INF\\MANIFEST.MF", "/%5c..%5cMETA-INF/MANIFEST.MF",
                "/js/../../META-INF/MANIFEST.MF", "/js/%2e%2e/%2e%2e/META-INF/MANIFEST.MF", "/./../META-INF/MANIFEST.MF", "/..;/META-INF/MANIFEST.MF",
                "/%c0%ae%c0%ae/META-INF/MANIFEST.MF", "/META-INF/MANIFEST.MF", "/META-INF/services/org.eclipse.edc.spi.system.ServiceExtension",
                "/io/kakehashi/core/console/ApiForwarder.class", "/../io/kakehashi/core/console/ApiForwarder.class", "/%2e%2e/", "/%2e%2e",
                "/../", "/WEB-INF/web.xml", "/index.html%00.js", "/index.html%00", "/index.html/",
                "/" + "a".repeat(5_000) + ".js", "/" + "a/".repeat(2_000) + "a.js", "/%", "/%zz.js", "/\u0001.js", "/a%0d%0aSet-Cookie:%20x=1.js",
                "/.env", "/.git/config", "/js/api.js.map", "/file:///etc/passwd", "/%2fetc%2fpasswd", "//etc/passwd", "/C:%5cWindows%5cwin.ini")) {
            probes.add(() -> consoleRaw("file " + Exchange.excerpt(file, 60), port, "GET", root + file, Map.of(), null, Expect.CLIENT_ERROR));
        }
        for (var outside : List.of("/../META-INF/MANIFEST.MF", "/META-INF/MANIFEST.MF", "/x", "/../x")) {
            probes.add(() -> consoleRaw("outside the console's path " + outside, port, "GET", outside.startsWith("/..") ? root + outside : outside, Map.of(), null,
                    Expect.CLIENT_ERROR));
        }
        run(probes);

        // what a probe created through the forwarder was deleted again; the state test compares the rest
        System.out.println("hostile-input: console requests: " + campaign.requests("console"));
        campaign.assertNoFindings("console");
    }

    private Exchange consoleCall(String probe, String method, String path, String key, String body, Expect expect) {
        var headers = new LinkedHashMap<String, String>();
        if (key != null) {
            headers.put("x-api-key", key);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return consoleRaw(probe, java.net.URI.create(dataspace.providerSettings().consoleUrl()).getPort(), method, path, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), expect);
    }

    /** A creation through the console; what it created is deleted again through the management API itself. */
    private Exchange consoleCreate(ConnectorSettings connector, String probe, String path, String body, Map<String, String> extra, Expect expect) {
        var headers = new LinkedHashMap<String, String>(extra);
        headers.put("x-api-key", connector.managementKey());
        var console = java.net.URI.create(connector.consoleUrl());
        var exchange = consoleRaw(probe, console.getPort(), "POST", console.getPath() + "api/management" + path, headers, body.getBytes(StandardCharsets.UTF_8), expect);
        if (exchange.status() / 100 == 2) {
            try {
                var id = ManagementClient.mapper().readTree(exchange.body()).path("@id").asText();
                var deleted = campaign.send("cleanup", "delete", "DELETE", connector.managementUrl() + path + "/" + encode(id),
                        Map.of("x-api-key", connector.managementKey()), null);
                if (deleted.status() / 100 != 2) {
                    campaign.finding("console", "could not delete what " + probe + " created (" + Exchange.excerpt(id, 60) + "): " + deleted.status());
                }
            } catch (IOException e) {
                campaign.finding("console", probe + " answered " + exchange.status() + " with a body that is not JSON");
            }
        }
        return exchange;
    }

    /** One request to the console, byte for byte; an answer that shows a file from outside the console's folder is a finding too. */
    private Exchange consoleRaw(String probe, int port, String method, String target, Map<String, String> headers, byte[] body, Expect expect) {
        var exchange = campaign.sendRaw("console", probe, port, method, target, headers, body);
        var leaked = exchange.body().contains("Manifest-Version") || exchange.body().contains("io.kakehashi.core.console.ConsoleExtension")
                || exchange.body().contains("ApiForwarder.java") || exchange.body().contains("[core]") || exchange.body().contains("root:x:0:0");
        return campaign.check(exchange, expect, leaked ? "a file from outside the console's folder in the answer" : null);
    }

    // ---------------------------------------------------------------------------------------- the state and the logs

    // ------------------------------------------------------------------------------------------------ decision log

    /**
     * The decision log's public endpoints on the protocol context (decisions 0036, 0039): anyone on the network reaches them
     * without a token, so each hostile query, method and body must be a 4xx that keeps nothing.
     */
    @Test
    @Order(10)
    void decisionLog_hostileQueriesMethodsAndCosignaturesFromAnyone_shouldBe4xxAndKeepNothing() throws Exception {
        var base = dataspace.providerSettings().protocolUrl() + "/decision-log/v1";
        var probes = new ArrayList<Runnable>();
        var paths = List.of("/tree-head", "/proofs/consistency", "/checkpoint-keys", "/cosignatures", "/receipts");
        for (var path : paths) {
            for (var method : List.of("PUT", "DELETE", "PATCH")) {
                probes.add(() -> decisionLog(method + " " + path, method, base + path, "{}", Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
            }
        }
        probes.add(() -> decisionLog("GET /cosignatures", "GET", base + "/cosignatures", null, Map.of(), Expect.CLIENT_ERROR));
        probes.add(() -> decisionLog("POST /tree-head", "POST", base + "/tree-head", "{}", Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
        probes.add(() -> decisionLog("tree-head with a query", "GET", base + "/tree-head?size=" + "9".repeat(40), null, Map.of(), Expect.NO_SERVER_ERROR));
        var queries = new ArrayList<String>(List.of("from=abc", "to=-1", "from=2&to=1", "to=99999999999999999999", "from=1&from=2", "nosuch=1",
                "from=" + "9".repeat(64 * 1024), "to=1.5", "from=0&to=1000000000"));
        for (var id : HostileBodies.HOSTILE_IDS) {
            queries.add("to=" + encode(id));
        }
        for (var query : queries) {
            probes.add(() -> decisionLog("consistency?" + Exchange.excerpt(query, 40), "GET", base + "/proofs/consistency?" + query, null, Map.of(),
                    Expect.CLIENT_ERROR));
        }
        var cosignature = HostileBodies.object().put("cosignature", "eyJhbGciOiJub25lIn0.eyJ0cmVlU2l6ZSI6MX0.");
        var bodies = new ArrayList<>(HostileBodies.shapeless(cosignature, "http://127.0.0.1:9/context.jsonld"));
        bodies.addAll(HostileBodies.typeConfusions(cosignature));
        bodies.addAll(HostileBodies.hostileIds(cosignature, "cosignature"));
        bodies.add(HostileBodies.huge(cosignature, "cosignature"));
        bodies.add(new HostileBodies.Body("an unsigned JWS (alg none)", cosignature.toString()));
        bodies.add(new HostileBodies.Body("a JWS with a forged signature", HostileBodies.object()
                .put("cosignature", "eyJhbGciOiJFUzI1NiJ9.eyJ0cmVlU2l6ZSI6MSwicm9vdEhhc2giOiJhYSJ9.AAAA").toString()));
        bodies.add(new HostileBodies.Body("a second member", cosignature.deepCopy().put("extra", "x").toString()));
        for (var body : bodies) {
            probes.add(() -> decisionLog("cosignature, " + body.label(), "POST", base + "/cosignatures", body.text(),
                    Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
        }
        // receipts of a counterparty's decisions (decision 0039): the same bodies, about processes nobody shares with the sender
        var receipt = HostileBodies.object().put("receipt", "eyJhbGciOiJub25lIn0.eyJzZXF1ZW5jZSI6MX0.");
        var receiptBodies = new ArrayList<>(HostileBodies.shapeless(receipt, "http://127.0.0.1:9/context.jsonld"));
        receiptBodies.addAll(HostileBodies.typeConfusions(receipt));
        receiptBodies.addAll(HostileBodies.hostileIds(receipt, "receipt"));
        receiptBodies.add(HostileBodies.huge(receipt, "receipt"));
        receiptBodies.add(new HostileBodies.Body("an unsigned JWS (alg none)", receipt.toString()));
        receiptBodies.add(new HostileBodies.Body("a JWS with a forged signature", HostileBodies.object()
                .put("receipt", "eyJhbGciOiJFUzI1NiIsImtpZCI6ImRpZDp3ZWI6MTI3LjAuMC4xI2sifQ.eyJzZXF1ZW5jZSI6MX0.AAAA").toString()));
        // and deletion receipts (decision 0040), which take the same shape on their own path
        var receiptEndpoints = Map.of("receipt", base + "/receipts",
                "deletion receipt", dataspace.providerSettings().protocolUrl() + "/kakehashi/deletion/v1/receipts");
        receiptEndpoints.forEach((kind, url) -> {
            for (var body : receiptBodies) {
                probes.add(() -> decisionLog(kind + ", " + body.label(), "POST", url, body.text(), Map.of("Content-Type", "application/json"),
                        Expect.CLIENT_ERROR));
            }
            for (var method : List.of("GET", "PUT", "DELETE")) {
                probes.add(() -> decisionLog(method + " " + kind, method, url, method.equals("GET") ? null : "{}",
                        Map.of("Content-Type", "application/json"), Expect.CLIENT_ERROR));
            }
        });
        for (var contentType : List.of("text/plain", "application/xml", "application/json; charset=ebcdic", "multipart/form-data; boundary=x")) {
            probes.add(() -> decisionLog("cosignature as " + Exchange.excerpt(contentType, 30), "POST", base + "/cosignatures", cosignature.toString(),
                    Map.of("Content-Type", contentType), Expect.CLIENT_ERROR));
        }
        for (var trick : List.of("/../v1/tree-head", "/%2e%2e/management", "/tree-head/", "/tree-head;x=1", "/checkpoint-keys/../../../api/check/health",
                "//tree-head", "/TREE-HEAD")) {
            probes.add(() -> decisionLog("path " + trick, "GET", base + trick, null, Map.of(), Expect.NO_SERVER_ERROR));
        }
        run(probes);
        System.out.println("hostile-input: decision-log requests: " + campaign.requests("decision-log"));
        campaign.assertNoFindings("decision-log");
    }

    private Exchange decisionLog(String probe, String method, String url, String body, Map<String, String> headers, Expect expect) {
        return campaign.check(campaign.send("decision-log", probe, method, url, new LinkedHashMap<>(headers), body), expect);
    }

    @Test
    @Order(100)
    void afterTheCampaign_storedStateShouldBeUnchangedAndNoLogShouldHoldASecret() throws IOException {
        var after = dataspace.snapshot();
        for (var kind : before.keySet()) {
            if (!before.get(kind).equals(after.get(kind))) {
                campaign.finding("state", kind + " changed: before " + Exchange.excerpt(before.get(kind).toString(), 2_000)
                        + "\n   after " + Exchange.excerpt(after.get(kind).toString(), 2_000));
            }
        }
        for (var connector : dataspace.connectors()) {
            campaign.checkText("state", connector.settings().name() + "'s stored state",
                    after.entrySet().stream().filter(entry -> entry.getKey().startsWith(connector.settings().name())).map(entry -> entry.getValue().toString())
                            .reduce("", String::concat));
            campaign.checkText("state", connector.settings().name() + "'s log " + connector.log(), Files.readString(connector.log(), StandardCharsets.UTF_8));
        }
        for (var captured : attacker.all()) {
            campaign.checkText("state", "a request a connector sent to the attacker's server " + captured.method() + " " + captured.path(), captured.text());
            if (!captured.path().startsWith("/secret-")) {
                campaign.finding("state", "a connector called the attacker's server: " + captured.method() + " " + Exchange.excerpt(captured.path(), 200)
                        + " " + Exchange.excerpt(captured.body(), 300));
            }
        }
        campaign.assertNoFindings("state");
    }

    /** A finding for each request a connector sent to the attacker's server under {@code prefix}. */
    private void noCallsTo(String family, String prefix, String what) {
        for (var captured : attacker.received(prefix)) {
            campaign.checkText(family, "a request to the attacker's server", captured.text());
            campaign.finding(family, what + ": " + captured.method() + " " + Exchange.excerpt(captured.path(), 200) + " " + Exchange.excerpt(captured.body(), 300));
        }
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String upper(String key) {
        return key.toUpperCase(Locale.ROOT);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static void forEach(List<ConnectorProcess> connectors, Consumer<ConnectorSettings> action) {
        connectors.forEach(connector -> action.accept(connector.settings()));
    }
}
