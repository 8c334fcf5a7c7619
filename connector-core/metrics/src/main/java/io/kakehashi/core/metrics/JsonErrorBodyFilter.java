package io.kakehashi.core.metrics;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Gives every error answer of the metrics context a JSON body type. A scraper asks for text ({@code Accept:
 * application/openmetrics-text, text/plain}); EDC's exception mapper answers a refused key with a list of error
 * details and no type, for which JAX-RS then finds no text writer and answers 500 instead of 401. Thread-safe.
 */
public class JsonErrorBodyFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && response.hasEntity() && !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
