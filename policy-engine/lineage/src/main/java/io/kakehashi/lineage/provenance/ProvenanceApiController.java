package io.kakehashi.lineage.provenance;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;

import java.util.List;
import java.util.function.Function;

/**
 * The provenance statements this connector kept as a recipient, on the management API:
 * {@code GET /v3/kakehashi/provenance?agreementId=…} (this connector's or the protocol's id). Thread-safe.
 */
@Path("/v3/kakehashi/provenance")
@Produces(MediaType.APPLICATION_JSON)
public class ProvenanceApiController {

    private final ProvenanceStore store;
    private final Function<String, String> localAgreementId;

    public ProvenanceApiController(ProvenanceStore store, Function<String, String> localAgreementId) {
        this.store = store;
        this.localAgreementId = localAgreementId;
    }

    @GET
    public List<ProvenanceStore.Kept> byAgreement(@QueryParam("agreementId") String agreementId) {
        if (agreementId == null || agreementId.isBlank()) {
            throw new InvalidRequestException("agreementId is required: the agreement whose received provenance statements to list");
        }
        return store.byAgreement(localAgreementId.apply(agreementId));
    }
}
