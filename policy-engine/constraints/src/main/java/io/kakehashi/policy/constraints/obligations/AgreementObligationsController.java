package io.kakehashi.policy.constraints.obligations;

import io.kakehashi.policy.constraints.DeletionDeadlines;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The obligations of an agreement with their deadlines (times as ISO 8601 strings, so they read the same whatever
 * the JSON mapper's date settings), on the management API: {@code GET
 * /v3/kakehashi/obligations/{id}}. Provider and consumer hold the same agreement, so both answer the same.
 * Thread-safe.
 */
@Path("/v3/kakehashi/obligations")
@Produces(MediaType.APPLICATION_JSON)
public class AgreementObligationsController {

    private final Function<String, ContractAgreement> agreements;

    /** @param agreements finds an agreement by this connector's or the protocol's id, {@code null} when there is none */
    public AgreementObligationsController(Function<String, ContractAgreement> agreements) {
        this.agreements = agreements;
    }

    /**
     * The agreement's obligations.
     *
     * @param id                  this connector's id for the agreement
     * @param agreementId         the agreement's id in the protocol, the same on both sides
     * @param contractSigningDate when the agreement was signed (ISO 8601), the time the deadlines count from
     * @param obligations       its deletion duties, earliest deadline first
     */
    public record AgreementObligations(String id, String agreementId, String contractSigningDate, List<Obligation> obligations) {
    }

    /**
     * One obligation.
     *
     * @param action   the duty's ODRL action
     * @param window   the window after signing, an ISO 8601 duration
     * @param deadline by when it must be fulfilled (ISO 8601)
     */
    public record Obligation(String action, String window, String deadline) {
    }

    @GET
    @Path("{id}")
    public AgreementObligations obligations(@PathParam("id") String id) {
        var agreement = agreements.apply(id);
        if (agreement == null) {
            throw new ObjectNotFoundException(ContractAgreement.class, id);
        }
        var obligations = DeletionDeadlines.of(agreement).stream()
                .map(deadline -> new Obligation(DeletionDeadlines.ODRL_DELETE, deadline.window().toString(), deadline.deadline().toString()))
                .toList();
        return new AgreementObligations(agreement.getId(), agreement.getAgreementId(), Instant.ofEpochSecond(agreement.getContractSigningDate()).toString(), obligations);
    }
}
