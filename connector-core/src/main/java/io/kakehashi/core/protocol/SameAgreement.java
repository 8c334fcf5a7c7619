package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Whether an agreement a provider sends is the one a consumer already holds: the same shared id
 * ({@code agreementId}), provider, consumer, asset and signing date, and a policy equal as JSON, every term of it.
 * The local {@code id} is left out: each side draws its own. Thread-safe.
 */
public final class SameAgreement implements BiPredicate<ContractAgreement, ContractAgreement> {

    private final ObjectMapper mapper;

    public SameAgreement(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean test(ContractAgreement held, ContractAgreement incoming) {
        return Objects.equals(held.getAgreementId(), incoming.getAgreementId())
                && Objects.equals(held.getProviderId(), incoming.getProviderId())
                && Objects.equals(held.getConsumerId(), incoming.getConsumerId())
                && Objects.equals(held.getAssetId(), incoming.getAssetId())
                && held.getContractSigningDate() == incoming.getContractSigningDate()
                && mapper.valueToTree(held.getPolicy()).equals(mapper.valueToTree(incoming.getPolicy()));
    }
}
