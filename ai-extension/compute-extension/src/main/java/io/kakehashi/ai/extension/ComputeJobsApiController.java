package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.JobRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectConflictException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The compute jobs run by this connector, on its management API: list them by agreement, read one (state, progress,
 * reason, hashes), cancel one. Jobs arrive from consumers over the data-plane transport, not through this API.
 * Thread-safe.
 */
@Path("/v3/kakehashi/compute/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class ComputeJobsApiController {

    private final ComputeJobService service;
    private final ComputeJobStore store;
    private final ComputeRequestReader requests;

    public ComputeJobsApiController(ComputeJobService service, ComputeJobStore store, ComputeRequestReader requests) {
        this.service = service;
        this.store = store;
        this.requests = requests;
    }

    /**
     * A job as the management API shows it, compacted JSON-LD ({@link ComputeJsonLd#CONTEXT}: the members keep their
     * plain names, {@code id} repeats {@code @id} for clients of the plain form); times are ISO 8601 strings, hashes
     * lower-case hex SHA-256.
     */
    @JsonPropertyOrder({"@context", "@type", "@id"})
    public record JobView(@JsonProperty("@context") Map<String, Object> context, @JsonProperty("@type") String jsonLdType,
                          @JsonProperty("@id") String jsonLdId,
                          String id, String agreementId, String assetId, String consumerId, String type, String state, double progress,
                          String reason, String descriptionHash, String modelHash, String resultHash, boolean admitted,
                          String createdAt, String updatedAt) {

        static JobView of(JobRecord job) {
            return new JobView(ComputeJsonLd.CONTEXT, ComputeJsonLd.COMPUTE_JOB, job.id(),
                    job.id(), job.agreementId(), job.assetId(), job.consumerId(), job.type().policyName(), job.state().name(),
                    job.progress(), job.reason(), job.descriptionHash(), job.modelHash(), job.resultHash(), job.admitted(),
                    job.createdAt().toString(), job.updatedAt().toString());
        }
    }

    @GET
    public List<JobView> jobs(@QueryParam("agreementId") String agreementId) {
        if (agreementId == null || agreementId.isBlank()) {
            throw new InvalidRequestException("agreementId: name the agreement whose jobs to list");
        }
        return store.findByAgreement(agreementId).stream().map(JobView::of).toList();
    }

    @GET
    @Path("{id}")
    public JobView job(@PathParam("id") String id) {
        return service.find(id).map(JobView::of).orElseThrow(() -> new ObjectNotFoundException(JobRecord.class, id));
    }

    /**
     * Cancels a queued or running job on the provider's side; a finished job is a conflict. The body is optional: a
     * {@link Cancellation} in either form, its reason kept in the job's.
     */
    @POST
    @Path("{id}/cancel")
    public JobView cancel(@PathParam("id") String id, String body) {
        var cancellation = requests.readOptional(body, ComputeJsonLd.CANCELLATION, Cancellation.class, Cancellation.NONE);
        var result = service.cancel(id, cancellation.by("provider"));
        if (result.succeeded()) {
            return JobView.of(result.getContent());
        }
        if (result.reason() == ServiceFailure.Reason.NOT_FOUND) {
            throw new ObjectNotFoundException(JobRecord.class, id);
        }
        throw new ObjectConflictException(result.getFailureDetail());
    }
}
