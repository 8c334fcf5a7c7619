package io.kakehashi.policy.auditor;

import io.kakehashi.identity.spi.AuditorCredential;
import io.kakehashi.identity.spi.SignedRequestVerifier.PresentedCredential;
import io.kakehashi.identity.spi.SignedRequestVerifier.SignedRequest;
import org.eclipse.edc.spi.result.Result;

import java.util.Collection;
import java.util.List;

/**
 * Whether a verified signed request may read this connector's auditor API: one of its credentials is an
 * {@value AuditorCredential#TYPE} whose {@value AuditorCredential#AUDIT_SCOPE} names this connector's participant id,
 * its DID, or {@value AuditorCredential#ANY}. The credentials were verified already (trusted issuer, signature, about
 * the caller, valid now, not revoked); this decides only what they allow. Immutable and thread-safe.
 */
public final class AuditorAccess {

    private final String participantId;

    /** @param participantId this connector's participant id ({@code edc.participant.id}) */
    public AuditorAccess(String participantId) {
        this.participantId = participantId;
    }

    /** The auditor's DID when it may audit this connector; otherwise a failure saying why not. */
    public Result<String> check(SignedRequest request) {
        var auditorCredentials = request.credentials().stream().filter(credential -> credential.types().contains(AuditorCredential.TYPE)).toList();
        if (auditorCredentials.isEmpty()) {
            return Result.failure("'%s' presents no %s (it presents %s)".formatted(request.holder(), AuditorCredential.TYPE,
                    request.credentials().stream().map(PresentedCredential::types).toList()));
        }
        if (auditorCredentials.stream().anyMatch(credential -> covers(credential, request.verifier()))) {
            return Result.success(request.holder());
        }
        return Result.failure("the %s of '%s' does not cover this connector ('%s': neither '%s', '%s' nor '%s')".formatted(AuditorCredential.TYPE,
                request.holder(), AuditorCredential.AUDIT_SCOPE, participantId, request.verifier(), AuditorCredential.ANY));
    }

    private boolean covers(PresentedCredential credential, String ownDid) {
        var scope = credential.subject().get(AuditorCredential.AUDIT_SCOPE);
        Collection<?> entries = scope instanceof Collection<?> list ? list : List.of();
        return entries.stream().anyMatch(entry -> AuditorCredential.ANY.equals(entry) || ownDid.equals(entry) || participantId.equals(entry));
    }
}
