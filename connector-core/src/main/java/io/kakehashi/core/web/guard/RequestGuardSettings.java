package io.kakehashi.core.web.guard;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.Config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.kakehashi.core.spi.settings.SettingValues.renamed;

/**
 * The request guard's settings, read and checked once at start: a body limit per HTTP context (with larger limits for
 * some paths), the deepest JSON nesting and the longest id accepted. A bad value fails start-up naming its key.
 * Immutable; thread-safe.
 *
 * @param limits       the body limit of each HTTP context the runtime configures, by context name ({@code default},
 *                     {@code management}, {@code protocol}, …)
 * @param maxJsonDepth deepest nesting of a JSON body
 * @param maxIdLength  longest id a caller may choose
 */
public record RequestGuardSettings(Map<String, BodyLimit> limits, int maxJsonDepth, int maxIdLength) {

    public static final String PREFIX = "kakehashi.web.guard.";
    public static final String MAX_BODY_BYTES = PREFIX + "max-body-bytes";
    public static final String MAX_JSON_DEPTH = PREFIX + "max-json-depth";
    public static final String MAX_ID_LENGTH = PREFIX + "max-id-length";
    /** Per context: {@code kakehashi.web.guard.<context>.max-body-bytes}, {@code ….large-body-paths}, {@code ….large-body-bytes}. */
    public static final String CONTEXT_MAX_BODY_BYTES = "max-body-bytes";
    public static final String CONTEXT_LARGE_PATHS = "large-body-paths";
    public static final String CONTEXT_LARGE_BYTES = "large-body-bytes";
    /** The compute setting whose models the management context's compute paths must take. */
    public static final String MAX_MODEL_BYTES = "kakehashi.ai.evaluation.max-model-bytes";
    /** Its former camelCase name, still read (with a warning) when the new key is not set. */
    public static final String FORMER_MAX_MODEL_BYTES = "kakehashi.ai.evaluation.maxModelBytes";

    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_MAX_JSON_DEPTH = 100;
    public static final int DEFAULT_MAX_ID_LENGTH = 512;
    public static final long DEFAULT_MAX_MODEL_BYTES = 64L * 1024 * 1024;
    static final String COMPUTE_PATHS = "/v3/kakehashi/compute/";
    /**
     * The DSP transfer requests of each protocol version: a compute job sent to this provider travels, model and all,
     * in the request's destination, so these take a model-sized body too (authenticated right after the read).
     */
    static final String TRANSFER_REQUEST_PATHS = "/2025-1/transfers/request,/2024/1/transfers/request,/transfers/request";
    private static final long ENVELOPE_BYTES = 1024 * 1024;

    public RequestGuardSettings {
        limits = Map.copyOf(limits);
    }

    /** The limit of a context; a context without settings of its own gets the general one. */
    public BodyLimit limit(String context) {
        return limits.get(context);
    }

    /** Reads the settings; {@code monitor} hears of a setting still under its former key. */
    public static RequestGuardSettings from(Config config, Monitor monitor) {
        var general = positive(config, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
        var modelBytes = positive(MAX_MODEL_BYTES, renamed(config, MAX_MODEL_BYTES, FORMER_MAX_MODEL_BYTES, config.getString(MAX_MODEL_BYTES, null), monitor),
                DEFAULT_MAX_MODEL_BYTES);
        var limits = new LinkedHashMap<String, BodyLimit>();
        for (var context : contexts(config)) {
            var key = PREFIX + context + ".";
            var max = positive(config, key + CONTEXT_MAX_BODY_BYTES, general);
            // a model travels base64-encoded inside a JSON job: 4/3 of its bytes, plus the rest of the job
            var defaultLargePaths = switch (context) {
                case "management" -> COMPUTE_PATHS;
                case "protocol" -> TRANSFER_REQUEST_PATHS;
                default -> "";
            };
            var defaultLarge = defaultLargePaths.isEmpty()
                    ? max : modelBytes / 3 * 4 + 4 + ENVELOPE_BYTES;
            var paths = Arrays.stream(config.getString(key + CONTEXT_LARGE_PATHS, defaultLargePaths).split(","))
                    .map(String::trim).filter(p -> !p.isEmpty()).toList();
            for (var path : paths) {
                if (!path.startsWith("/")) {
                    throw new EdcException("Invalid setting '%s': a path must start with '/', was '%s'".formatted(key + CONTEXT_LARGE_PATHS, path));
                }
            }
            var large = positive(config, key + CONTEXT_LARGE_BYTES, defaultLarge);
            limits.put(context, new BodyLimit(max, paths, large));
        }
        var depth = (int) Math.min(Integer.MAX_VALUE, positive(config, MAX_JSON_DEPTH, DEFAULT_MAX_JSON_DEPTH));
        var idLength = (int) Math.min(Integer.MAX_VALUE, positive(config, MAX_ID_LENGTH, DEFAULT_MAX_ID_LENGTH));
        return new RequestGuardSettings(limits, depth, idLength);
    }

    /** The HTTP contexts configured: {@code default} for {@code web.http.port}, and each {@code web.http.<name>.port}. */
    static List<String> contexts(Config config) {
        var names = new TreeSet<String>();
        for (var key : config.getConfig("web.http").getRelativeEntries().keySet()) {
            if (key.equals("port")) {
                names.add("default");
            } else if (key.endsWith(".port") && key.indexOf('.') == key.length() - ".port".length()) {
                names.add(key.substring(0, key.length() - ".port".length()));
            }
        }
        return List.copyOf(names);
    }

    private static long positive(Config config, String key, long defaultValue) {
        return positive(key, config.getString(key, null), defaultValue);
    }

    private static long positive(String key, String text, long defaultValue) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            var value = Long.parseLong(text.trim());
            if (value < 1) {
                throw new EdcException("Invalid setting '%s': must be positive, was %d".formatted(key, value));
            }
            return value;
        } catch (NumberFormatException e) {
            throw new EdcException("Invalid setting '%s': not a whole number: '%s'".formatted(key, text));
        }
    }
}
