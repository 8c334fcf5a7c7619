package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import org.eclipse.edc.connector.controlplane.catalog.spi.Catalog;
import org.eclipse.edc.connector.controlplane.catalog.spi.Dataset;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.query.QuerySpec;
import org.jetbrains.annotations.NotNull;

import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * DSP catalog entries that carry the asset's DCAT metadata from the Jena graph as real DCAT properties
 * ({@code dct:title} with its languages, {@code dct:description}, {@code dcat:keyword}, {@code dcat:theme},
 * {@code dct:conformsTo}, the sector fields…), so that any DSP client — a stock EDC connector included — reads them,
 * not only a JSON-LD string.
 * <p>
 * Decorates EDC's resolver, which still decides which datasets the requesting participant sees (the contract
 * definitions' access policies, evaluated per request), their offers, their DSP distributions and the page; see
 * {@code docs/decisions/0007-dsp-catalog-from-graph.md}. The graph's {@code dcat:distribution} is not copied (in DSP
 * that key lists how to obtain the data, which EDC fills); the {@code kh:dcat} property keeps the full document.
 * Thread-safe if the delegate is.
 */
public final class GraphDatasetResolver implements DatasetResolver {

    private final DatasetResolver delegate;
    private final DcatCatalogStore store;

    public GraphDatasetResolver(DatasetResolver delegate, DcatCatalogStore store) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public @NotNull Stream<Dataset> query(ParticipantContext participantContext, ParticipantAgent agent, QuerySpec querySpec, String protocol) {
        return delegate.query(participantContext, agent, querySpec, protocol).map(this::describe);
    }

    @Override
    public Dataset getById(ParticipantContext participantContext, ParticipantAgent agent, String id, String protocol) {
        var dataset = delegate.getById(participantContext, agent, id, protocol);
        return dataset == null ? null : describe(dataset);
    }

    private Dataset describe(Dataset dataset) {
        if (dataset instanceof Catalog) {
            // a sub-catalog (EDC's catalog asset) is passed on as EDC built it
            return dataset;
        }
        var description = store.datasetDescription(dataset.getId());
        if (description.isEmpty()) {
            return dataset;
        }
        var properties = new LinkedHashMap<>(dataset.getProperties());
        properties.putAll(description.get());
        return Dataset.Builder.newInstance()
                .id(dataset.getId())
                .offers(dataset.getOffers())
                .distributions(dataset.getDistributions())
                .properties(properties)
                .build();
    }
}
