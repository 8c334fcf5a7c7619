package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.spi.web.HttpProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Models as assets on the management API. The holder: {@code POST /v3/kakehashi/models} (receive an agreement's model
 * into the sealed store), {@code GET /v3/kakehashi/models} (what is sealed: digests and metadata, never weights),
 * {@code POST|GET /v3/kakehashi/models/{agreementId}/runs} (run the model on one of its own assets; its runs). The
 * vendor: {@code GET /v3/kakehashi/model-run-reports?agreementId=} (the holders' reported runs per agreement). Refusals
 * are 400 / 403 (the policy) / 404 / 409 with the reason in EDC's error shape. Thread-safe.
 */
@Path("/v3/kakehashi")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsApiController {

    private static final Set<String> RUN_MEMBERS = Set.of("assetId", "features", "labels", "idColumn");
    private static final Set<String> RECEIVE_MEMBERS = Set.of("agreementId", "counterPartyAddress");

    private final Supplier<SealedModelIntake> intake;
    private final SealedModelStore store;
    private final ModelRuns runs;
    private final ReceivedRunReports reports;
    private final Function<String, OptionalLong> limits;
    private final Function<String, String> dspAgreementId;
    private final ObjectMapper mapper;

    /**
     * @param limits         the {@code ai.inferenceRuns} limit of an agreement by its DSP id (empty when none or unknown)
     * @param dspAgreementId the DSP id of an agreement named by either id (the id itself when unknown)
     */
    public ModelsApiController(Supplier<SealedModelIntake> intake, SealedModelStore store, ModelRuns runs, ReceivedRunReports reports,
                               Function<String, OptionalLong> limits, Function<String, String> dspAgreementId, ObjectMapper mapper) {
        this.intake = intake;
        this.store = store;
        this.runs = runs;
        this.reports = reports;
        this.limits = limits;
        this.dspAgreementId = dspAgreementId;
        this.mapper = mapper;
    }

    @POST
    @Path("models")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response receive(String body) {
        var read = object(body, RECEIVE_MEMBERS);
        if (read.failed()) {
            return problem(400, read.getFailureDetail());
        }
        var request = read.getContent();
        var started = intake.get().request(text(request, "agreementId"), text(request, "counterPartyAddress"));
        if (started.failed()) {
            return problem(started);
        }
        return Response.status(201).entity(Map.of("transferProcessId", started.getContent())).build();
    }

    @GET
    @Path("models")
    public List<SealedModel> models() {
        return store.list();
    }

    @POST
    @Path("models/{agreementId}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response run(@PathParam("agreementId") String agreementId, String body) {
        var read = object(body, RUN_MEMBERS);
        if (read.failed()) {
            return problem(400, read.getFailureDetail());
        }
        var request = read.getContent();
        var features = list(request, "features");
        var labels = list(request, "labels");
        if (features == BAD || labels == BAD) {
            return problem(400, "%s: give a list of column names or class labels".formatted(features == BAD ? "features" : "labels"));
        }
        var run = runs.run(agreementId, new ModelRuns.RunRequest(text(request, "assetId"), features, labels, text(request, "idColumn")));
        return run.succeeded() ? Response.status(201).entity(run.getContent()).build() : problem(run);
    }

    @GET
    @Path("models/{agreementId}/runs")
    public Response runs(@PathParam("agreementId") String agreementId) {
        var found = runs.runs(agreementId);
        return found.succeeded() ? Response.ok(found.getContent()).build() : problem(found);
    }

    /** The vendor's view: per agreement, how many runs the holder reported, the limit, and each report. */
    @GET
    @Path("model-run-reports")
    public List<Map<String, Object>> reports(@QueryParam("agreementId") String agreementId) {
        var ids = agreementId == null || agreementId.isBlank() ? reports.agreements() : List.of(dspAgreementId.apply(agreementId));
        var answer = new ArrayList<Map<String, Object>>();
        for (var id : ids) {
            var kept = reports.of(id);
            var view = new LinkedHashMap<String, Object>();
            view.put("agreementId", id);
            view.put("runs", kept.size());
            var limit = limits.apply(id);
            view.put("limit", limit.isPresent() ? limit.getAsLong() : null);
            view.put("beyondLimit", kept.stream().filter(ReceivedRunReport::beyondLimit).count());
            view.put("reports", kept);
            answer.add(view);
        }
        return answer;
    }

    private static final List<String> BAD = List.of();

    /** The body as a JSON object with only these members, each text, a list or null; a failure says what is wrong. */
    private Result<JsonNode> object(String body, Set<String> members) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException e) {
            return Result.failure("the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            return Result.failure("the body must be a JSON object with %s".formatted(members.stream().sorted().toList()));
        }
        for (var entry : json.properties()) {
            if (!members.contains(entry.getKey())) {
                return Result.failure("'%s' is not one of %s".formatted(entry.getKey(), members.stream().sorted().toList()));
            }
            if (!entry.getValue().isTextual() && !entry.getValue().isArray() && !entry.getValue().isNull()) {
                return Result.failure("%s: give text".formatted(entry.getKey()));
            }
        }
        return Result.success(json);
    }

    private static String text(JsonNode json, String name) {
        var value = json.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<String> list(JsonNode json, String name) {
        var value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return java.util.Arrays.stream(value.asText().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        var items = new ArrayList<String>();
        for (var item : value) {
            if (!item.isTextual()) {
                return BAD;
            }
            items.add(item.asText());
        }
        return items.isEmpty() ? BAD : items;
    }

    static Response problem(ServiceResult<?> result) {
        var reason = result.getFailure().getReason();
        var status = reason == ServiceFailure.Reason.NOT_FOUND ? 404 : reason == ServiceFailure.Reason.CONFLICT ? 409
                : reason == ServiceFailure.Reason.BAD_REQUEST ? 400 : reason == ServiceFailure.Reason.UNAUTHORIZED ? 403 : 500;
        return problem(status, result.getFailureDetail());
    }

    static Response problem(int status, String message) {
        var problem = HttpProblem.of(status, message);
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }
}
