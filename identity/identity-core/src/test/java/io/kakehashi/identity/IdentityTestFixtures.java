package io.kakehashi.identity;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.spi.security.Vault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test doubles and keys for the identity tests.
 */
public final class IdentityTestFixtures {

    private IdentityTestFixtures() {
    }

    public static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Remembers token ids the way EDC's stores do: a second entry with the same id is refused. */
    public static final class SeenTokens implements JtiValidationStore {
        private final Map<String, JtiValidationEntry> entries = new ConcurrentHashMap<>();

        @Override
        public StoreResult<Void> storeEntry(JtiValidationEntry entry) {
            return entries.putIfAbsent(entry.tokenId(), entry) == null ? StoreResult.success() : StoreResult.alreadyExists(entry.tokenId());
        }

        @Override
        public JtiValidationEntry findById(String id, boolean autoRemove) {
            return entries.get(id);
        }

        @Override
        public StoreResult<Void> deleteById(String id) {
            return entries.remove(id) == null ? StoreResult.notFound(id) : StoreResult.success();
        }

        @Override
        public StoreResult<Integer> deleteExpired() {
            return StoreResult.success(0);
        }
    }

    /** Keeps what was logged. */
    public static final class RecordingMonitor implements Monitor {
        public final List<String> warnings = new ArrayList<>();

        @Override
        public void warning(String message, Throwable... errors) {
            warnings.add(message);
        }
    }
}
