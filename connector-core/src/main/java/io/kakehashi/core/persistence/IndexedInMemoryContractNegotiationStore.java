package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QueryResolver;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.store.ReflectionBasedQueryResolver;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Clock;
import java.util.Objects;
import java.util.stream.Stream;

/** The embedded default's contract negotiations, indexed by state ({@link IndexedInMemoryStateStore}). */
public final class IndexedInMemoryContractNegotiationStore extends IndexedInMemoryStateStore<ContractNegotiation>
        implements ContractNegotiationStore {

    private final QueryResolver<ContractAgreement> agreements;

    public IndexedInMemoryContractNegotiationStore(String leaseHolder, Clock clock, CriterionOperatorRegistry criterionOperatorRegistry) {
        super(ContractNegotiation.class, leaseHolder, clock, criterionOperatorRegistry, state -> ContractNegotiationStates.valueOf(state).code());
        this.agreements = new ReflectionBasedQueryResolver<>(ContractAgreement.class, criterionOperatorRegistry);
    }

    @Override
    public @Nullable ContractAgreement findContractAgreement(String contractId) {
        return findFirst(negotiation -> negotiation.getContractAgreement() != null
                && Objects.equals(contractId, negotiation.getContractAgreement().getId()))
                .map(ContractNegotiation::getContractAgreement)
                .orElse(null);
    }

    @Override
    public StoreResult<Void> deleteById(String negotiationId) {
        return remove(negotiationId);
    }

    @Override
    public @NotNull Stream<ContractNegotiation> queryNegotiations(QuerySpec querySpec) {
        return query(querySpec);
    }

    @Override
    public @NotNull Stream<ContractAgreement> queryAgreements(QuerySpec querySpec) {
        return agreements.query(snapshot().stream().map(ContractNegotiation::getContractAgreement).filter(Objects::nonNull), querySpec);
    }
}
