package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.catalog.core.CatalogHit;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.SearchScope;
import io.kakehashi.catalog.core.SparqlAnswer;
import io.kakehashi.catalog.core.SparqlFailure;
import io.kakehashi.catalog.core.SparqlQueryService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The catalog's query API on the management context: SPARQL 1.1 queries (read-only) and a bilingual search.
 * <ul>
 *   <li>{@code POST /v3/catalog/sparql} with {@code application/sparql-query} (the query as the body) or
 *       {@code application/x-www-form-urlencoded} ({@code query=…}), and {@code GET /v3/catalog/sparql?query=…}:
 *       SPARQL JSON results ({@value SparqlAnswer#MEDIA_TYPE}); header {@value #TRUNCATED_HEADER} says whether the
 *       result limit cut the answer.</li>
 *   <li>{@code GET /v3/catalog/search?q=…&peer=…&own=true&maxAge=PT1H&limit=100}: datasets matching the text in
 *       Japanese or English, optionally only from the named peers, from copies younger than {@code maxAge}, at most
 *       {@code limit} (capped by the result limit).</li>
 * </ul>
 * A malformed query, an update, a bad parameter: 400. A query past its timeout: 503. Errors are EDC's shape
 * ({@code [{"message": …, "type": …}]}). Thread-safe.
 */
@Path("/v3/catalog")
public class CatalogQueryApiController {

    static final String SPARQL_QUERY = "application/sparql-query";
    static final String TRUNCATED_HEADER = "Kakehashi-Results-Truncated";

    private final SparqlQueryService sparql;
    private final CatalogSearch search;
    private final Clock clock;

    public CatalogQueryApiController(SparqlQueryService sparql, CatalogSearch search, Clock clock) {
        this.sparql = Objects.requireNonNull(sparql, "sparql");
        this.search = Objects.requireNonNull(search, "search");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @POST
    @Path("/sparql")
    @Consumes(SPARQL_QUERY)
    @Produces({SparqlAnswer.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response sparqlBody(String query) {
        return sparql(query);
    }

    @POST
    @Path("/sparql")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({SparqlAnswer.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response sparqlForm(@FormParam("query") String query) {
        return sparql(query);
    }

    @GET
    @Path("/sparql")
    @Produces({SparqlAnswer.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response sparqlGet(@QueryParam("query") String query) {
        return sparql(query);
    }

    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    public Response search(@QueryParam("q") String text, @QueryParam("peer") List<String> peers,
                           @QueryParam("own") String own, @QueryParam("maxAge") String maxAge, @QueryParam("limit") String limit) {
        var since = Instant.EPOCH;
        var maxHits = Integer.MAX_VALUE;
        if (limit != null && !limit.isBlank()) {
            try {
                maxHits = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                return error(Response.Status.BAD_REQUEST, "limit must be a whole number, was '%s'".formatted(limit));
            }
        }
        if (maxAge != null && !maxAge.isBlank()) {
            try {
                var age = Duration.parse(maxAge);
                if (age.isNegative()) {
                    return error(Response.Status.BAD_REQUEST, "maxAge must not be negative");
                }
                since = clock.instant().minus(age);
            } catch (DateTimeParseException e) {
                return error(Response.Status.BAD_REQUEST, "maxAge must be an ISO-8601 duration such as PT1H, was '%s'".formatted(maxAge));
            }
        }
        if (own != null && !own.equals("true") && !own.equals("false")) {
            return error(Response.Status.BAD_REQUEST, "own must be true or false, was '%s'".formatted(own));
        }
        // the own catalog is searched unless excluded, or unless the caller asked for particular peers
        var peerIds = peers == null ? new HashSet<String>() : new HashSet<>(peers);
        var includeOwn = own == null ? peerIds.isEmpty() : Boolean.parseBoolean(own);
        var result = search.find(text, new SearchScope(includeOwn, peerIds, since), maxHits);
        if (result.failed()) {
            return error(Response.Status.BAD_REQUEST, result.getFailureDetail());
        }
        var body = JsonNodeFactory.instance.objectNode();
        var hits = body.putArray("datasets");
        result.getContent().forEach(hit -> hits.add(json(hit)));
        body.put("count", hits.size());
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    private Response sparql(String query) {
        var result = sparql.query(query);
        if (result.succeeded()) {
            return Response.ok(result.getContent().json(), SparqlAnswer.MEDIA_TYPE)
                    .header(TRUNCATED_HEADER, String.valueOf(result.getContent().truncated()))
                    .build();
        }
        var status = result.getFailure().kind() == SparqlFailure.Kind.TIMEOUT ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.BAD_REQUEST;
        return error(status, result.getFailureDetail());
    }

    private static ObjectNode json(CatalogHit hit) {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("dataset", hit.datasetIri());
        node.put("graph", hit.graphIri());
        hit.assetId().ifPresent(id -> node.put("assetId", id));
        hit.peerId().ifPresent(id -> node.put("peerId", id));
        hit.fetchedAt().ifPresent(at -> node.put("fetchedAt", at.toString()));
        var titles = node.putObject("title");
        hit.titles().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> titles.put(e.getKey(), e.getValue()));
        return node;
    }

    private static Response error(Response.Status status, String message) {
        var body = JsonNodeFactory.instance.arrayNode();
        body.addObject().put("message", message).put("type", status == Response.Status.BAD_REQUEST ? "BadRequest" : "ServiceUnavailable");
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.toString()).build();
    }
}
