package io.kakehashi.catalog.extension;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.catalog.spi.Catalog;
import org.eclipse.edc.connector.controlplane.catalog.spi.ContractDefinitionResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DataService;
import org.eclipse.edc.connector.controlplane.catalog.spi.Dataset;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.contract.spi.ContractOfferId;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.policy.spi.PolicyDefinition;
import org.eclipse.edc.connector.controlplane.policy.spi.store.PolicyDefinitionStore;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.PolicyType;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QuerySpec;
import org.jetbrains.annotations.NotNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.eclipse.edc.participantcontext.spi.types.ParticipantResource.filterByParticipantContextId;

/**
 * The DSP catalog's datasets, paged from the {@link OrderedAssetIndex} instead of from a walk over every asset.
 * <p>
 * Per request, as EDC's {@code DatasetResolverImpl}: EDC's {@link ContractDefinitionResolver} decides which contract
 * definitions the requesting agent may see (each access policy evaluated in the catalog scope through the policy
 * engine, so policy functions and the decision log see the same evaluations as with EDC's resolver). Then, unlike EDC,
 * each admitted definition's asset selector and the request's filter are compiled ({@link CompiledCriteria}) and
 * tested against the index's entries in ascending asset-id order; the request's offset and limit are counted over the
 * assets that have at least one offer, and the walk stops when the page is full. Only the page's assets are built
 * into datasets (from the asset each entry holds, as EDC's index returned it), exactly as EDC builds them: the asset's properties, EDC's
 * distributions, a {@link Catalog} for a catalog asset, and one offer per matching definition with an existing
 * contract policy ({@link ContractOfferId} of definition and asset, the contract policy as an
 * {@link PolicyType#OFFER}).
 * <p>
 * Falls back to EDC's resolver ({@code stock}) while the index is not ready, and for a request whose selectors or
 * filter cannot be compiled (an operator EDC's registry does not know, a left operand that is not a name), so those
 * get EDC's answer, errors included. {@link #getById} builds the dataset the same way, so it agrees with
 * {@link #query}. Thread-safe if its collaborators are.
 */
public final class PagedDatasetResolver implements DatasetResolver {

    private final DatasetResolver stock;
    private final ContractDefinitionResolver definitions;
    private final OrderedAssetIndex index;
    private final AssetIndex assets;
    private final PolicyDefinitionStore policies;
    private final DistributionResolver distributions;
    private final CriterionOperatorRegistry operators;
    private final Monitor monitor;

