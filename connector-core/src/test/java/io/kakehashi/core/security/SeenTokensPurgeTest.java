package io.kakehashi.core.security;

import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeenTokensPurgeTest {

    @Test
    void purge_removesExpiredTokenIdsAndKeepsLiveOnes() {
        var seen = new InMemoryJtiValidationStore();
        seen.storeEntry(new JtiValidationEntry("expired", Instant.now().minusSeconds(5).toEpochMilli()));
        seen.storeEntry(new JtiValidationEntry("live", Instant.now().plusSeconds(300).toEpochMilli()));

        SeenTokensPurgeExtension.purgeOnce(seen, new Monitor() { });

        assertThat(seen.findById("expired", false)).isNull();
        assertThat(seen.findById("live", false)).isNotNull();
    }

    @Test
    void purge_thatFails_isReportedAndDoesNotThrow() {
        var warnings = new ArrayList<String>();
        var failing = new InMemoryJtiValidationStore() {
            @Override
            public org.eclipse.edc.spi.result.StoreResult<Integer> deleteExpired() {
                throw new IllegalStateException("database unavailable");
            }
        };

        SeenTokensPurgeExtension.purgeOnce(failing, new Monitor() {
            @Override
            public void warning(String message, Throwable... errors) {
                warnings.add(message);
            }
        });

        assertThat(warnings).isEqualTo(List.of("Cannot purge expired token ids: database unavailable"));
    }
}
