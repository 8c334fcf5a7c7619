package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.TransferProgressService;
import io.kakehashi.transfer.spi.TransferProgress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress of the gRPC transfers this connector's data plane moves, on the management API (behind its
 * authentication): bytes and messages moved, rate, and for bulk the position and percentage. Stateless.
 */
@Path("/v1/kakehashi/transfers")
@Produces(MediaType.APPLICATION_JSON)
public final class TransferProgressApiController {

    private final TransferProgressService meters;

    public TransferProgressApiController(TransferProgressService meters) {
        this.meters = meters;
    }

    /** Every transfer this data plane moved since it started, oldest first. */
    @GET
    @Path("/progress")
    public List<Map<String, Object>> all() {
        return meters.all().stream().map(TransferProgressApiController::json).toList();
    }

    /** One transfer's progress, by the data plane's transfer (data flow) id. */
    @GET
    @Path("/{id}/progress")
    public Map<String, Object> one(@PathParam("id") String id) {
        return meters.progress(id).map(TransferProgressApiController::json)
                // EDC's exception mapper answers 404 with its usual error body
                .orElseThrow(() -> new ObjectNotFoundException(TransferProgress.class, id));
    }

    static Map<String, Object> json(TransferProgress progress) {
        var json = new LinkedHashMap<String, Object>();
        json.put("transferId", progress.transferId());
        json.put("state", progress.state());
        json.put("bytes", progress.bytes());
        json.put("messages", progress.messages());
        json.put("position", progress.position());
        json.put("totalSize", progress.totalSize());
        json.put("percentage", progress.percentage());
        json.put("bytesPerSecond", Math.round(progress.bytesPerSecond()));
        json.put("startedAt", progress.startedAt().toString());
        json.put("at", progress.at().toString());
        return json;
    }
}
