package io.kakehashi.core.security;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.eclipse.edc.validator.spi.Violation.violation;

/**
 * The properties a destination of one type may have, by local name ({@link DestinationProperties#localName}): a
 * property outside the list is refused, naming it. Immutable and thread-safe.
 *
 * <p>A list can never admit a key that names a vault entry: building one throws.
 */
public final class DestinationAllowList implements Validator<DataAddress> {

    private final String type;
    private final Set<String> names;
    private final List<String> prefixes;

    private DestinationAllowList(String type, Set<String> names, List<String> prefixes) {
        this.type = type;
        this.names = names;
        this.prefixes = prefixes;
    }

    /**
     * @param type     the destination type this list is for
     * @param names    the property names allowed (EDC's namespace may be left off; other namespaces are written out)
     * @param prefixes name prefixes allowed, such as EDC's {@code header:} for additional HTTP headers
     */
    public static DestinationAllowList of(String type, Set<String> names, List<String> prefixes) {
        for (var name : names) {
            if (DestinationProperties.namesVaultEntry(name)) {
                throw new IllegalArgumentException("'%s' names a vault entry and can never be allowed in a destination".formatted(name));
            }
        }
        var local = new TreeSet<String>();
        names.forEach(name -> local.add(DestinationProperties.localName(name)));
        local.add(DestinationProperties.TYPE);
        return new DestinationAllowList(type, Set.copyOf(local), List.copyOf(prefixes));
    }

    public String type() {
        return type;
    }

    @Override
    public ValidationResult validate(DataAddress address) {
        var violations = new ArrayList<Violation>();
        for (var key : address.getProperties().keySet()) {
            if (!allows(key)) {
                violations.add(violation("the %s destination takes no property '%s' (it takes %s)"
                        .formatted(type, DestinationProperties.shown(key), describe()), key));
            }
        }
        return violations.isEmpty() ? ValidationResult.success() : ValidationResult.failure(violations);
    }

    /** Whether a property key is on the list. */
    public boolean allows(String key) {
        if (DestinationProperties.namesVaultEntry(key)) {
            return false;
        }
        var name = DestinationProperties.localName(key);
        return names.contains(name) || prefixes.stream().anyMatch(prefix -> name.startsWith(prefix) && name.length() > prefix.length());
    }

    private String describe() {
        var all = new ArrayList<String>(new TreeSet<>(names));
        prefixes.forEach(prefix -> all.add(prefix + "*"));
        return String.join(", ", all);
    }
}
