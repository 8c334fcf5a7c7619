package io.kakehashi.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET <metrics path>}: every meter of the connector in the Prometheus text exposition format (or OpenMetrics
 * when the scraper asks for it in {@code Accept}). The key check is the context's authentication filter's.
 */
@Path("/")
public class PrometheusScrapeController {

    private final PrometheusMeterRegistry registry;

    public PrometheusScrapeController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @GET
    public Response scrape(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        var contentType = ScrapeFormat.contentType(accept);
        return Response.ok(registry.scrape(contentType), contentType).build();
    }
}
