package io.kakehashi.lineage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;

import java.util.List;
import java.util.function.Function;

/**
 * The consumer's lineage on the management API: {@code GET /v3/kakehashi/lineage?agreementId=…} (what was received
 * under an agreement), {@code GET /v3/kakehashi/lineage/{id}} (one record) and
 * {@code GET /v3/kakehashi/lineage/assets/{assetId}} (what an asset this connector publishes derives from, and whom
 * the agreements behind it allow it to be passed on to). Times are ISO 8601 strings. Thread-safe.
 */
@Path("/v3/kakehashi/lineage")
@Produces(MediaType.APPLICATION_JSON)
public class LineageApiController {

    private final LineageStore store;
    private final AssetIndex assets;
    private final AssetLineage lineage;
    private final Function<String, String> localAgreementId;

    /**
     * @param localAgreementId this connector's id of an agreement given by its own or the protocol's id, or the id as given
     */
    public LineageApiController(LineageStore store, AssetIndex assets, AssetLineage lineage, Function<String, String> localAgreementId) {
        this.store = store;
        this.assets = assets;
        this.lineage = lineage;
        this.localAgreementId = localAgreementId;
    }

    /** One record as the API shows it. */
    public record Entry(String id, String kind, String agreementId, String providerId, String assetId, String destination, String sha256,
                        String receivedAt) {
        static Entry of(LineageRecord r) {
            return new Entry(r.id(), r.kind().name(), r.agreementId(), r.providerId(), r.assetId(), r.destination(), r.sha256(), r.receivedAt().toString());
        }
    }

    /** An onward-transfer restriction as the API shows it. */
    public record Restriction(String lineageId, String agreementId, String providerId, String allows) {
    }

    /** An asset's lineage. */
    public record AssetLineageView(String assetId, List<Entry> derivedFrom, List<Restriction> onwardTransfer) {
    }

    @GET
    public List<Entry> byAgreement(@QueryParam("agreementId") String agreementId) {
        if (agreementId == null || agreementId.isBlank()) {
            throw new InvalidRequestException("agreementId is required: the agreement whose received files, compute results and models to list");
        }
        return store.findByAgreement(localAgreementId.apply(agreementId)).stream().map(Entry::of).toList();
    }

    @GET
    @Path("{id}")
    public Entry byId(@PathParam("id") String id) {
        return store.findById(id).map(Entry::of).orElseThrow(() -> new ObjectNotFoundException(LineageRecord.class, id));
    }

    @GET
    @Path("assets/{assetId}")
    public AssetLineageView ofAsset(@PathParam("assetId") String assetId) {
        var asset = assets.findById(assetId);
        if (asset == null) {
            throw new ObjectNotFoundException(Asset.class, assetId);
        }
        var found = lineage.of(asset);
        return new AssetLineageView(assetId, found.records().stream().map(Entry::of).toList(), found.restrictions().stream()
                .map(r -> new Restriction(r.source().id(), r.agreementId(), r.providerId(), r.allows())).toList());
    }
}
