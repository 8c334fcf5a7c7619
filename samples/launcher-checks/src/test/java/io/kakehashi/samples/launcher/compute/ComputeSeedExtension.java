package io.kakehashi.samples.launcher.compute;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: put beside the launcher jar (never in it) by {@code ComputeInLauncherTest}, it stands in for a consumer's
 * connector, so that one connector suffices to check the launcher's compute. In mode {@code submit} it creates a {@code File} asset, submits an SQL
 * job to the connector's own {@link ComputeJobService} under an agreement it makes up (purpose analytics, k = 5),
 * waits for the job and charges ε 0.75 of a budget of 1.0; in mode {@code check} it reads the ε spent and tries to
 * charge 0.5 more. Either way it writes what it saw to {@value #OUT} as properties. Everything else — the policy
 * decision, DuckDB, the stores, PostgreSQL — is the launcher's own.
 */
public class ComputeSeedExtension implements ServiceExtension {

    public static final String MODE = "kakehashi.test.compute.seed.mode";
    public static final String OUT = "kakehashi.test.compute.seed.out";
    public static final String DATA = "kakehashi.test.compute.seed.data";
    public static final String AGREEMENT_ID = "launcher-compute-agreement";
    public static final String ASSET_ID = "launcher-compute-asset";

    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private ComputeJobService jobs;
    @Inject
    private EpsilonLedger ledger;
    @Inject
    private AssetIndex assets;

    private String mode;
    private Path out;
    private String data;
    private String participantContextId;

    @Override
    public String name() {
        return "Kakehashi launcher check: compute seed (test only)";
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        mode = context.getConfig().getString(MODE);
        out = Path.of(context.getConfig().getString(OUT));
        data = context.getConfig().getString(DATA, null);
        // the connector runs one participant, whose context id is its participant id unless configured
        participantContextId = context.getConfig().getString("edc.participant.context.id", context.getConfig().getString("edc.participant.id"));
    }

    @Override
    public void start() {
        var seen = new Properties();
        try {
            if ("submit".equals(mode)) {
                submit(seen);
            } else {
                seen.setProperty("spent", String.valueOf(ledger.spent(AGREEMENT_ID)));
                var more = ledger.charge(AGREEMENT_ID, "second-charge", 0.5, 1.0);
                seen.setProperty("secondCharge", more.succeeded() ? "charged" : more.getFailureDetail());
            }
        } catch (Exception e) {
            seen.setProperty("error", e.toString());
        }
        try (Writer writer = Files.newBufferedWriter(out)) {
            seen.store(writer, "compute seed, mode " + mode);
        } catch (IOException e) {
            throw new EdcException(e);
        }
    }

    private void submit(Properties seen) throws Exception {
        var asset = Asset.Builder.newInstance().id(ASSET_ID).participantContextId(participantContextId).property("name", "machine operation data")
                .dataAddress(DataAddress.Builder.newInstance().type("File").property("path", data).build()).build();
        var created = assets.create(asset);
        if (created.failed()) {
            throw new IllegalStateException("asset: " + created.getFailureDetail());
        }
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .constraint(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics"))
                .constraint(constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "5"))
                .build();
        var agreement = ContractAgreement.Builder.newInstance().id(AGREEMENT_ID).agreementId(AGREEMENT_ID).participantContextId(participantContextId)
                .providerId("launcher-provider").consumerId("ai-vendor").assetId(ASSET_ID)
                .contractSigningDate(System.currentTimeMillis() / 1000)
                .policy(Policy.Builder.newInstance().permission(permission).build()).build();
        // held by a FINALIZED negotiation, as every agreement the connector acts on is (docs/decisions/0019)
        negotiations.save(ContractNegotiation.Builder.newInstance().id("negotiation-" + AGREEMENT_ID).correlationId("consumer-" + AGREEMENT_ID)
                .participantContextId(participantContextId)
                .counterPartyId("ai-vendor").counterPartyAddress("http://127.0.0.1:1/protocol").protocol("dataspace-protocol-http:2025-1")
                .type(ContractNegotiation.Type.PROVIDER).state(ContractNegotiationStates.FINALIZED.code())
                .contractAgreement(agreement).build());
        var query = JobDescription.of(JobType.SQL, Map.of("query", "SELECT region, count(*) AS machines, avg(temperature) AS t FROM asset GROUP BY region"));

        var submitted = jobs.submit(new ParticipantAgent("ai-vendor", Map.of(), Map.of()), agreement, query);
        if (submitted.failed()) {
            throw new IllegalStateException("submit: " + submitted.getFailureDetail());
        }
        var job = submitted.getContent();
        var done = jobs.whenFinished(job.id()).orElseThrow().get(2, TimeUnit.MINUTES);
        seen.setProperty("jobId", done.id());
        seen.setProperty("state", done.state().name());
        seen.setProperty("reason", String.valueOf(done.reason()));
        seen.setProperty("resultHash", String.valueOf(done.resultHash()));
        var charged = ledger.charge(AGREEMENT_ID, "first-charge", 0.75, 1.0);
        seen.setProperty("firstCharge", charged.succeeded() ? "charged" : charged.getFailureDetail());
        seen.setProperty("spent", String.valueOf(ledger.spent(AGREEMENT_ID)));
    }

    private static AtomicConstraint constraint(String leftOperand, Operator operator, String rightOperand) {
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                .rightExpression(new LiteralExpression(rightOperand)).build();
    }
}
