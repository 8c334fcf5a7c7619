package io.kakehashi.identity.did;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackShortcutTest {

    @Test
    void check_whenDidNamesAnotherHost_shouldRefuseTheShortcut() {
        var did = WebDid.parse("did:web:provider.example.jp%3A8184:identity").getContent();

        var result = OwnDidExtension.checkLoopbackShortcut(did, true);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("provider.example.jp").contains("not a loopback address");
    }

    @Test
    void check_whenDidNamesAnAddressOfAnotherHost_shouldRefuseTheShortcut() {
        var did = WebDid.parse("did:web:10.77.0.3%3A8184:identity").getContent();

        assertThat(OwnDidExtension.checkLoopbackShortcut(did, true).failed()).isTrue();
    }

    @Test
    void check_whenDidIsOnLoopback_shouldAllowTheShortcut() {
        assertThat(OwnDidExtension.checkLoopbackShortcut(WebDid.parse("did:web:127.0.0.1%3A8184:identity").getContent(), true).succeeded()).isTrue();
        assertThat(OwnDidExtension.checkLoopbackShortcut(WebDid.parse("did:web:localhost%3A8184:identity").getContent(), true).succeeded()).isTrue();
    }

    @Test
    void check_whenShortcutIsOff_shouldAllowAnyHost() {
        assertThat(OwnDidExtension.checkLoopbackShortcut(WebDid.parse("did:web:provider.example.jp").getContent(), false).succeeded()).isTrue();
    }
}
