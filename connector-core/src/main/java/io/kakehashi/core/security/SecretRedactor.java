package io.kakehashi.core.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Takes the connector's secrets out of a text before it leaves (a log line, a stored error detail, a reason sent to a
 * peer, an error response). It knows the secrets from the vault's actual contents ({@link SecretSource}) and replaces
 * <ul>
 *     <li>every occurrence of a whole secret of at least {@value #MIN_WHOLE} characters, and</li>
 *     <li>every run of base64, base64url or hex characters (letters, digits, {@code + / = _ -}) that shares a stretch of
 *     {@value #FRAGMENT} such characters with a secret, so a fragment is caught too: a JWK's {@code d}, a line of a
 *     PEM body, a secret that was cut or re-encoded around its base64 parts.</li>
 * </ul>
 * with {@value #REDACTED}. Ordinary text is left alone: a run is replaced only when it shares {@value #FRAGMENT}
 * characters with a secret.
 *
 * <p>Thread-safe: what it derives from the secrets is rebuilt, whole, when a source's version changes.
 */
public class SecretRedactor {

    public static final String REDACTED = "[redacted]";
    /** Shorter secrets are not searched for as a whole: they would match ordinary words. */
    public static final int MIN_WHOLE = 8;
    /** The stretch of encoded characters a text must share with a secret for its run to be replaced. */
    public static final int FRAGMENT = 16;

    private final List<SecretSource> sources = new CopyOnWriteArrayList<>();
    private volatile Index index = Index.EMPTY;

    /** Adds a source of secrets (the vault, once it is open). */
    public void addSource(SecretSource source) {
        sources.add(source);
    }

    /** The text with every secret and secret fragment replaced; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        var current = current();
        if (current.wholes.isEmpty()) {
            return text;
        }
        var result = text;
        for (var secret : current.wholes) {
            if (result.contains(secret)) {
                result = result.replace(secret, REDACTED);
            }
        }
        return redactFragments(result, current.fragments);
    }

    /** Whether the text holds a secret or a fragment of one. */
    public boolean containsSecret(String text) {
        return text != null && !text.equals(redact(text));
    }

    private Index current() {
        var version = versionOfSources();
        var known = index;
        if (known.version == version) {
            return known;
        }
        var secrets = new ArrayList<String>();
        sources.forEach(source -> secrets.addAll(source.secrets()));
        var rebuilt = Index.of(version, secrets);
        index = rebuilt;
        return rebuilt;
    }

    private long versionOfSources() {
        long version = sources.size();
        for (var source : sources) {
            version = version * 31 + source.version();
        }
        return version;
    }

    private static String redactFragments(String text, Set<String> fragments) {
        if (fragments.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        var copied = 0;
        var i = 0;
        while (i < text.length()) {
            if (!isEncoded(text.charAt(i))) {
                i++;
                continue;
            }
            var start = i;
            while (i < text.length() && isEncoded(text.charAt(i))) {
                i++;
            }
            if (i - start >= FRAGMENT && sharesFragment(text, start, i, fragments)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, start).append(REDACTED);
                copied = i;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean sharesFragment(String text, int start, int end, Set<String> fragments) {
        for (var at = start; at + FRAGMENT <= end; at++) {
            if (fragments.contains(text.substring(at, at + FRAGMENT))) {
                return true;
            }
        }
        return false;
    }

    static boolean isEncoded(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '=' || c == '_' || c == '-';
    }

    /** What is searched for: whole secrets, longest first, and every stretch of {@value #FRAGMENT} encoded characters. */
    private record Index(long version, List<String> wholes, Set<String> fragments) {

        static final Index EMPTY = new Index(Long.MIN_VALUE, List.of(), Set.of());

        static Index of(long version, List<String> secrets) {
            var wholes = new HashSet<String>();
            var fragments = new HashSet<String>();
            for (var secret : secrets) {
                if (secret == null) {
                    continue;
                }
                if (secret.length() >= MIN_WHOLE) {
                    wholes.add(secret);
                }
                var i = 0;
                while (i < secret.length()) {
                    if (!isEncoded(secret.charAt(i))) {
                        i++;
                        continue;
                    }
                    var start = i;
                    while (i < secret.length() && isEncoded(secret.charAt(i))) {
                        i++;
                    }
                    for (var at = start; at + FRAGMENT <= i; at++) {
                        fragments.add(secret.substring(at, at + FRAGMENT));
                    }
                }
            }
            var sorted = new ArrayList<>(wholes);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            return new Index(version, List.copyOf(sorted), Set.copyOf(fragments));
        }
    }
}
