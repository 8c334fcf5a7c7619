package io.kakehashi.lineage.provenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.AssetLineage;
import io.kakehashi.policy.constraints.ai.DerivationConstraintFunction;
import io.kakehashi.policy.constraints.ai.ModelRightsConstraintFunction;
import io.kakehashi.policy.validation.OperandRule;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * When this connector, as a provider, completes a transfer of an asset it derived from what it received, it signs a
 * provenance statement — the agreements and data digests the asset comes from and the rights those agreements state
 * — and POSTs it to the recipient's protocol context ({@value #PATH}). A recipient that does not take it (404, no
 * answer) is logged, never retried: the transfer itself is unaffected. Thread-safe.
 */
public final class ProvenanceSender implements TransferProcessListener {

    public static final String PATH = "/kakehashi/provenance/v1/statements";

    private final String participantId;
    private final AssetIndex assets;
    private final AssetLineage lineage;
    private final Function<String, ContractAgreement> agreements;
    private final ConnectorSigningKey signingKey;
    private final EdcHttpClient client;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Monitor monitor;
    // EDC may tell a listener of one completion more than once; a statement is sent once per process
    private final java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ProvenanceSender(String participantId, AssetIndex assets, AssetLineage lineage, Function<String, ContractAgreement> agreements,
                            ConnectorSigningKey signingKey, EdcHttpClient client, ObjectMapper mapper, Clock clock, Monitor monitor) {
        this.participantId = participantId;
        this.assets = assets;
        this.lineage = lineage;
        this.agreements = agreements;
        this.signingKey = signingKey;
        this.client = client;
        this.mapper = mapper;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public void completed(TransferProcess process) {
        if (process.getType() != TransferProcess.Type.PROVIDER || !sent.add(process.getId())) {
            return;
        }
        try {
            var statement = statement(process);
            if (statement != null) {
                send(protocolBase(process.getCounterPartyAddress()), statement);
            }
        } catch (RuntimeException | IOException e) {
            monitor.warning("Provenance of transfer %s not delivered: %s".formatted(process.getId(), e.getMessage()));
        }
    }

    /** The signed statement for the process's asset, or null when the asset derives from nothing received. */
    public String statement(TransferProcess process) {
        var asset = assets.findById(process.getAssetId());
        var outgoing = agreements.apply(process.getContractId());
        if (asset == null || outgoing == null) {
            return null;
        }
        var records = lineage.of(asset).records();
        if (records.isEmpty()) {
            return null;
        }
        var sources = new ArrayList<Map<String, Object>>();
        for (var record : records) {
            var upstream = agreements.apply(record.agreementId());
            var source = new LinkedHashMap<String, Object>();
            source.put("lineageId", record.id());
            source.put("kind", record.kind().name());
            source.put("sha256", record.sha256());
            source.put("agreementId", upstream == null || upstream.getAgreementId() == null ? record.agreementId() : upstream.getAgreementId());
            source.put("providerId", record.providerId());
            source.put("modelRights", upstream == null ? null : value(upstream.getPolicy(), ModelRightsConstraintFunction.RULE));
            source.put("derivedData", upstream == null ? null : DerivationConstraintFunction.of(upstream.getPolicy(), DerivationConstraintFunction.DERIVED_DATA)
                    .map(DerivationConstraintFunction.Allowance::term).orElse(null));
            source.put("derivedModels", upstream == null ? null : DerivationConstraintFunction.of(upstream.getPolicy(), DerivationConstraintFunction.DERIVED_MODELS)
                    .map(DerivationConstraintFunction.Allowance::term).orElse(null));
            sources.add(source);
        }
        var payload = new LinkedHashMap<String, Object>();
        payload.put("assetId", asset.getId());
        payload.put("exporterId", participantId);
        payload.put("recipientId", outgoing.getConsumerId());
        payload.put("agreementId", outgoing.getAgreementId() == null ? outgoing.getId() : outgoing.getAgreementId());
        payload.put("issuedAt", clock.instant().toString());
        payload.put("sources", sources);
        return ProvenanceStatements.sign(payload, signingKey.current());
    }

    private static String value(Policy policy, OperandRule<String> rule) {
        return policy.getPermissions().stream().flatMap(p -> p.getConstraints().stream())
                .filter(AtomicConstraint.class::isInstance).map(AtomicConstraint.class::cast)
                .filter(c -> c.getLeftExpression() instanceof LiteralExpression left && rule.leftOperand().equals(left.asString()))
                .filter(c -> c.getRightExpression() instanceof LiteralExpression)
                .map(c -> rule.read(c.getOperator(), ((LiteralExpression) c.getRightExpression()).getValue()))
                .filter(r -> r.succeeded()).map(r -> r.getContent()).findFirst().orElse(null);
    }

    private void send(String base, String statement) throws IOException {
        var body = mapper.createObjectNode().put("statement", statement).toString();
        var request = new Request.Builder().url(base + PATH).post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.execute(request)) {
            if (response.code() != 200) {
                monitor.warning("Provenance statement not kept by the recipient: it answered %d".formatted(response.code()));
            }
        }
    }

    static String protocolBase(String dspAddress) {
        var address = dspAddress.endsWith("/") ? dspAddress.substring(0, dspAddress.length() - 1) : dspAddress;
        var slash = address.lastIndexOf('/');
        if (slash > "https://".length() && address.substring(slash + 1).matches("\\d{4}-\\d+|v\\d+(\\.\\d+)*")) {
            address = address.substring(0, slash);
        }
        return address;
    }
}
