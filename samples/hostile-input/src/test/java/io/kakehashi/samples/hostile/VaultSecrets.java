package io.kakehashi.samples.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.core.vault.KeystoreVault;
import io.kakehashi.samples.support.ManagementClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What must never leave a connector: every entry of its vault, read from the vault file with the connector's own
 * {@link KeystoreVault} and its password. {@link #find} says which entries a text reveals — the whole entry, or any
 * 16 consecutive base64url or hex characters of it (a key leaked in another encoding, cut, or inside a larger text).
 * <p>
 * The public halves of key pairs are not secrets (the DID document and the gRPC certificate publish them): of a JWK
 * only the private members count ({@code d}, {@code p}, {@code q}, {@code dp}, {@code dq}, {@code qi}, {@code k}), and a
 * PEM certificate or public key is skipped. Any other entry counts whole. Findings name the entry's alias, never its
 * value. Immutable once read; thread-safe.
 */
public final class VaultSecrets {

    static final int RUN = 16;
    private static final Set<String> PRIVATE_JWK_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "k");
    private static final Pattern RUNS = Pattern.compile("[A-Za-z0-9_-]{" + RUN + ",}");
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END [A-Z ]+-----");

    /** Every 16-character window of a secret run, with the alias it came from. */
    private final Map<String, String> windows = new HashMap<>();
    /** The first {@value #PREFIX} characters of every window, packed 6 bits a character: a cheap test before the map. */
    private final Set<Long> prefixes = new java.util.HashSet<>();
    /** Whole secret texts (for short ones that have no run of 16), with their alias. */
    private final Map<String, String> wholes = new HashMap<>();
    private final Map<String, String> kinds = new java.util.TreeMap<>();

    private VaultSecrets() {
    }

    /** Reads the vault file of a connector (which must have started once). */
    public static VaultSecrets read(Path vaultFile, String password) {
        var secrets = new VaultSecrets();
        secrets.add(vaultFile, password);
        return secrets;
    }

    /** The union of several connectors' secrets. */
    public static VaultSecrets of(List<VaultSecrets> all) {
        var union = new VaultSecrets();
        for (var secrets : all) {
            union.windows.putAll(secrets.windows);
            union.prefixes.addAll(secrets.prefixes);
            union.wholes.putAll(secrets.wholes);
            union.kinds.putAll(secrets.kinds);
        }
        return union;
    }

    /** Adds a secret that is not in a vault (an API key), under a name for the findings. */
    public VaultSecrets withSecret(String name, String value) {
        addSecretText(name, value);
        kinds.put(name, "configured secret, " + value.length() + " characters");
        return this;
    }

    private void add(Path vaultFile, String password) {
        var vault = KeystoreVault.open(vaultFile, password.toCharArray())
                .orElseThrow(failure -> new IllegalStateException(failure.getFailureDetail()));
        for (var alias : aliases(vaultFile, password)) {
            var value = vault.resolveSecret(alias);
            if (value == null || value.isEmpty()) {
                continue;
            }
            var name = vaultFile.getParent().getParent().getFileName() + ":" + alias;
            kinds.put(name, classify(name, value));
        }
    }

    private String classify(String name, String value) {
        var trimmed = value.trim();
        var pem = PEM.matcher(trimmed);
        if (pem.find()) {
            var kind = pem.group(1);
            var secret = 0;
            do {
                if (!pem.group(1).contains("CERTIFICATE") && !pem.group(1).equals("PUBLIC KEY")) {
                    addSecretText(name, pem.group(2).replaceAll("\\s", ""));
                    secret++;
                }
            } while (pem.find());
            return "PEM " + kind + (secret == 0 ? " (public, skipped)" : "");
        }
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                var json = ManagementClient.mapper().readTree(trimmed);
                var found = new ArrayList<String>();
                collectPrivateMembers(json, found, false);
                if (containsJwk(json)) {
                    found.forEach(text -> addSecretText(name, text));
                    return "JSON with JWKs, " + found.size() + " private members";
                }
                addSecretText(name, trimmed);
                collectStrings(json, name);
                return "JSON, " + trimmed.length() + " characters";
            } catch (IOException e) {
                // not JSON after all: the whole entry counts
            }
        }
        addSecretText(name, value);
        return "text, " + value.length() + " characters";
    }

    private static boolean containsJwk(JsonNode node) {
        if (node.isObject() && node.has("kty")) {
            return true;
        }
        for (var child : node) {
            if (containsJwk(child)) {
                return true;
            }
        }
        return false;
    }

    private static void collectPrivateMembers(JsonNode node, List<String> found, boolean inJwk) {
        if (node.isObject()) {
            var jwk = node.has("kty");
            node.fields().forEachRemaining(field -> {
                if (jwk && PRIVATE_JWK_MEMBERS.contains(field.getKey()) && field.getValue().isTextual()) {
                    found.add(field.getValue().asText());
                } else {
                    collectPrivateMembers(field.getValue(), found, jwk);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectPrivateMembers(child, found, inJwk));
        } else if (node.isTextual() && node.asText().trim().startsWith("{")) {
            // a JWK kept as a JSON string inside the entry
            try {
                collectPrivateMembers(ManagementClient.mapper().readTree(node.asText()), found, inJwk);
            } catch (IOException e) {
                // an ordinary string
            }
        }
    }

    private void collectStrings(JsonNode node, String name) {
        if (node.isTextual()) {
            addSecretText(name, node.asText());
        }
        node.forEach(child -> collectStrings(child, name));
    }

    private void addSecretText(String name, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        var runs = RUNS.matcher(text);
        var any = false;
        while (runs.find()) {
            any = true;
            var run = runs.group();
            for (var i = 0; i + RUN <= run.length(); i++) {
                windows.putIfAbsent(run.substring(i, i + RUN), name);
                prefixes.add(packed(run, i));
            }
        }
        if (!any && text.length() >= 8) {
            wholes.putIfAbsent(text, name);
        }
    }

    private static List<String> aliases(Path vaultFile, String password) {
        try (InputStream in = Files.newInputStream(vaultFile)) {
            var keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            return Collections.list(keyStore.aliases());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot list the vault " + vaultFile, e);
        }
    }

    /** The aliases of the entries {@code text} reveals (empty when it reveals none). */
    public Set<String> find(String text) {
        var found = new LinkedHashSet<String>();
        if (text == null || text.isEmpty()) {
            return found;
        }
        // one pass, the prefix rolled along the text: logs and answers run to tens of megabytes
        var start = 0;
        var prefix = 0L;
        for (var i = 0; i < text.length(); i++) {
            var code = code(text.charAt(i));
            if (code < 0) {
                start = i + 1;
                continue;
            }
            prefix = ((prefix << 6) | code) & PREFIX_MASK;
            var windowStart = i - PREFIX + 1;
            if (windowStart >= start && windowStart + RUN <= text.length() && prefixes.contains(prefix)) {
                var alias = windows.get(text.substring(windowStart, windowStart + RUN));
                if (alias != null) {
                    found.add(alias);
                }
            }
        }
        wholes.forEach((whole, alias) -> {
            if (text.contains(whole)) {
                found.add(alias);
            }
        });
        return found;
    }

    private static final int PREFIX = 8;
    private static final long PREFIX_MASK = (1L << (6 * PREFIX)) - 1;

    /** A base64url character's 6-bit code (hex digits are among them), or -1 for any other character. */
    private static int code(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    private static long packed(String run, int from) {
        var value = 0L;
        for (var i = from; i < from + PREFIX; i++) {
            value = (value << 6) | code(run.charAt(i));
        }
        return value;
    }

    /** The entries read, with what kind of secret each is (never its value), for the suite's report. */
    public Map<String, String> describe() {
        return Collections.unmodifiableMap(kinds);
    }

    public int size() {
        return windows.size() + wholes.size();
    }
}
