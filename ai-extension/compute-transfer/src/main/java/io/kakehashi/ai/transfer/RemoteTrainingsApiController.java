package io.kakehashi.ai.transfer;

import io.kakehashi.ai.extension.ComputeJsonLd;
import io.kakehashi.ai.extension.ComputeRequestReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.net.URI;
import java.util.List;

/**
 * Federated trainings this connector coordinates, on its management API: start one across agreements with several
 * holders, follow it round by round. Bad input is a 400 with the reason. Thread-safe.
 */
@Path("/v3/kakehashi/compute/trainings")
@Produces(MediaType.APPLICATION_JSON)
public class RemoteTrainingsApiController {

    private final RemoteTrainings trainings;
    private final ComputeRequestReader requests;

    /** {@code requests}: reads a training request in either form ({@link RemoteTrainings#REQUEST_SHAPE} registered). */
    public RemoteTrainingsApiController(RemoteTrainings trainings, ComputeRequestReader requests) {
        this.trainings = trainings;
        this.requests = requests;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(String body) {
        var request = requests.read(body, ComputeJsonLd.TRAINING_REQUEST, RemoteTrainings.Request.class);
        var started = trainings.start(request);
        if (started.failed()) {
            throw new InvalidRequestException(started.getFailureDetail());
        }
        return Response.created(URI.create("v3/kakehashi/compute/trainings/" + started.getContent().id())).entity(started.getContent()).build();
    }

    @GET
    public List<RemoteTrainings.Training> list() {
        return trainings.list();
    }

    @GET
    @Path("{id}")
    public RemoteTrainings.Training training(@PathParam("id") String id) {
        return trainings.find(id).orElseThrow(() -> new ObjectNotFoundException(RemoteTrainings.Training.class, id));
    }
}
