package io.kakehashi.transfer.spi;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.eclipse.edc.spi.constants.CoreConstants.EDC_NAMESPACE;
import static org.eclipse.edc.validator.spi.Violation.violation;

/**
 * The properties a counterparty's destination of one of our types may carry; any other property is refused, naming
 * it (never its value). A property in EDC's namespace may also be spelled without it, as EDC reads it that way too.
 * The connector's own rules (connector-core: no key that names a vault entry, no type nobody registered) apply on top.
 * Immutable and thread-safe.
 */
public final class DestinationPropertyAllowList implements Validator<DataAddress> {

    private static final int SHOWN_KEY_LENGTH = 120;

    private final String type;
    private final Set<String> properties;

    private DestinationPropertyAllowList(String type, Set<String> properties) {
        this.type = type;
        this.properties = properties;
    }

    /** @param properties the full property keys allowed besides {@code type} */
    public static DestinationPropertyAllowList of(String type, Set<String> properties) {
        var all = new TreeSet<>(properties);
        all.add(EDC_NAMESPACE + "type");
        return new DestinationPropertyAllowList(type, Set.copyOf(all));
    }

    @Override
    public ValidationResult validate(DataAddress address) {
        var violations = new ArrayList<Violation>();
        for (var key : address.getProperties().keySet()) {
            if (!allows(key)) {
                violations.add(violation("the %s destination takes no property '%s' (it takes %s)"
                        .formatted(type, shown(key), String.join(", ", new TreeSet<>(properties))), key));
            }
        }
        return violations.isEmpty() ? ValidationResult.success() : ValidationResult.failure(violations);
    }

    /** Whether a property key is on the list. */
    public boolean allows(String key) {
        return properties.contains(key) || properties.contains(EDC_NAMESPACE + key);
    }

    /** The allowed keys, sorted. */
    public List<String> properties() {
        return List.copyOf(new TreeSet<>(properties));
    }

    private static String shown(String key) {
        var printable = key.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= SHOWN_KEY_LENGTH ? printable : printable.substring(0, SHOWN_KEY_LENGTH) + "…";
    }
}
