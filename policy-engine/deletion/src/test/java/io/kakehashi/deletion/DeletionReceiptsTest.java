package io.kakehashi.deletion;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kakehashi.deletion.DeletionTestFixtures.CONSUMER;
import static io.kakehashi.deletion.DeletionTestFixtures.PROVIDER;
import static io.kakehashi.deletion.DeletionTestFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

class DeletionReceiptsTest {

    private static final String DIGEST = "a".repeat(64);

    private static DeletionReceipt receipt() {
        return new DeletionReceipt("shared-1", "operation-data", PROVIDER, CONSUMER, DeletionReceipt.DEADLINE, Instant.parse("2026-12-31T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:05Z"), List.of(new DeletionReceipt.Item("transfer-1", "FILE", DIGEST, true),
                new DeletionReceipt.Item("job-2", "MODEL", null, false)));
    }

    @Test
    void read_whenSignedByTheConsumer_shouldGiveTheReceiptBackAndVerifyWithItsKey() {
        var key = key(CONSUMER);

        var read = DeletionReceipts.read(DeletionReceipts.sign(receipt(), key));

        assertThat(read.succeeded()).isTrue();
        assertThat(read.getContent().receipt()).isEqualTo(receipt());
        assertThat(read.getContent().keyId()).isEqualTo(CONSUMER + "#key-1");
        assertThat(DeletionReceipts.verifies(read.getContent(), key.toPublicJWK())).isTrue();
    }

    @Test
    void read_aConsentWithdrawnReceipt_shouldGiveItsSubjectBack() {
        var receipt = new DeletionReceipt("shared-1", "e-receipts", PROVIDER, CONSUMER, DeletionReceipt.CONSENT_WITHDRAWN, null,
                Instant.parse("2026-12-31T00:00:05Z"), List.of(new DeletionReceipt.Item("transfer-1", "FILE", DIGEST, true)), "b".repeat(64));

        var read = DeletionReceipts.read(DeletionReceipts.sign(receipt, key(CONSUMER)));

        assertThat(read.getContent().receipt()).isEqualTo(receipt);
    }

    @Test
    void read_whenTheSubjectDoesNotGoWithTheCause_shouldSaySo() {
        var withSubject = new LinkedHashMap<>(DeletionReceipts.toJson(receipt()));
        withSubject.put("subject", "b".repeat(64));
        var withoutSubject = new LinkedHashMap<>(DeletionReceipts.toJson(receipt()));
        withoutSubject.put("cause", DeletionReceipt.CONSENT_WITHDRAWN);

        assertThat(DeletionReceipts.read(signed(withSubject)).getFailureDetail()).contains("subject is given exactly when the cause is 'consent-withdrawn'");
        assertThat(DeletionReceipts.read(signed(withoutSubject)).getFailureDetail()).contains("subject is given exactly when");
    }

    @Test
    void verifies_whenSignedWithAnotherKeyUnderTheConsumersKeyId_shouldBeFalse() {
        var forged = DeletionReceipts.sign(receipt(), key(CONSUMER));

        assertThat(DeletionReceipts.verifies(DeletionReceipts.read(forged).getContent(), key(CONSUMER).toPublicJWK())).isFalse();
    }

    @Test
    void read_whenAnItemsDigestIsNotHex_shouldNameTheItemAndField() {
        var json = new LinkedHashMap<>(DeletionReceipts.toJson(receipt()));
        var items = new ArrayList<Map<String, Object>>();
        items.add(Map.of("lineageId", "transfer-1", "kind", "FILE", "sha256", "XYZ", "deleted", true));
        json.put("items", items);

        var read = DeletionReceipts.read(signed(json));

        assertThat(read.failed()).isTrue();
        assertThat(read.getFailureDetail()).isEqualTo("the receipt is malformed: items[0].sha256 is not 64 lowercase hex characters");
    }

    @Test
    void read_whenFieldsAreMissingOrWrong_shouldNameEachOne() {
        var json = new LinkedHashMap<>(DeletionReceipts.toJson(receipt()));
        json.remove("agreementId");
        json.put("cause", "whim");
        json.put("deletedAt", "yesterday");

        var read = DeletionReceipts.read(signed(json));

        assertThat(read.getFailureDetail()).contains("agreementId is missing").contains("cause 'whim' is not one of [deadline, termination, consent-withdrawn]")
                .contains("deletedAt is not an ISO 8601 instant");
    }

    @Test
    void read_whenNotAJwsOrAnotherType_shouldSaySo() {
        assertThat(DeletionReceipts.read("not-a-jws").getFailureDetail()).isEqualTo("the receipt is not a compact JWS");
        var key = key(CONSUMER);
        var other = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), new Payload("{}"));
        try {
            other.sign(new ECDSASigner(key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(DeletionReceipts.read(other.serialize()).getFailureDetail()).isEqualTo("the receipt's typ is not 'kakehashi-deletion-receipt+jws'");
    }

    @Test
    void read_whenItListsTooManyItems_shouldRefuseIt() {
        var json = new LinkedHashMap<>(DeletionReceipts.toJson(receipt()));
        var items = new ArrayList<Map<String, Object>>();
        for (var i = 0; i <= DeletionReceipts.MAX_ITEMS; i++) {
            items.add(Map.of("lineageId", "t" + i, "kind", "FILE", "deleted", true));
        }
        json.put("items", items);

        assertThat(DeletionReceipts.read(signed(json)).getFailureDetail()).contains("items lists 10001 items, at most 10000 are allowed");
    }

    private static String signed(Map<String, Object> json) {
        var key = key(CONSUMER);
        var jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(DeletionReceipts.TYPE)).keyID(key.getKeyID()).build(),
                new Payload(json));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }
}
