package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.ml.AssetColumns;
import io.kakehashi.ai.ml.OnnxScoring;
import io.kakehashi.ai.spi.AssetResolver;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.policy.spi.DigestedPolicyContext;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The holder's runs of the vendors' models in its sealed store, on its own assets. Each run is decided in the
 * {@code model.run} policy scope against the model's agreement — the runs admitted so far ({@code ai.inferenceRuns}),
 * the time window, whether the agreement is still usable — which puts the decision in the decision log; an admitted
 * run is written to the durable ledger before the model runs. The model runs inside the connector ({@link OnnxScoring});
 * its predictions go to a file in the holder's predictions directory and nowhere else; the vendor gets a signed
 * report of the count (run number, time, model digest). Reports go out in order, on the {@code deliveries} executor
 * after each run; one the vendor's connector did not take is offered again before the next ({@link #deliverPending}).
 * Thread-safe: runs under one agreement are decided one at a time, by the ledger ({@link ModelRunLedger#admit}), across
 * the replicas that share it.
 */
public final class ModelRuns {

    /**
     * What the holder asks for.
     *
     * @param assetId  one of the holder's own assets (a {@code File} address, CSV or Parquet)
     * @param features the model's input columns in order; null for those the model's metadata names
     * @param labels   the classes in the model's output order; null for those the model names, or a regression when
     *                 neither names any
     * @param idColumn a column written beside each prediction to tell the rows apart; null for the row's position
     */
    public record RunRequest(String assetId, List<String> features, List<String> labels, String idColumn) {
    }

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SealedModelStore store;
    private final ModelRunLedger ledger;
    private final PolicyEngine policyEngine;
    private final AgreementStatus agreementStatus;
    private final AssetResolver assets;
    private final Path predictionsDirectory;
    private final ConnectorSigningKey signingKey;
    private final RunReportDelivery delivery;
    private final Clock clock;
    private final long memoryLimitBytes;
    private final java.util.concurrent.Executor deliveries;
    // reports go out under a lock of their own, so that a slow vendor never holds up the next run's decision
    private final Map<String, Object> deliveryLocks = new ConcurrentHashMap<>();

    /**
     * @param agreements      an agreement by this connector's or the protocol's id, null when there is none
     * @param agreementStatus whether an agreement may still be used; null when the connector has no such rule
     */
    public ModelRuns(String participantId, Function<String, ContractAgreement> agreements, SealedModelStore store, PolicyEngine policyEngine,
                     AgreementStatus agreementStatus, AssetResolver assets, Path predictionsDirectory, ConnectorSigningKey signingKey,
                     RunReportDelivery delivery, java.util.concurrent.Executor deliveries, Clock clock, long memoryLimitBytes,
                     ObjectMapper mapper) {
        this(participantId, agreements, store, policyEngine, agreementStatus, assets, predictionsDirectory, signingKey, delivery, deliveries, clock,
                memoryLimitBytes, new FileModelRunLedger(store::home, mapper));
    }

    /**
     * @param ledger where the runs are counted: the file ledger beside each model, or the PostgreSQL one replicas share
     */
    public ModelRuns(String participantId, Function<String, ContractAgreement> agreements, SealedModelStore store, PolicyEngine policyEngine,
                     AgreementStatus agreementStatus, AssetResolver assets, Path predictionsDirectory, ConnectorSigningKey signingKey,
                     RunReportDelivery delivery, java.util.concurrent.Executor deliveries, Clock clock, long memoryLimitBytes,
                     ModelRunLedger ledger) {
        this.participantId = Objects.requireNonNull(participantId, "participantId");
        this.agreements = agreements;
        this.store = store;
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policyEngine = policyEngine;
        this.agreementStatus = agreementStatus;
        this.assets = assets;
        this.predictionsDirectory = predictionsDirectory.toAbsolutePath().normalize();
        this.signingKey = signingKey;
        this.delivery = delivery;
        this.deliveries = deliveries;
        this.clock = clock;
        this.memoryLimitBytes = memoryLimitBytes;
        try {
            SealedModelStore.createPrivateDirectory(this.predictionsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("the predictions directory %s cannot be created".formatted(this.predictionsDirectory), e);
        }
    }

    /**
     * Decides and makes one run. Failures: not found (no such agreement of this connector as consumer, or no model
     * received under it), bad request (the asset or the columns), unauthorized (refused by the policy or the
     * agreement's status, with the reasons), unexpected (the run could not be recorded).
     */
    public ServiceResult<ModelRun> run(String agreementId, RunRequest request) {
        var found = model(agreementId);
        if (found.failed()) {
            return ServiceResult.notFound(found.getFailureDetail());
        }
        var agreement = found.getContent().agreement();
        var model = found.getContent().model();
        if (!store.held(model)) {
            return ServiceResult.notFound("the model received under agreement '%s' is no longer held: it was deleted".formatted(agreementId));
        }
        if (request == null || request.assetId() == null || request.assetId().isBlank()) {
            return ServiceResult.badRequest("assetId: name one of this connector's assets to run the model on");
        }
        var features = request.features() != null ? request.features() : model.features();
        if (features.isEmpty()) {
            return ServiceResult.badRequest("features: the model names no input columns; name them, in the model's input order");
        }
        var checked = AssetColumns.names("features", String.join(",", features));
        if (checked.failed()) {
            return ServiceResult.badRequest(checked.getFailureDetail());
        }
        var labels = request.labels() != null ? request.labels() : model.labels();
        if (request.idColumn() != null && AssetColumns.names("idColumn", request.idColumn()).failed()) {
            return ServiceResult.badRequest("idColumn: '%s' is not a column name".formatted(request.idColumn()));
        }
        var asset = assets.resolve(request.assetId());
        if (asset.failed()) {
            return ServiceResult.badRequest("assetId '%s': %s".formatted(request.assetId(), asset.getFailureDetail()));
        }
        // read before the decision, so that a request the data cannot serve does not use up a run
        var data = AssetColumns.read(asset.getContent(), checked.getContent(), request.idColumn(), memoryLimitBytes);
        if (data.failed()) {
            return ServiceResult.badRequest(data.getFailureDetail());
        }
        var admitted = admit(agreement, model, request.assetId());
        if (admitted.failed()) {
            return admitted;
        }
        var run = admitted.getContent();
        try {
            run = score(model, run, data.getContent(), checked.getContent().size(), labels, request.idColumn());
        } catch (RuntimeException e) {
            // the sealed file unreadable or changed: the run was admitted and counts, it failed
            run = run.failed("the model could not be run: " + e.getMessage());
        }
        ledger.write(run);
        // the report goes out off the request's thread: a vendor that is slow or down does not hold the holder's answer
        deliveries.execute(() -> deliverPending(model));
        var latest = run;
        return ServiceResult.success(ledger.runs(model.localAgreementId()).stream().filter(r -> r.run() == latest.run()).findFirst().orElse(run));
    }

    /** The runs under an agreement, oldest first; not found as {@link #run} says. */
    public ServiceResult<List<ModelRun>> runs(String agreementId) {
        var found = model(agreementId);
        return found.failed() ? ServiceResult.notFound(found.getFailureDetail())
                : ServiceResult.success(ledger.runs(found.getContent().model().localAgreementId()));
    }

    /** Offers the vendor, in order, every report it has not taken; stops at the first it does not take. */
    public void deliverPending(SealedModel model) {
        synchronized (deliveryLocks.computeIfAbsent(model.localAgreementId(), id -> new Object())) {
            for (var run : ledger.unreported(model.localAgreementId())) {
                var report = RunReports.sign(RunReports.payload(model, participantId, run), signingKey.current());
                if (delivery.deliver(model, report).failed()) {
                    return;
                }
                ledger.write(run.reportedToVendor());
            }
        }
    }

    /** Offers every sealed model's pending reports again (the extension calls it on a timer). */
    public void deliverAllPending() {
        store.list().forEach(this::deliverPending);
    }

    private ServiceResult<ModelRun> admit(ContractAgreement agreement, SealedModel model, String assetId) {
        // the ledger decides the runs of one agreement one at a time, in every replica that shares it
        try {
            return ledger.admit(model.localAgreementId(), soFar -> {
                if (agreementStatus != null) {
                    var usable = agreementStatus.usable(agreement.getId());
                    if (usable.failed()) {
                        return ServiceResult.unauthorized(usable.getFailureDetail());
                    }
                }
                var now = clock.instant();
                var context = new ModelRunPolicyContext(agreement, now, soFar, Map.of(DigestedPolicyContext.MODEL, model.sha256()));
                var decision = policyEngine.evaluate(agreement.getPolicy(), context);
                if (decision.failed()) {
                    var reasons = context.getProblems().isEmpty() ? decision.getFailureDetail() : String.join("; ", context.getProblems());
                    return ServiceResult.unauthorized("denied by policy: " + reasons);
                }
                return ServiceResult.success(new ModelRun(model.localAgreementId(), soFar + 1, UUID.randomUUID().toString(), now, assetId,
                        model.sha256(), ModelRun.State.ADMITTED, 0, null, null, false));
            });
        } catch (UncheckedIOException | EdcPersistenceException e) {
            return ServiceResult.unexpected("the run could not be recorded, so it was not made");
        }
    }

    private ModelRun score(SealedModel model, ModelRun run, AssetColumns data, int featureCount, List<String> labels, String idColumn) {
        var scores = OnnxScoring.score(store.weights(model), featureCount, data.features(), () -> false, done -> { });
        if (scores.failed()) {
            return run.failed(scores.getFailureDetail());
        }
        var csv = new StringBuilder(idColumn == null ? "row" : csvField(idColumn)).append(",prediction\n");
        for (var i = 0; i < scores.getContent().length; i++) {
            String prediction;
            if (labels.isEmpty()) {
                if (scores.getContent()[i].length != 1) {
                    return run.failed("the model scores %d classes; name them (labels) to run it as a classifier".formatted(scores.getContent()[i].length));
                }
                prediction = Float.toString(scores.getContent()[i][0]);
            } else {
                var label = OnnxScoring.argmax(scores.getContent()[i], labels);
                if (label.failed()) {
                    return run.failed(label.getFailureDetail());
                }
                prediction = label.getContent();
            }
            csv.append(idColumn == null ? Integer.toString(i) : csvField(data.labels()[i])).append(',').append(csvField(prediction)).append('\n');
        }
        var file = predictionsDirectory.resolve("run-%s.csv".formatted(run.runId()));
        try {
            Files.write(file, csv.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            SealedModelStore.restrict(file);
        } catch (IOException e) {
            return run.failed("the predictions could not be written");
        }
        return run.completed(scores.getContent().length, file.toString());
    }

    private record Found(ContractAgreement agreement, SealedModel model) {
    }

    private Result<Found> model(String agreementId) {
        var agreement = agreementId == null ? null : agreements.apply(agreementId);
        if (agreement == null || !participantId.equals(agreement.getConsumerId())) {
            return Result.failure("agreement '%s' is not an agreement under which this connector received a model".formatted(agreementId));
        }
        return store.find(agreement.getId()).map(model -> Result.success(new Found(agreement, model)))
                .orElseGet(() -> Result.failure("no model has been received under agreement '%s'".formatted(agreementId)));
    }

    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
