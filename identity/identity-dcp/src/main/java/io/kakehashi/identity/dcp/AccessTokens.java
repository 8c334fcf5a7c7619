package io.kakehashi.identity.dcp;

import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * Where this connector's outgoing DSP requests get the access token they carry for the counter-party, which lets that
 * counter-party read the given scopes from this connector's credential service.
 */
@FunctionalInterface
public interface AccessTokens {

    Result<String> accessToken(String verifierDid, List<String> scopes);

    /** A fresh access token for every request. */
    static AccessTokens fresh(SelfIssuedTokens tokens) {
        return tokens::accessToken;
    }
}
