package io.kakehashi.transfer.grpc.edc;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.connector.dataplane.spi.manager.DataPlaneManager;

import java.util.List;
import java.util.Map;

/**
 * Answers {@code GET /v1/dataflows/{id}/state} on the control API with 404 when the data plane has no such flow: EDC
 * 0.15.1's signaling controller reads the state of an unknown flow as {@code null} and fails with a 500. Runs after
 * authentication (user priority), so only a caller the control API admits learns whether a flow exists. Thread-safe.
 */
@Priority(Priorities.USER)
public final class UnknownDataFlowStateFilter implements ContainerRequestFilter {

    private final DataPlaneManager dataPlaneManager;

    public UnknownDataFlowStateFilter(DataPlaneManager dataPlaneManager) {
        this.dataPlaneManager = dataPlaneManager;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod())) {
            return;
        }
        var segments = request.getUriInfo().getPathSegments(true).stream().map(segment -> segment.getPath()).filter(s -> !s.isEmpty()).toList();
        if (segments.size() == 4 && segments.get(0).equals("v1") && segments.get(1).equals("dataflows") && segments.get(3).equals("state")
                && dataPlaneManager.getTransferState(segments.get(2)) == null) {
            request.abortWith(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(List.of(Map.of("message", "no data flow with this id", "type", "ObjectNotFound"))).build());
        }
    }
}
