package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kakehashi.ai.core.federated.FederatedAveraging;
import io.kakehashi.ai.extension.ComputeJsonLd;
import io.kakehashi.ai.extension.ComputeRequestShape;
import io.kakehashi.ai.core.federated.RoundReport;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import io.kakehashi.ai.spi.FederatedParticipant;
import io.kakehashi.ai.spi.RemoteTraining;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Federated trainings this connector coordinates across providers: {@link FederatedAveraging} over
 * {@link TransportFederatedParticipant}s, one per agreement (each with its provider's address), for N rounds with a
 * deadline per round. Each training is tracked while it runs — the report of every finished round (who answered, who
 * dropped out and why, rows, bytes, time, each holder's job of that round), the global weights after it — in a
 * {@link RemoteTrainingStore}, after every round. A training is not resumed after a restart of the connector: one
 * that was RUNNING is marked FAILED by {@link #failInterrupted()}. Thread-safe.
 */
public final class RemoteTrainings {

    /** Trainings of more rounds are refused. */
    public static final int MAX_ROUNDS = 1000;
    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();
    private static final Set<String> MEMBERS = Set.of("participants", "rounds", "roundDeadline", "quorum", "initialWeights", "parameters");
    private static final Set<String> PARTICIPANT_MEMBERS = Set.of("agreementId", "counterPartyAddress", "counterPartyId");

    private final RemoteComputeJobs jobs;
    private final RemoteTrainingStore store;
    private final ExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;

    public RemoteTrainings(RemoteComputeJobs jobs, RemoteTrainingStore store, ExecutorService executor, Clock clock, Monitor monitor) {
        this.jobs = jobs;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
    }

    /** One holder of a training: the agreement with it and its DSP address. */
    public record Holder(String agreementId, String counterPartyAddress, String counterPartyId) { }

    /** A training as asked for. */
    public record Request(List<Holder> participants, int rounds, Duration roundDeadline, int quorum, double[] initialWeights,
                          Map<String, String> parameters) { }

    /** Where a training stands. */
    public enum State { RUNNING, COMPLETED, STOPPED, FAILED }

    /** A finished round as reported: {@link RoundReport} with the holders' jobs of that round. */
    public record Round(int round, List<String> answered, Map<String, String> dropped, long samples, long bytesSent,
                        long bytesReceived, long durationMillis, Map<String, String> jobs) { }

    /**
     * A training request's JSON-LD form (type {@code kh:FederatedTrainingRequest}), read into the plain form's members
     * and then by {@link #parse}.
     */
    public static final ComputeRequestShape REQUEST_SHAPE = new ComputeRequestShape(ComputeJsonLd.TRAINING_REQUEST, true,
            Set.of("participants", "rounds", "roundDeadline", "parameters"), Set.of("quorum", "initialWeights"),
            Set.of("participants", "initialWeights"),
            Map.of("participants", new ComputeRequestShape(ComputeJsonLd.TRAINING_PARTICIPANT, false, Set.of("agreementId", "counterPartyAddress"),
                    Set.of("counterPartyId"), Set.of(), Map.of())));

    /**
     * A training as the management API shows it, compacted JSON-LD ({@link ComputeJsonLd#CONTEXT}; {@code id} repeats
     * {@code @id} for clients of the plain form).
     */
    @JsonPropertyOrder({"@context", "@type", "@id"})
    public record Training(@JsonProperty("@context") Map<String, Object> context, @JsonProperty("@type") String jsonLdType,
                           @JsonProperty("@id") String jsonLdId,
                           String id, State state, int rounds, List<String> participants, int quorum, String roundDeadline,
                           List<Round> reports, double[] weights, String reason, String createdAt, String updatedAt) {

        static Training of(RemoteTraining stored) {
            return new Training(ComputeJsonLd.CONTEXT, ComputeJsonLd.TRAINING, stored.id(),
                    stored.id(), State.valueOf(stored.state().name()), stored.rounds(), stored.participants(), stored.quorum(),
                    stored.roundDeadline(), stored.reports().stream().map(r -> new Round(r.round(), r.answered(), r.dropped(), r.samples(),
                    r.bytesSent(), r.bytesReceived(), r.durationMillis(), r.jobs())).toList(),
                    stored.weights().stream().mapToDouble(Double::doubleValue).toArray(), stored.reason(), stored.createdAt().toString(),
                    stored.updatedAt().toString());
        }
    }

    /**
     * Reads a training request:
     * {@code {"participants": [{"agreementId", "counterPartyAddress", "counterPartyId"?}], "rounds", "roundDeadline"
     * (ISO 8601), "quorum"? (all), "parameters": {"features", "label", "positive", …}, "initialWeights"? (zeros)}}.
     */
    public static Result<Request> parse(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Result.failure("the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return Result.failure("the body must be a JSON object with participants, rounds, roundDeadline and parameters");
        }
        var unknown = unknownMember(root, MEMBERS);
        if (unknown != null) {
            return Result.failure("unknown member '%s'".formatted(unknown));
        }
        var list = root.path("participants");
        if (!list.isArray() || list.isEmpty()) {
            return Result.failure("participants: a non-empty list of {agreementId, counterPartyAddress, counterPartyId?}");
        }
        var holders = new ArrayList<Holder>();
        for (var i = 0; i < list.size(); i++) {
            var item = list.get(i);
            if (!item.isObject() || unknownMember(item, PARTICIPANT_MEMBERS) != null) {
                return Result.failure("participants[%d]: an object with agreementId, counterPartyAddress and optionally counterPartyId".formatted(i));
            }
            if (!item.path("agreementId").isTextual() || item.path("agreementId").asText().isBlank()) {
                return Result.failure("participants[%d].agreementId: name the agreement with that holder".formatted(i));
            }
            if (!item.path("counterPartyAddress").isTextual() || !isHttpUrl(item.path("counterPartyAddress").asText())) {
                return Result.failure("participants[%d].counterPartyAddress: the holder's DSP address, an http(s) URL".formatted(i));
            }
            var id = item.path("counterPartyId");
            if (!id.isMissingNode() && !id.isNull() && !id.isTextual()) {
                return Result.failure("participants[%d].counterPartyId: must be a string".formatted(i));
            }
            var holder = new Holder(item.path("agreementId").asText(), item.path("counterPartyAddress").asText(), id.isTextual() ? id.asText() : null);
            if (holders.stream().anyMatch(h -> h.agreementId().equals(holder.agreementId()))) {
                return Result.failure("participants[%d].agreementId: agreement %s is listed twice".formatted(i, holder.agreementId()));
            }
            holders.add(holder);
        }
        var rounds = root.path("rounds");
        if (!rounds.canConvertToInt() || !rounds.isIntegralNumber() || rounds.asInt() < 1 || rounds.asInt() > MAX_ROUNDS) {
            return Result.failure("rounds: a whole number from 1 to " + MAX_ROUNDS);
        }
        Duration deadline;
        try {
            deadline = Duration.parse(root.path("roundDeadline").asText());
        } catch (DateTimeParseException e) {
            return Result.failure("roundDeadline: an ISO 8601 duration such as PT2M");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            return Result.failure("roundDeadline: must be positive");
        }
        var quorumNode = root.path("quorum");
        var quorum = holders.size();
        if (!quorumNode.isMissingNode() && !quorumNode.isNull()) {
            if (!quorumNode.isIntegralNumber() || quorumNode.asInt() < 1 || quorumNode.asInt() > holders.size()) {
                return Result.failure("quorum: a whole number from 1 to the %d participants".formatted(holders.size()));
            }
            quorum = quorumNode.asInt();
        }
        var given = root.path("parameters");
        if (!given.isObject()) {
            return Result.failure("parameters: an object of strings with at least features, label and positive");
        }
        var parameters = new LinkedHashMap<String, String>();
        for (var fields = given.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                return Result.failure("parameters.%s: must be a string".formatted(field.getKey()));
            }
            parameters.put(field.getKey(), field.getValue().asText());
        }
        for (var needed : List.of("features", "label", "positive")) {
            if (parameters.getOrDefault(needed, "").isBlank()) {
                return Result.failure("parameters.%s: required for a federated round".formatted(needed));
            }
        }
        if (parameters.containsKey(FederatedAveraging.ROUND)) {
            return Result.failure("parameters.round: set by the coordinator for each round");
        }
        var size = parameters.get("features").split(",").length + 1;
        var weights = new double[size];
        var initial = root.path("initialWeights");
        if (!initial.isMissingNode() && !initial.isNull()) {
            if (!initial.isArray() || initial.size() != size) {
                return Result.failure("initialWeights: %d numbers (a bias and one per feature)".formatted(size));
            }
            for (var i = 0; i < size; i++) {
                if (!initial.get(i).isNumber() || !Double.isFinite(initial.get(i).asDouble())) {
                    return Result.failure("initialWeights[%d]: not a finite number".formatted(i));
                }
                weights[i] = initial.get(i).asDouble();
            }
        }
        return Result.success(new Request(List.copyOf(holders), rounds.asInt(), deadline, quorum, weights, Map.copyOf(parameters)));
    }

    /** Starts a training; {@code badRequest} when an agreement is not one this connector may send jobs under. */
    public ServiceResult<Training> start(Request request) {
        var participants = new ArrayList<TransportFederatedParticipant>();
        for (var holder : request.participants()) {
            var agreement = jobs.agreementFor(holder.agreementId(), holder.counterPartyId());
            if (agreement.failed()) {
                return ServiceResult.badRequest(agreement.getFailureDetail());
            }
            var providerId = agreement.getContent().getProviderId();
            participants.add(new TransportFederatedParticipant(jobs, holder.agreementId(), holder.counterPartyAddress(), holder.counterPartyId(),
                    "%s (%s)".formatted(providerId, holder.agreementId())));
        }
        var now = clock.instant();
        var training = RemoteTraining.running(UUID.randomUUID().toString(), request.rounds(),
                participants.stream().map(FederatedParticipant::id).toList(), request.quorum(), request.roundDeadline().toString(),
                weights(request.initialWeights()), now);
        var created = store.create(training);
        if (created.failed()) {
            return ServiceResult.unexpected(created.getFailureDetail());
        }
        try {
            executor.execute(() -> run(training.id(), participants, request));
        } catch (RejectedExecutionException e) {
            store.update(training.id(), t -> t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), "the connector is shutting down", clock.instant()));
        }
        return ServiceResult.success(find(training.id()).orElseThrow());
    }

    public Optional<Training> find(String id) {
        return store.findById(id).map(Training::of);
    }

    public List<Training> list() {
        return store.findAll().stream().map(Training::of).toList();
    }

    /**
     * Marks every training still RUNNING in the store FAILED with the round it was in: at the start of the connector
     * those were running when it stopped, and a training is not resumed (its holders' jobs of that round were
     * cancelled or ended without a coordinator). Answers how many it marked.
     */
    public int failInterrupted() {
        var marked = 0;
        for (var training : store.findRunning()) {
            var round = training.currentRound();
            var failed = store.update(training.id(), t -> t.state().isFinal() ? t
                    : t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), "the connector restarted during round " + round, clock.instant()));
            if (failed.succeeded() && failed.getContent().state() == RemoteTraining.State.FAILED) {
                marked++;
                monitor.warning("federated training %s: the connector restarted during round %d; it is marked FAILED, not resumed".formatted(training.id(), round));
            }
        }
        return marked;
    }

    private void run(String id, List<TransportFederatedParticipant> participants, Request request) {
        try {
            var coordinator = new FederatedAveraging(List.copyOf(participants), request.roundDeadline(), request.quorum(), clock);
            var result = coordinator.train(request.initialWeights(), request.parameters(), request.rounds(), (report, weights) -> {
                var jobsOfRound = new LinkedHashMap<String, String>();
                participants.forEach(p -> Optional.ofNullable(p.jobsByRound().get(report.round())).ifPresent(job -> jobsOfRound.put(p.id(), job)));
                var round = new RemoteTraining.Round(report.round(), report.answered(), report.dropped(), report.samples(), report.bytesSent(),
                        report.bytesReceived(), report.duration().toMillis(), jobsOfRound);
                update(id, t -> {
                    var reports = new ArrayList<>(t.reports());
                    reports.add(round);
                    return t.with(RemoteTraining.State.RUNNING, reports, weights(weights), null, clock.instant());
                });
            });
            update(id, t -> result.failed()
                    ? t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), result.getFailureDetail(), clock.instant())
                    : result.getContent().completed()
                    ? t.with(RemoteTraining.State.COMPLETED, t.reports(), weights(result.getContent().weights()), null, clock.instant())
                    : t.with(RemoteTraining.State.STOPPED, t.reports(), weights(result.getContent().weights()),
                    result.getContent().stoppedBecause().orElse(null), clock.instant()));
        } catch (RuntimeException e) {
            monitor.severe("federated training %s failed".formatted(id), e);
            update(id, t -> t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), "the training failed inside the connector", clock.instant()));
        }
    }

    private void update(String id, java.util.function.UnaryOperator<RemoteTraining> change) {
        var updated = store.update(id, change);
        if (updated.failed()) {
            monitor.warning("federated training %s: cannot record its progress: %s".formatted(id, updated.getFailureDetail()));
        }
    }

    private static List<Double> weights(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    private static String unknownMember(JsonNode node, Set<String> known) {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (!known.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private static boolean isHttpUrl(String text) {
        try {
            var uri = URI.create(text);
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
