package io.kakehashi.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The holder's consent register on the management API (behind the management key like every Kakehashi management
 * endpoint): {@code POST /v3/kakehashi/consents} records a consent, {@code GET /v3/kakehashi/consents?subjectId=…} or
 * {@code ?assetId=…} lists them, {@code GET /v3/kakehashi/consents/{id}} reads one,
 * {@code POST /v3/kakehashi/consents/{id}/withdraw} withdraws it (now) and tells the consumers that received the
 * subject's records (withdrawing again keeps the time and sends the notices not yet confirmed),
 * {@code GET /v3/kakehashi/consents/{id}/notices} says what became of those notices, and
 * {@code GET /v3/kakehashi/consents/deliveries?subjectId=…} lists the uses that delivered a subject's records.
 * Bad input is a 400 naming the member that is wrong, in EDC's error shape. Times are ISO 8601 instants. Thread-safe.
 */
@Path("/v3/kakehashi/consents")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentApiController {

    static final int MAX_TEXT = 256;
    private static final Set<String> MEMBERS = Set.of("subjectId", "assetId", "purposes", "recipient", "grantedAt", "expiresAt");

    private final ConsentStore store;
    private final ConsentRules rules;
    private final Predicate<String> assetExists;
    private final Consumer<Consent> withdrawn;
    private final ObjectMapper mapper;
    private final Clock clock;

    /**
     * @param assetExists whether this connector holds an asset of that id
     * @param withdrawn   told of each consent once it has been withdrawn
     */
    public ConsentApiController(ConsentStore store, ConsentRules rules, Predicate<String> assetExists, Consumer<Consent> withdrawn, ObjectMapper mapper,
                                Clock clock) {
        this.store = store;
        this.rules = rules;
        this.assetExists = assetExists;
        this.withdrawn = withdrawn;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A consent as the API shows it. */
    public record View(String id, String subjectId, String assetId, List<String> purposes, String recipient, String grantedAt, String expiresAt,
                       String withdrawnAt) {
        static View of(Consent c) {
            return new View(c.id(), c.subjectId(), c.assetId(), c.purposes(), c.recipient(), c.grantedAt().toString(), text(c.expiresAt()),
                    text(c.withdrawnAt()));
        }
    }

    /** What became of telling one consumer of a withdrawal. */
    public record NoticeView(String agreementId, String consumerId, String state, String detail, String receipt, String at) {
    }

    /** A use that delivered a subject's records. */
    public record DeliveryView(String agreementId, String consumerId, String assetId, String useId, String kind, String at) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        var json = object(body);
        var unknown = new ArrayList<String>();
        json.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("unknown members %s; a consent has %s".formatted(unknown, MEMBERS));
        }
        var subjectId = text(json, "subjectId", true);
        var assetId = text(json, "assetId", false);
        if (assetId != null && !assetExists.test(assetId)) {
            throw new InvalidRequestException("assetId: this connector holds no asset '%s'".formatted(assetId));
        }
        var purposes = purposes(json.get("purposes"));
        var recipient = text(json, "recipient", true);
        var valid = rules.validRecipient(recipient);
        if (valid.failed()) {
            throw new InvalidRequestException(valid.getFailureDetail());
        }
        var grantedAt = instant(json, "grantedAt");
        if (grantedAt == null) {
            grantedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        var expiresAt = instant(json, "expiresAt");
        if (expiresAt != null && !expiresAt.isAfter(grantedAt)) {
            throw new InvalidRequestException("expiresAt %s is not after grantedAt %s".formatted(expiresAt, grantedAt));
        }
        var consent = new Consent(UUID.randomUUID().toString(), subjectId, assetId, purposes, recipient.trim(), grantedAt, expiresAt, null);
        store.save(consent);
        return Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON).entity(View.of(consent)).build();
    }

    @GET
    public List<View> list(@QueryParam("subjectId") String subjectId, @QueryParam("assetId") String assetId) {
        if ((subjectId == null || subjectId.isBlank()) == (assetId == null || assetId.isBlank())) {
            throw new InvalidRequestException("give either subjectId (a data subject's consents) or assetId (the consents that concern an asset)");
        }
        var found = subjectId != null && !subjectId.isBlank() ? store.findBySubject(subjectId) : store.findByAsset(assetId);
        return found.stream().map(View::of).toList();
    }

    @GET
    @Path("deliveries")
    public List<DeliveryView> deliveries(@QueryParam("subjectId") String subjectId) {
        if (subjectId == null || subjectId.isBlank()) {
            throw new InvalidRequestException("subjectId is required: the data subject whose delivered records to list");
        }
        return store.deliveriesOf(subjectId).stream()
                .map(d -> new DeliveryView(d.agreementId(), d.consumerId(), d.assetId(), d.useId(), d.kind(), d.at().toString())).toList();
    }

    @GET
    @Path("{id}")
    public View get(@PathParam("id") String id) {
        return store.find(id).map(View::of).orElseThrow(() -> new ObjectNotFoundException(Consent.class, id));
    }

    @POST
    @Path("{id}/withdraw")
    public View withdraw(@PathParam("id") String id) {
        var consent = store.find(id).orElseThrow(() -> new ObjectNotFoundException(Consent.class, id));
        var done = consent;
        if (consent.withdrawnAt() == null) {
            done = consent.withdrawn(clock.instant().truncatedTo(ChronoUnit.MILLIS));
            store.save(done);
        }
        // again: the notices that were not confirmed are sent again
        withdrawn.accept(done);
        return View.of(done);
    }

    @GET
    @Path("{id}/notices")
    public List<NoticeView> notices(@PathParam("id") String id) {
        store.find(id).orElseThrow(() -> new ObjectNotFoundException(Consent.class, id));
        return store.notices(id).stream().map(n -> new NoticeView(n.agreementId(), n.consumerId(), n.state().name(), n.detail(), n.receipt(),
                n.at().toString())).toList();
    }

    private JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("the body is empty; send a consent as a JSON object");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the body is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException("the body is not a JSON object");
        }
        return json;
    }

    private static String text(JsonNode json, String name, boolean required) {
        var node = json.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException(name + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidRequestException(name + " is not a non-empty string");
        }
        if (node.asText().length() > MAX_TEXT) {
            throw new InvalidRequestException("%s is longer than %d characters".formatted(name, MAX_TEXT));
        }
        return node.asText();
    }

    private static List<String> purposes(JsonNode node) {
        var purposes = new ArrayList<String>();
        if (node != null && node.isTextual()) {
            purposes.add(node.asText());
        } else if (node != null && node.isArray()) {
            for (var each : node) {
                if (!each.isTextual()) {
                    throw new InvalidRequestException("purposes: %s is not a string".formatted(each));
                }
                purposes.add(each.asText());
            }
        } else if (node != null && !node.isNull()) {
            throw new InvalidRequestException("purposes is not a purpose or a list of purposes");
        }
        var valid = ConsentRules.validPurposes(purposes);
        if (valid.failed()) {
            throw new InvalidRequestException(valid.getFailureDetail());
        }
        return purposes;
    }

    private static Instant instant(JsonNode json, String name) {
        var text = text(json, name, false);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " is not an ISO 8601 instant (e.g. 2027-03-31T15:00:00Z)");
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
