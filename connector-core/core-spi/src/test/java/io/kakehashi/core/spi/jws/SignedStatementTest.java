package io.kakehashi.core.spi.jws;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SignedStatementTest {

    private static final String TYPE = "kakehashi-test+jws";
    private static final String NOUN = "the test statement";

    private static ECKey key() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID("did:web:signer.example#key-1").generate();
    }

    private static String signedWith(JWSHeader header, Payload payload, ECKey key) throws Exception {
        var jws = new JWSObject(header, payload);
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    @Test
    void signedStatement_opensWithItsKeyIdAndPayload_andVerifiesWithThePublicKey() throws Exception {
        var key = key();

        var opened = SignedStatement.open(SignedStatement.sign(TYPE, Map.of("agreementId", "a1"), key, NOUN), TYPE, NOUN);

        assertThat(opened.succeeded()).as("%s", opened.getFailureMessages()).isTrue();
        assertThat(opened.getContent().keyId()).isEqualTo("did:web:signer.example#key-1");
        assertThat(opened.getContent().payload()).containsEntry("agreementId", "a1");
        assertThat(opened.getContent().jws().verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
        assertThat(opened.getContent().jws().verify(new ECDSAVerifier(key().toPublicJWK()))).isFalse();
    }

    @Test
    void malformedStatements_areRefusedInTheStatementsOwnWords() throws Exception {
        var key = key();
        var es256 = new JWSHeader.Builder(JWSAlgorithm.ES256);
        var object = new Payload(Map.of("agreementId", "a1"));

        assertThat(SignedStatement.open(null, TYPE, NOUN).getFailureDetail()).isEqualTo("the test statement is empty");
        assertThat(SignedStatement.open("not-a-jws", TYPE, NOUN).getFailureDetail()).isEqualTo("the test statement is not a compact JWS");
        assertThat(SignedStatement.open(signedWith(es256.type(new JOSEObjectType("other+jws")).keyID("k").build(), object, key), TYPE, NOUN)
                .getFailureDetail()).isEqualTo("the test statement's typ is not 'kakehashi-test+jws'");
        assertThat(SignedStatement.open(signedWith(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).build(), object, key),
                TYPE, NOUN).getFailureDetail()).isEqualTo("the test statement's header names no key (kid)");
        assertThat(SignedStatement.open(signedWith(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID("k").build(),
                new Payload("[1, 2]"), key), TYPE, NOUN).getFailureDetail()).isEqualTo("the test statement's payload is not a JSON object");
        var hs256 = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(TYPE)).keyID("k").build(), object);
        hs256.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));
        assertThat(SignedStatement.open(hs256.serialize(), TYPE, NOUN).getFailureDetail()).isEqualTo("the test statement is signed with HS256, not ES256");
    }
}
