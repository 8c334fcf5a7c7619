package io.kakehashi.core.security;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.eclipse.edc.validator.spi.Violation.violation;

/**
 * EDC's data-address validator registry with the rules for destinations, which always come from a counterparty (a
 * DSP {@code TransferRequestMessage}, a consumer's management request, a data flow the data plane starts): a
 * destination passes only when
 * <ol>
 *     <li>it names no vault entry ({@link DestinationProperties#namesVaultEntry}), whatever its type;</li>
 *     <li>its type is one some module registered a destination validator for (stock EDC lets an unknown type
 *     through with a warning);</li>
 *     <li>every validator registered for its type passes (stock EDC keeps only the last one), which is where each
 *     type's allow-list of properties sits.</li>
 * </ol>
 * Failures name the property or type refused, never a value. Sources (the operator's own assets) go to EDC's registry
 * unchanged.
 *
 * <p>Thread-safe.
 */
public class CounterpartyDestinationRegistry implements DataAddressValidatorRegistry {

    private final DataAddressValidatorRegistry delegate;
    private final Map<String, List<Validator<DataAddress>>> destinationValidators = new ConcurrentHashMap<>();

    public CounterpartyDestinationRegistry(DataAddressValidatorRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public void registerSourceValidator(String type, Validator<DataAddress> validator) {
        delegate.registerSourceValidator(type, validator);
    }

    @Override
    public void registerDestinationValidator(String type, Validator<DataAddress> validator) {
        destinationValidators.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(validator);
    }

    @Override
    public ValidationResult validateSource(DataAddress address) {
        return delegate.validateSource(address);
    }

    @Override
    public ValidationResult validateDestination(DataAddress address) {
        if (address == null) {
            return ValidationResult.failure(violation("the destination is missing", "dataAddress"));
        }
        var vaultKey = DestinationProperties.vaultNamingKey(address);
        if (vaultKey != null) {
            return ValidationResult.failure(violation(("the destination's property '%s' names a vault entry; a counterparty's "
                    + "address never may").formatted(DestinationProperties.shown(vaultKey)), vaultKey));
        }
        var type = address.getType();
        if (type == null || type.isBlank()) {
            return ValidationResult.failure(violation("the destination has no type", DestinationProperties.TYPE));
        }
        var validators = destinationValidators.get(type);
        if (validators == null || validators.isEmpty()) {
            return ValidationResult.failure(violation("the destination type '%s' is not one this connector accepts (it accepts %s)"
                    .formatted(DestinationProperties.shown(type), String.join(", ", acceptedTypes())), DestinationProperties.TYPE));
        }
        return validators.stream().map(validator -> validator.validate(address)).reduce(ValidationResult.success(), ValidationResult::merge);
    }

    /** The destination types some module registered, sorted. */
    public List<String> acceptedTypes() {
        return List.copyOf(new TreeSet<>(destinationValidators.keySet()));
    }
}
