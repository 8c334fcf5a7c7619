package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13, defect 9: a status list or schema longer than {@link HttpDocumentFetcher#MAX_DOCUMENT_BYTES} is refused. */
class OversizedDocumentFetchTest {

    @Test
    void fetch_whenTheDocumentIsLongerThanTheLimit_shouldBeRefused() throws IOException {
        try (var server = new DidDocumentServer()) {
            server.put("/status/1", "\"" + "a".repeat((int) HttpDocumentFetcher.MAX_DOCUMENT_BYTES) + "\"");
            server.put("/status/2", "\"" + "a".repeat(1000) + "\"");
            var fetcher = new HttpDocumentFetcher(DidTestFixtures.httpClient(), true);

            var tooLong = fetcher.fetch("http://127.0.0.1:%d/status/1".formatted(server.port()));
            var small = fetcher.fetch("http://127.0.0.1:%d/status/2".formatted(server.port()));

            assertThat(tooLong.failed()).isTrue();
            assertThat(tooLong.getFailureDetail()).contains("longer than " + HttpDocumentFetcher.MAX_DOCUMENT_BYTES + " bytes");
            assertThat(small.succeeded()).isTrue();
        }
    }
}
