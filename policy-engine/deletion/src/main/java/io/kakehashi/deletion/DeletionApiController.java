package io.kakehashi.deletion;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.util.List;
import java.util.function.Function;

/**
 * Deletion duties and their receipts, on the management API ({@code /v3/kakehashi/deletions}) and, read the same way,
 * on the auditor API ({@code /v1/deletions}): every agreement with a deletion duty and where it stands, optionally
 * only one state ({@code ?state=OVERDUE}); one agreement by its own or the protocol's id. Thread-safe.
 */
@Produces(MediaType.APPLICATION_JSON)
public class DeletionApiController {

    private final DeletionStatuses statuses;
    private final Function<String, ContractAgreement> agreements;

    public DeletionApiController(DeletionStatuses statuses, Function<String, ContractAgreement> agreements) {
        this.statuses = statuses;
        this.agreements = agreements;
    }

    @GET
    public List<DeletionStatuses.Status> list(@QueryParam("state") String state) {
        if (state != null && !DeletionStatuses.STATES.contains(state)) {
            throw new InvalidRequestException("state '%s' is not one of %s".formatted(state, DeletionStatuses.STATES));
        }
        return statuses.all(state);
    }

    @GET
    @Path("{agreementId}")
    public DeletionStatuses.Status one(@PathParam("agreementId") String agreementId) {
        var agreement = agreements.apply(agreementId);
        if (agreement == null) {
            throw new ObjectNotFoundException(ContractAgreement.class, agreementId);
        }
        return statuses.of(agreement).orElseThrow(() -> new ObjectNotFoundException(ContractAgreement.class, agreementId + " (with a deletion duty)"));
    }

    /** On the management API. */
    @Path("/v3/kakehashi/deletions")
    public static class Management extends DeletionApiController {
        public Management(DeletionStatuses statuses, Function<String, ContractAgreement> agreements) {
            super(statuses, agreements);
        }
    }

    /** On the auditor API. */
    @Path("/v1/deletions")
    public static class Auditor extends DeletionApiController {
        public Auditor(DeletionStatuses statuses, Function<String, ContractAgreement> agreements) {
            super(statuses, agreements);
        }
    }
}
