package io.kakehashi.policy.auditor;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Gives every error answer of the auditor API a JSON body type. EDC's exception mapper answers a refused key
 * (401) with a list of error details but no type; on the export resources, which produce JSON Lines, JAX-RS then
 * looks for a JSON Lines writer of that list, finds none, and answers 500 instead of 401. Thread-safe.
 */
public class JsonErrorResponseFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && response.hasEntity() && !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
