package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.UUID;

/**
 * Issues transfer tokens with EDC's data-plane access-token service (a JWT signed with the data plane's key,
 * recorded in the access-token store so that it can be revoked), scoped to one transfer and agreement and
 * expiring after the configured lifetime. Thread-safe.
 */
public final class TransferTokens {

    private final DataPlaneAccessTokenService tokens;
    private final String ownParticipantId;
    private final Duration lifetime;
    private final Clock clock;

    public TransferTokens(DataPlaneAccessTokenService tokens, String ownParticipantId, Duration lifetime, Clock clock) {
        this.tokens = tokens;
        this.ownParticipantId = ownParticipantId;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * A token for {@code transferId} under {@code agreementId}, for {@code audience}, guarding {@code address}.
     */
    public Result<String> issue(String transferId, String agreementId, String audience, DataAddress address) {
        var now = clock.instant();
        var parameters = TokenParameters.Builder.newInstance()
                .claims("jti", UUID.randomUUID().toString())
                .claims("iss", ownParticipantId)
                .claims("sub", ownParticipantId)
                .claims("aud", audience == null ? ownParticipantId : audience)
                .claims("iat", now.getEpochSecond())
                .claims("exp", now.plus(lifetime).getEpochSecond())
                .build();
        var additional = new HashMap<String, Object>();
        additional.put(EdcTransferTokenVerifier.PROCESS_ID, transferId);
        additional.put(EdcTransferTokenVerifier.AGREEMENT_ID, agreementId);
        return tokens.obtainToken(parameters, address, additional).map(representation -> representation.getToken());
    }

    /** Revokes every token of a transfer. */
    public void revoke(String transferId, String reason) {
        tokens.revoke(transferId, reason);
    }
}
