package io.kakehashi.core.vault;

import io.kakehashi.core.security.SecretRedactor;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.nio.file.Path;

/**
 * Provides the connector's vault: a password-protected PKCS#12 file, so keys made at first start survive a restart.
 * A deployment that uses an external vault (HashiCorp, Azure) puts that module on the classpath instead.
 */
@Extension(KeystoreVaultExtension.NAME)
public class KeystoreVaultExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi keystore vault";
    public static final String PATH_KEY = "kakehashi.vault.path";
    public static final String PASSWORD_KEY = "kakehashi.vault.password";

    @Setting(key = PATH_KEY, defaultValue = "kakehashi-data/vault.p12",
            description = "PKCS#12 file that holds the connector's secrets; created at first start")
    private String path;

    @Setting(key = PASSWORD_KEY, required = true,
            description = "Password of the vault file. Give it through the environment (KAKEHASHI_VAULT_PASSWORD), never in a committed file")
    private String password;

    /** Learns the vault's contents, so that no secret of it leaves in a log line, an error or a message. */
    @Inject
    private SecretRedactor redactor;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public Vault vault(ServiceExtensionContext context) {
        if (password.length() < 8) {
            throw new EdcException("Invalid setting '%s': the vault password must be at least 8 characters".formatted(PASSWORD_KEY));
        }
        var vault = KeystoreVault.open(Path.of(path), password.toCharArray())
                .orElseThrow(failure -> new EdcException("Invalid setting '%s' or '%s': %s".formatted(PATH_KEY, PASSWORD_KEY, failure.getFailureDetail())));
        redactor.addSource(vault);
        return vault;
    }
}
