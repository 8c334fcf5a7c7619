package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.ai.ml.TrainingJobRunner;
import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.constraints.TimeConstraintsExtension;
import io.kakehashi.policy.constraints.ai.ModelRunScopeExtension;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRules;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.json.JacksonTypeManager;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/** A vendor's trained model, a holder's machine data, agreements on both sides, keys and EDC's policy engine. */
final class ModelAssetsTestFixtures {

    static final String VENDOR = "did:web:vendor.example";
    static final String HOLDER = "did:web:maker.example";
    static final String DSP_AGREEMENT = "agreement-1";
    static final String MODEL_ASSET = "spindle-failure-model";
    static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
    static final String FEATURES = "temperature,vibration,spindle_hours";

    private ModelAssetsTestFixtures() {
    }

    static ObjectMapper mapper() {
        return new JacksonTypeManager().getMapper();
    }

    /** {@code rows} machines: temperature, vibration, spindle hours and whether they failed (a logistic function of them). */
    static Path machineCsv(Path file, int rows, long seed) throws IOException {
        var random = new Random(seed);
        var csv = new StringBuilder("id,temperature,vibration,spindle_hours,failure\n");
        for (var i = 0; i < rows; i++) {
            var temperature = 50 + random.nextGaussian() * 10;
            var vibration = random.nextGaussian() * 2;
            var hours = random.nextDouble() * 10;
            var logit = 0.25 * (temperature - 55) + 1.2 * vibration + 0.3 * (hours - 5);
            csv.append("m-").append(i).append(',').append("%.3f".formatted(temperature)).append(',').append("%.3f".formatted(vibration))
                    .append(',').append("%.3f".formatted(hours)).append(',')
                    .append(random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no").append('\n');
        }
        return Files.writeString(file, csv);
    }

    /** The vendor's model, trained on the vendor's own data and exported as ONNX (with its features and labels in its metadata). */
    static byte[] vendorModel(Path dir) throws IOException {
        var data = machineCsv(dir.resolve("vendor-training.csv"), 1500, 11);
        var training = JobDescription.of(JobType.TRAINING, Map.of("features", FEATURES, "label", "failure", "epochs", "10"));
        var job = JobRecord.queued("training-1", "vendor-own", "vendor-data", VENDOR, training, Instant.now());
        var run = new JobRun(job, training, new TabularAsset(data, TabularAsset.Format.CSV), new JobLimits(Duration.ofSeconds(60), 256L << 20),
                OptionalLong.empty(), true, fraction -> { }, new CancellationSignal());
        return ((JobOutput.Model) new TrainingJobRunner().run(run).getContent()).onnx();
    }

    static AtomicConstraint constraint(String leftOperand, Operator operator, Object rightOperand) {
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                .rightExpression(new LiteralExpression(rightOperand)).build();
    }

    /** Inference only: at most {@code runs} runs within 30 days of signing. */
    static Policy inferenceOnly(long runs) {
        return Policy.Builder.newInstance().permission(Permission.Builder.newInstance()
                .action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .constraints(List.of(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, Long.toString(runs)),
                        constraint("http://www.w3.org/ns/odrl/2/elapsedTime", Operator.LEQ, "P30D"),
                        constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "false")))
                .build()).build();
    }

    /** The agreement as one side keeps it: the same DSP id and policy, a local id of its own. */
    static ContractAgreement agreement(String localId, Policy policy) {
        return ContractAgreement.Builder.newInstance().id(localId).agreementId(DSP_AGREEMENT).providerId(VENDOR).consumerId(HOLDER)
                .assetId(MODEL_ASSET).contractSigningDate(SIGNED.getEpochSecond()).policy(policy).build();
    }

    /** EDC's policy engine with the model-run scope and the time constraints, as the connector registers them. */
    static PolicyEngine engine(Clock clock) {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        var registrar = new ConstraintRegistrar(engine, bindings, new OperandRules());
        ModelRunScopeExtension.register(engine, bindings, registrar);
        TimeConstraintsExtension.register(bindings, registrar, clock);
        return engine;
    }

    static ECKey key(String participant) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(participant + "#key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
