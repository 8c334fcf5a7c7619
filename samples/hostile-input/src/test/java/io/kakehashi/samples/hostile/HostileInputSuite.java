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
        var foreignTransfer = transferRequest(dataspace.bystanderAgreementId(), "urn:uuid:" + UUID.nameUUIDFromBytes(new byte[]{2}),
                attacker.url("/dsp-destination"), attacker.url("/dsp-callback"));
        probes.addAll(dspProbes(bodies, "transfer request under another's agreement", "POST", dsp + "/transfers/request", foreignTransfer,
                Expect.CLIENT_ERROR, "consumerPid"));
        var ownTransfer = transferRequest(dataspace.consumerAgreementId(), "urn:uuid:x", attacker.url("/dsp-destination"), attacker.url("/dsp-callback"));
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
        assertThat(attacker.received("/jsonld-context")).as("a remote JSON-LD context was fetched from the attacker's address").isEmpty();
        campaign.assertNoFindings("dsp");
    }

    /**
     * The probes for one DSP endpoint: the shapeless bodies and type confusions with every credential (none, garbage,
     * a member's), hostile ids and 10 MB in {@code idField} with a member's token and none, and random mutations with
     * a member's token.
     */
    private List<Runnable> dspProbes(HostileBodies generator, String name, String method, String url, ObjectNode base, Expect memberExpect, String idField) {
        var probes = new ArrayList<Runnable>();
        var fixed = new ArrayList<Body>(HostileBodies.shapeless(base, attacker.url("/jsonld-context")));
        fixed.addAll(HostileBodies.typeConfusions(base));
        fixed.add(new Body("well-formed", base.toString()));
        for (var body : fixed) {
            var label = name + ", " + body.label();
            probes.add(() -> member("dsp", label, method, url, body.text(), body.label().equals("well-formed") ? memberExpect : worst(memberExpect)));
            probes.add(() -> anonymous("dsp", label + ", no token", method, url, null, body.text(), Expect.CLIENT_ERROR));
            probes.add(() -> anonymous("dsp", label + ", garbage token", method, url, GARBAGE_TOKEN, body.text(), Expect.CLIENT_ERROR));
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

    // ---------------------------------------------------------------------------------------- the state and the logs

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
