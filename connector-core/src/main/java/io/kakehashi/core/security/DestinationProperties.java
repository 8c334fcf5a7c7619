package io.kakehashi.core.security;

import org.eclipse.edc.spi.types.domain.DataAddress;

import java.util.Locale;
import java.util.Set;

import static org.eclipse.edc.spi.constants.CoreConstants.EDC_NAMESPACE;

/**
 * How a destination's property keys are read when a counterparty's address is checked. Stateless.
 *
 * <p>EDC looks a property up under {@code https://w3id.org/edc/v0.0.1/ns/<name>} and then under the bare name, so both
 * spellings of an EDC property are one property here. A key that names a vault entry ({@code secretName},
 * {@code keyName}, EDC's OAuth2 {@code oauth2:privateKeyName} and {@code oauth2:clientSecretKey}, or any other key whose
 * last segment ends in {@code secretName}, {@code keyName}, {@code secretKey} or {@code alias}, or is {@code secret})
 * is refused in every counterparty address, whatever its type: the data plane would resolve it in our vault.
 */
public final class DestinationProperties {

    /** The property every data address has. */
    public static final String TYPE = "type";

    private static final Set<String> VAULT_NAMES = Set.of("secret", "secretname", "keyname", "privatekeyname",
            "clientsecretkey", "secretkey", "alias", "vaultalias", "keyalias");
    private static final int SHOWN_KEY_LENGTH = 120;

    private DestinationProperties() {
    }

    /** The key without EDC's namespace: {@code https://w3id.org/edc/v0.0.1/ns/baseUrl} and {@code baseUrl} are both {@code baseUrl}. */
    public static String localName(String key) {
        return key.startsWith(EDC_NAMESPACE) ? key.substring(EDC_NAMESPACE.length()) : key;
    }

    /** Whether a property key names an entry of a vault (whatever its namespace or case). */
    public static boolean namesVaultEntry(String key) {
        var name = localName(key);
        var cut = Math.max(name.lastIndexOf(':'), Math.max(name.lastIndexOf('/'), name.lastIndexOf('#')));
        var last = name.substring(cut + 1).toLowerCase(Locale.ROOT);
        return VAULT_NAMES.contains(last) || last.endsWith("secretname") || last.endsWith("keyname")
                || last.endsWith("secretkey") || last.endsWith("alias");
    }

    /** Whether the address has a property that names a vault entry; the first such key, or null. */
    public static String vaultNamingKey(DataAddress address) {
        return address.getProperties().keySet().stream().filter(DestinationProperties::namesVaultEntry).findFirst().orElse(null);
    }

    /**
     * A key as it may appear in a message to the peer: at most {@value #SHOWN_KEY_LENGTH} characters and no control
     * characters (the key is the peer's own input; its values are never shown).
     */
    public static String shown(String key) {
        var printable = key.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= SHOWN_KEY_LENGTH ? printable : printable.substring(0, SHOWN_KEY_LENGTH) + "…";
    }
}
