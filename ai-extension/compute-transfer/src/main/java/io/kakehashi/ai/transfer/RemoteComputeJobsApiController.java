package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kakehashi.ai.extension.Cancellation;
import io.kakehashi.ai.extension.ComputeJsonLd;
import io.kakehashi.ai.extension.ComputeRequestReader;
import io.kakehashi.ai.spi.RemoteJob;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectConflictException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The compute jobs this connector asks providers to run, on its management API: submit one under an agreement,
 * list and read them (state, progress, reason, hashes), read a completed job's result, cancel one. Bad input is a
 * 400 with the reason. Thread-safe.
 */
@Path("/v3/kakehashi/compute/remote-jobs")
@Produces(MediaType.APPLICATION_JSON)
public class RemoteComputeJobsApiController {

    private final RemoteComputeJobs jobs;
    private final ComputeRequestReader requests;

    /**
     * {@code requests}: reads a submission in either form, {@link RemoteComputeJobs#SUBMISSION_SHAPE} registered with
     * the largest model a job may carry ({@code kakehashi.ai.evaluation.max-model-bytes}).
     */
    public RemoteComputeJobsApiController(RemoteComputeJobs jobs, ComputeRequestReader requests) {
        this.jobs = jobs;
        this.requests = requests;
    }

    /**
     * A job as the consumer's management API shows it, compacted JSON-LD ({@link ComputeJsonLd#CONTEXT}; {@code id}
     * repeats {@code @id} for clients of the plain form); its id is also its transfer process's id.
     */
    @JsonPropertyOrder({"@context", "@type", "@id"})
    public record RemoteJobView(@JsonProperty("@context") Map<String, Object> context, @JsonProperty("@type") String jsonLdType,
                                @JsonProperty("@id") String jsonLdId, String id, String transferProcessId, String agreementId, String assetId, String providerId,
                                String counterPartyAddress, String type, String state, double progress, String reason,
                                String descriptionHash, String modelHash, String providerJobId, String resultHash,
                                String resultSha256, String createdAt, String updatedAt) {

        static RemoteJobView of(RemoteJob job) {
            return new RemoteJobView(ComputeJsonLd.CONTEXT, ComputeJsonLd.REMOTE_JOB, job.id(), job.id(), job.id(), job.agreementId(), job.assetId(), job.providerId(), job.counterPartyAddress(),
                    job.type().policyName(), job.state().name(), job.progress(), job.reason(), job.descriptionHash(), job.modelHash(),
                    job.providerJobId(), job.resultHash(), job.resultSha256(), job.createdAt().toString(), job.updatedAt().toString());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        var submission = requests.read(body, ComputeJsonLd.REMOTE_JOB_REQUEST, RemoteComputeJobs.Submission.class);
        var job = orThrow(jobs.submit(submission), null);
        return Response.created(URI.create("v3/kakehashi/compute/remote-jobs/" + job.id())).entity(RemoteJobView.of(job)).build();
    }

    @GET
    public List<RemoteJobView> list(@QueryParam("agreementId") String agreementId) {
        return jobs.list(agreementId == null || agreementId.isBlank() ? null : agreementId).stream().map(RemoteJobView::of).toList();
    }

    @GET
    @Path("{id}")
    public RemoteJobView job(@PathParam("id") String id) {
        return jobs.find(id).map(RemoteJobView::of).orElseThrow(() -> new ObjectNotFoundException(RemoteJob.class, id));
    }

    /** The result document of a completed job (see {@link ResultDocument}); 409 before the job completed. */
    @GET
    @Path("{id}/result")
    public Response result(@PathParam("id") String id) {
        var document = orThrow(jobs.resultDocument(id), id);
        return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Cancels a job; the body is optional: a {@link Cancellation} in either form, its reason kept in the job's. */
    @POST
    @Path("{id}/cancel")
    public RemoteJobView cancel(@PathParam("id") String id, String body) {
        var cancellation = requests.readOptional(body, ComputeJsonLd.CANCELLATION, Cancellation.class, Cancellation.NONE);
        return RemoteJobView.of(orThrow(jobs.cancel(id, cancellation), id));
    }

    private static <T> T orThrow(ServiceResult<T> result, String id) {
        if (result.succeeded()) {
            return result.getContent();
        }
        var reason = result.reason();
        if (reason == ServiceFailure.Reason.NOT_FOUND) {
            throw new ObjectNotFoundException(RemoteJob.class, id);
        }
        if (reason == ServiceFailure.Reason.CONFLICT) {
            throw new ObjectConflictException(result.getFailureDetail());
        }
        if (reason == ServiceFailure.Reason.BAD_REQUEST) {
            throw new InvalidRequestException(result.getFailureDetail());
        }
        throw new org.eclipse.edc.spi.EdcException(result.getFailureDetail());
    }
}