    public PagedDatasetResolver(DatasetResolver stock, ContractDefinitionResolver definitions, OrderedAssetIndex index,
                                AssetIndex assets, PolicyDefinitionStore policies, DistributionResolver distributions,
                                CriterionOperatorRegistry operators, Monitor monitor) {
        this.stock = Objects.requireNonNull(stock, "stock");
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.index = Objects.requireNonNull(index, "index");
        this.assets = Objects.requireNonNull(assets, "assets");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.distributions = Objects.requireNonNull(distributions, "distributions");
        this.operators = Objects.requireNonNull(operators, "operators");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public @NotNull Stream<Dataset> query(ParticipantContext participantContext, ParticipantAgent agent, QuerySpec querySpec, String protocol) {
        if (!index.isReady()) {
            return stock.query(participantContext, agent, querySpec, protocol);
        }
        var resolved = definitions.resolveFor(participantContext, agent);
        if (resolved.contractDefinitions().isEmpty()) {
            return Stream.empty();
        }
        var offering = offering(resolved.contractDefinitions(), resolved.policies());
        var filterCriteria = new ArrayList<>(querySpec.getFilterExpression());
        filterCriteria.add(filterByParticipantContextId(participantContext.getParticipantContextId()));
        var filter = CompiledCriteria.compile(filterCriteria, operators);
        var selectors = new ArrayList<CompiledCriteria>();
        for (var offer : offering) {
            var selector = CompiledCriteria.compile(offer.definition().getAssetsSelector(), operators);
            if (selector.failed()) {
                monitor.debug(() -> "DSP catalog: contract definition %s is matched by EDC's walk: %s"
                        .formatted(offer.definition().getId(), selector.getFailureDetail()));
                return stock.query(participantContext, agent, querySpec, protocol);
            }
            selectors.add(selector.getContent());
        }
        if (filter.failed()) {
            monitor.debug(() -> "DSP catalog: request filtered by EDC's walk: " + filter.getFailureDetail());
            return stock.query(participantContext, agent, querySpec, protocol);
        }
        return page(offering, selectors, filter.getContent(), querySpec.getOffset(), querySpec.getLimit(), protocol).stream();
    }

    @Override
    public Dataset getById(ParticipantContext participantContext, ParticipantAgent agent, String id, String protocol) {
        var resolved = definitions.resolveFor(participantContext, agent);
        if (resolved.contractDefinitions().isEmpty() || id == null) {
            return null;
        }
        var asset = assets.findById(id);
        if (asset == null || !operators.toPredicate(filterByParticipantContextId(participantContext.getParticipantContextId())).test(asset)) {
            return null;
        }
        var offering = offering(resolved.contractDefinitions(), resolved.policies());
        var matching = offering.stream()
                .filter(offer -> offer.definition().getAssetsSelector().stream().allMatch(c -> operators.toPredicate(c).test(asset)))
                .toList();
        return matching.isEmpty() ? null : toDataset(asset, matching, protocol);
    }

    // the admitted definitions whose contract policy exists, in the resolver's order; the others give no offer in EDC either
    private List<Offering> offering(List<ContractDefinition> admitted, Map<String, Policy> known) {
        var offering = new ArrayList<Offering>();
        for (var definition : admitted) {
            var policy = known.computeIfAbsent(definition.getContractPolicyId(), policyId ->
                    Optional.ofNullable(policies.findById(policyId)).map(PolicyDefinition::getPolicy).orElse(null));
            if (policy != null) {
                offering.add(new Offering(definition, policy));
            }
        }
        return offering;
    }

    private List<Dataset> page(List<Offering> offering, List<CompiledCriteria> selectors, CompiledCriteria filter,
                               int offset, int limit, String protocol) {
        var page = new ArrayList<Dataset>(Math.max(0, Math.min(limit, 1000)));
        if (offering.isEmpty() || limit <= 0) {
            return page;
        }
        var skipped = 0;
        var walk = index.inIdOrder();
        while (walk.hasNext() && page.size() < limit) {
            var entry = walk.next();
            Supplier<Asset> full = entry::asset;
            if (!filter.test(entry, full)) {
                continue;
            }
            var matching = new ArrayList<Offering>(offering.size());
            for (int i = 0; i < offering.size(); i++) {
                if (selectors.get(i).test(entry, full)) {
                    matching.add(offering.get(i));
                }
            }
            if (matching.isEmpty()) {
                continue;
            }
            if (skipped < offset) {
                skipped++;
                continue;
            }
            page.add(toDataset(entry.asset(), matching, protocol));
        }
        return page;
    }

    private Dataset toDataset(Asset asset, List<Offering> matching, String protocol) {
        Dataset.Builder<?, ?> builder = asset.isCatalog() ? catalogOf(asset) : Dataset.Builder.newInstance();
        builder.id(asset.getId())
                .distributions(distributions.getDistributions(protocol, asset))
                .properties(asset.getProperties());
        for (var offer : matching) {
            var offerId = ContractOfferId.create(offer.definition().getId(), asset.getId());
            builder.offer(offerId.toString(), offer.policy().toBuilder().type(PolicyType.OFFER).build());
        }
        return builder.build();
    }

    private static Catalog.Builder catalogOf(Asset asset) {
        var address = asset.getDataAddress();
        return Catalog.Builder.newInstance()
                .dataService(DataService.Builder.newInstance()
                        .id(Base64.getUrlEncoder().encodeToString(asset.getId().getBytes()))
                        .endpointDescription(asset.getDescription())
                        .endpointUrl(address == null ? null : address.getStringProperty("https://w3id.org/edc/v0.0.1/ns/baseUrl", null))
                        .build());
    }

    private record Offering(ContractDefinition definition, Policy policy) {
    }
}
