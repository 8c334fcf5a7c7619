package io.kakehashi.samples.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.samples.support.ManagementClient;

import java.util.Map;
import java.util.Optional;

/**
 * An asset a provider offers to anyone: the asset, whose data its data plane reads from an HTTP URL, an open policy
 * and a contract definition that offers the asset under it.
 * <p>
 * Immutable and thread-safe.
 *
 * @param assetId              the asset, which is also the dataset id in the provider's catalog
 * @param policyId             the open policy, used as access and contract policy
 * @param contractDefinitionId the contract definition
 */
public record DataOffer(String assetId, String policyId, String contractDefinitionId) {

    /**
     * Registers the asset {@code assetId}, served from {@code sourceUrl}, with an open policy and a contract definition.
     */
    public static DataOffer publish(ManagementClient provider, String assetId, String sourceUrl) {
        provider.createAsset(assetId,
                Map.of("name", assetId, "contenttype", "application/octet-stream"),
                Map.of("type", "HttpData", "baseUrl", sourceUrl));
        var policyId = provider.createOpenPolicy(assetId + "-open-policy");
        var contractDefinitionId = provider.createContractDefinition(assetId + "-offer", policyId, policyId, assetId);
        return new DataOffer(assetId, policyId, contractDefinitionId);
    }

    /**
     * Registers the asset {@code assetId}, served from {@code sourceUrl}, offered under the provider's policy
     * {@code policyId} as access and contract policy.
     */
    public static DataOffer publish(ManagementClient provider, String assetId, String sourceUrl, String policyId) {
        provider.createAsset(assetId,
                Map.of("name", assetId, "contenttype", "application/octet-stream"),
                Map.of("type", "HttpData", "baseUrl", sourceUrl));
        var contractDefinitionId = provider.createContractDefinition(assetId + "-offer", policyId, policyId, assetId);
        return new DataOffer(assetId, policyId, contractDefinitionId);
    }

    /**
     * The dataset {@code datasetId} of a catalog as a consumer's management API returned it, if the catalog has it.
     */
    public static Optional<JsonNode> dataset(JsonNode catalog, String datasetId) {
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (datasetId.equals(dataset.path("@id").asText())) {
                return Optional.of(dataset);
            }
        }
        return Optional.empty();
    }
}
