package io.kakehashi.identity.credentials;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class StatusListTest {

    @Test
    void encode_thenDecode_shouldKeepEveryBit() {
        var list = StatusList.empty();
        list.set(0, true);
        list.set(42, true);
        list.set(131_071, true);

        var decoded = StatusList.decode(list.encode()).getContent();

        assertThat(decoded.size()).isEqualTo(StatusList.MINIMUM_BITS);
        assertThat(decoded.get(0)).isTrue();
        assertThat(decoded.get(1)).isFalse();
        assertThat(decoded.get(42)).isTrue();
        assertThat(decoded.get(131_071)).isTrue();
    }

    @Test
    void set_shouldUseTheLeftMostBitFirst() throws Exception {
        var list = StatusList.empty();
        list.set(0, true);
        var encoded = list.encode();

        assertThat(encoded).startsWith("u");
        var gzip = Base64.getUrlDecoder().decode(encoded.substring(1));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            assertThat(in.read()).isEqualTo(0x80);
        }
    }

    @Test
    void set_whenCleared_shouldReadFalse() {
        var list = StatusList.empty();
        list.set(7, true);
        list.set(7, false);

        assertThat(list.get(7)).isFalse();
    }

    @Test
    void decode_whenNotGzip_shouldFail() {
        assertThat(StatusList.decode("uAAAA").failed()).isTrue();
        assertThat(StatusList.decode("").failed()).isTrue();
    }
}
