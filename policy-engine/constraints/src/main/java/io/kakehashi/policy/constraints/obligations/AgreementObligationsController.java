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
 * /v3/kakehashi/obligations/{agreementId}}. Provider and consumer hold the same agreement, so both answer the same.
 * Thread-safe.
 */
@Path("/v3/kakehashi/obligations")
@Produces(MediaType.APPLICATION_JSON)
public class AgreementObligationsController {

    private final Function<String, ContractAgreement> agreements;

    /** @param agreements finds an agreement by id, {@code null} when there is none */
    public AgreementObligationsController(Function<String, ContractAgreement> agreements) {
        this.agreements = agreements;
    }

    /**
     * The agreement's obligations.
     *
     * @param agreementId       the agreement's id
     * @param contractSigningDate when the agreement was signed (ISO 8601), the time the deadlines count from
     * @param obligations       its deletion duties, earliest deadline first
     */
    public record AgreementObligations(String agreementId, String contractSigningDate, List<Obligation> obligations) {
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
    @Path("{agreementId}")
    public AgreementObligations obligations(@PathParam("agreementId") String agreementId) {
        var agreement = agreements.apply(agreementId);
        if (agreement == null) {
            throw new ObjectNotFoundException(ContractAgreement.class, agreementId);
        }
        var obligations = DeletionDeadlines.of(agreement).stream()
                .map(deadline -> new Obligation(DeletionDeadlines.ODRL_DELETE, deadline.window().toString(), deadline.deadline().toString()))
                .toList();
        return new AgreementObligations(agreement.getId(), Instant.ofEpochSecond(agreement.getContractSigningDate()).toString(), obligations);
    }
}
