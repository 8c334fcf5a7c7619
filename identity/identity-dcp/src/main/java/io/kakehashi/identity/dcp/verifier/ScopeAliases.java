package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.dcp.Dcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scope alias each peer's credential service accepts. DCP 1.0 (section 5.4.1.2) names
 * {@code org.eclipse.dspace.dcp.vc.type} as the alias every credential service must support, but EDC's IdentityHub
 * 0.15.1 accepts only {@code org.eclipse.edc.vc.type} and answers 403 to the other. A verifier asks a peer in the alias
 * remembered for it (DCP 1.0's until told otherwise); when the peer's credential service answers 403 it asks once more
 * in the other alias, and remembers that alias for the peer if the second query is answered (docs/decisions/0026).
 * At most {@code maxEntries} peers are remembered, the least recently used forgotten first (it then starts again
 * from DCP 1.0's alias). Thread-safe.
 */
public class ScopeAliases {

    private final List<String> credentialTypes;
    private final Map<String, String> aliases;

    public ScopeAliases(List<String> credentialTypes, int maxEntries) {
        this.credentialTypes = List.copyOf(credentialTypes);
        this.aliases = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The alias to ask {@code peer} in first. */
    public synchronized String alias(String peer) {
        return aliases.getOrDefault(peer, Dcp.SCOPE_PREFIX);
    }

    /** The scopes of the configured credential types in {@code alias}. */
    public List<String> scopes(String alias) {
        return Dcp.scopes(credentialTypes, alias);
    }

    /** The alias to try after {@code alias} was refused. */
    public static String other(String alias) {
        return Dcp.SCOPE_PREFIX.equals(alias) ? Dcp.EDC_SCOPE_PREFIX : Dcp.SCOPE_PREFIX;
    }

    /** Remembers that {@code peer}'s credential service answered a query in {@code alias}. */
    public synchronized void accepted(String peer, String alias) {
        if (Dcp.SCOPE_PREFIX.equals(alias)) {
            aliases.remove(peer);
        } else {
            aliases.put(peer, alias);
        }
    }
}
