package io.kakehashi.samples.interop.dcp;

import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.ManagementClient;

import java.nio.file.Path;

/**
 * Makes Kakehashi connectors and stock DCP participants members of one dataspace as stock EDC 0.15.1 needs it (see
 * samples/edc-interop/README.md): each trusts the dataspace authority and holds one VC 1.1 JWT credential of each of
 * the dataspace's credential types ({@link StockDcpParticipant#CREDENTIAL_TYPES}) from it, and a provider offers to
 * members only. The interop test and the DCP benchmark set up their participants through it.
 * <p>
 * Thread-safe.
 */
public final class DcpMembers {

    /** The policy function both sides decide a membership constraint with. */
    public static final String MEMBERSHIP = "https://w3id.org/kakehashi/policy/membership";

    /** A legal entity as the authority's legal-entity credential names it. */
    public record LegalEntity(String legalName, String country, String registryId) {
    }

    private DcpMembers() {
    }

    /**
     * Makes a Kakehashi connector, before it starts, trust {@code authority} under {@code alias}, ask peers for the
     * dataspace's credential types, and hold a membership of {@code dataspace} and a legal-entity credential.
     *
     * @return the membership credential's file, to revoke it
     */
    public static Path kakehashi(ConnectorSettings settings, String alias, DataspaceAuthority authority, String dataspace, LegalEntity entity) {
        settings.trustIssuer(alias, authority.did())
                .with("kakehashi.identity.dcp.credential-types", String.join(",", StockDcpParticipant.CREDENTIAL_TYPES));
        var membership = authority.issueTo(settings.participantId(), settings.credentialsDirectory().resolve("membership.jwt"),
                "--type", "membership", "--dataspace", dataspace, "--format", "vc11");
        authority.issueTo(settings.participantId(), settings.credentialsDirectory().resolve("legal-entity.jwt"), legalEntityOptions(entity));
        return membership;
    }

    /**
     * Stores a membership of {@code dataspace} and a legal-entity credential in a stock participant's IdentityHub
     * (which must be started), keeping the issued files in {@code directory}. The participant trusts the authority
     * once its connector starts with {@code authority.did()}.
     *
     * @return the membership credential's file, to revoke it
     */
    public static Path stock(StockDcpParticipant participant, Path directory, DataspaceAuthority authority, String dataspace, LegalEntity entity) {
        var name = participant.connectorSettings().name();
        var membership = authority.issueTo(participant.did(), directory.resolve(name + "-membership.jwt"),
                "--type", "membership", "--dataspace", dataspace, "--format", "vc11");
        participant.storeCredential(membership);
        participant.storeCredential(authority.issueTo(participant.did(), directory.resolve(name + "-legal-entity.jwt"), legalEntityOptions(entity)));
        return membership;
    }

    /** Creates, on a Kakehashi or stock provider, the policy that only members of {@code dataspace} satisfy. */
    public static String membersOnlyPolicy(ManagementClient provider, String dataspace) {
        return provider.createPolicy("members-only", ManagementClient.constraint(MEMBERSHIP, "eq", dataspace));
    }

    private static String[] legalEntityOptions(LegalEntity entity) {
        return new String[]{"--type", "legal-entity", "--legal-name", entity.legalName(), "--country", entity.country(),
                "--registry-id", entity.registryId(), "--format", "vc11"};
    }
}
