package io.kakehashi.core.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's static files (HTML, ES modules, CSS, images), read from the class path under
 * {@value #ROOT} and kept in memory after the first read. Only names made of lower-case letters, digits, dashes,
 * underscores and dots in folders of the same, with a known extension, are looked up: nothing outside that folder,
 * no directory listing. Thread-safe.
 */
public final class ConsoleAssets {

    static final String ROOT = "kakehashi-console/";
    static final String INDEX = "index.html";
    private static final Pattern NAME = Pattern.compile("([a-z0-9_-]+/)*[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    public ConsoleAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** A file and its media type. */
    public record Asset(byte[] content, String mediaType) {
    }

    /**
     * The file at {@code path} (relative to the console's path; empty or {@code /} is the index page), or empty when
     * the name is not one the console could hold or no such file is shipped.
     */
    public Optional<Asset> find(String path) {
        var name = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        if (name.isEmpty()) {
            name = INDEX;
        }
        if (name.length() > 200 || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        var cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (var in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            var extension = name.substring(name.lastIndexOf('.') + 1);
            var asset = new Asset(in.readAllBytes(), TYPES.get(extension));
            cache.put(name, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException("the console file " + name + " could not be read", e);
        }
    }
}
