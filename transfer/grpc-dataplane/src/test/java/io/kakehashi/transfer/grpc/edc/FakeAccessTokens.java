package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.connector.dataplane.spi.AccessTokenData;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test stand-in for EDC's access-token service: random opaque tokens recorded in memory, revocable by transfer. */
final class FakeAccessTokens implements DataPlaneAccessTokenService {

    private final Map<String, AccessTokenData> issued = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Override
    public Result<TokenRepresentation> obtainToken(TokenParameters parameters, DataAddress backendDataAddress, Map<String, Object> additional) {
        var bytes = new byte[24];
        random.nextBytes(bytes);
        var token = HexFormat.of().formatHex(bytes);
        var claims = ClaimToken.Builder.newInstance().claims(parameters.getClaims()).build();
        issued.put(token, new AccessTokenData(token, claims, backendDataAddress, additional));
        return Result.success(TokenRepresentation.Builder.newInstance().token(token).build());
    }

    @Override
    public Result<AccessTokenData> resolve(String token) {
        var data = issued.get(token);
        return data == null ? Result.failure("unknown token") : Result.success(data);
    }

    @Override
    public ServiceResult<Void> revoke(String transferProcessId, String reason) {
        issued.values().removeIf(data -> transferProcessId.equals(data.additionalProperties().get("process_id")));
        return ServiceResult.success();
    }
}
