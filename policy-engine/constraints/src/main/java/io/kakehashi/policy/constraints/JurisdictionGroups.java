package io.kakehashi.policy.constraints;

import org.eclipse.edc.spi.result.Result;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashMap;
import java.util.regex.Pattern;

/**
 * Named groups of countries a policy can refer to instead of listing them, e.g. {@code EU_EEA} or the countries a
 * regulator has found adequate. Defined in configuration; names are upper case, at least three characters (so that
 * they never collide with a two-letter country code), and members are ISO 3166-1 alpha-2 codes. Immutable and
 * thread-safe.
 */
public final class JurisdictionGroups {

    static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{2,}");

    private final Map<String, Set<String>> groups;

    private JurisdictionGroups(Map<String, Set<String>> groups) {
        this.groups = groups;
    }

    public static JurisdictionGroups none() {
        return new JurisdictionGroups(Map.of());
    }

    /**
     * Builds the groups from {@code name -> "JP, US, …"}; a failure names the first bad group or member.
     */
    public static Result<JurisdictionGroups> of(Map<String, String> definitions) {
        var groups = new HashMap<String, Set<String>>();
        for (var definition : definitions.entrySet()) {
            var name = definition.getKey();
            if (!NAME.matcher(name).matches()) {
                return Result.failure("group name '%s' must be upper case letters, digits or '_', at least 3 characters".formatted(name));
            }
            var members = new LinkedHashSet<String>();
            for (var member : Arrays.stream(definition.getValue().split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList()) {
                if (!ISO_COUNTRIES.contains(member)) {
                    return Result.failure("group '%s': '%s' is not an ISO 3166-1 alpha-2 country code".formatted(name, member));
                }
                members.add(member);
            }
            if (members.isEmpty()) {
                return Result.failure("group '%s' has no countries".formatted(name));
            }
            groups.put(name, Set.copyOf(members));
        }
        return Result.success(new JurisdictionGroups(Map.copyOf(groups)));
    }

    /**
     * The countries a policy value stands for: itself when it is a country code, the members when it is a group.
     */
    public Optional<Set<String>> countries(String value) {
        if (ISO_COUNTRIES.contains(value)) {
            return Optional.of(Set.of(value));
        }
        return Optional.ofNullable(groups.get(value));
    }

    public List<String> names() {
        return groups.keySet().stream().sorted().toList();
    }
}
