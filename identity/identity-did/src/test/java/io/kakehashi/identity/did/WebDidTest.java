package io.kakehashi.identity.did;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebDidTest {

    @Test
    void documentUrl_whenPathAndPort_shouldUseDidJsonUnderThePath() {
        var did = WebDid.parse("did:web:127.0.0.1%3A8184:identity").getContent();

        assertThat(did.documentUrl(true)).hasToString("http://127.0.0.1:8184/identity/did.json");
        assertThat(did.documentUrl(false)).hasToString("https://127.0.0.1:8184/identity/did.json");
    }

    @Test
    void documentUrl_whenBareHost_shouldUseWellKnown() {
        var did = WebDid.parse("did:web:authority.example.jp").getContent();

        assertThat(did.documentUrl(true)).hasToString("https://authority.example.jp/.well-known/did.json");
    }

    @Test
    void documentUrl_whenNotLoopback_shouldAlwaysBeHttps() {
        var did = WebDid.parse("did:web:connector.example.de:a:b").getContent();

        assertThat(did.isLoopback()).isFalse();
        assertThat(did.documentUrl(true)).hasToString("https://connector.example.de/a/b/did.json");
    }

    @ParameterizedTest
    @ValueSource(strings = { "did:key:z6Mk", "did:web:", "did:web:host#frag", "did:web:host:", "did:web:host%3Axyz", "did:web:host::a", "web:host" })
    void parse_whenNotAPlainWebDid_shouldFail(String text) {
        assertThat(WebDid.parse(text).failed()).isTrue();
    }

    // found by DidDocumentFuzzTest: these threw IllegalArgumentException from URLDecoder, URI or OkHttp
    @ParameterizedTest
    @ValueSource(strings = { "did:web:%zz:alice", "did:web:host:%4", "did:web:a b^c:alice", "did:web:%3A8080", "did:web:127.0.0.1%00%E2%80%AE:x" })
    void parse_whenNoValidWebAddress_shouldFailInsteadOfThrowing(String text) {
        assertThat(WebDid.parse(text).failed()).isTrue();
        assertThat(new WebDidDocumentResolver(DidTestFixtures.httpClient(), true, DidTestFixtures.typeManagerMapper()).resolve(text).failed()).isTrue();
    }
}
