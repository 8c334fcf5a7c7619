package io.kakehashi.core.spi.settings;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.configuration.Config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one reader of setting values that EDC's {@code @Setting} cannot type: durations (ISO-8601), whole numbers in
 * a range, ports and sizes; and the value of a setting whose key was renamed. Every failure has one form, {@code Invalid setting '<key>': <what is wrong>}, naming the
 * key and the value, so that a bad configuration stops the connector at start with a message a person can act on.
 * The {@code Result} methods let a caller add context; {@link #require(Result)} turns a failure into the start-up
 * error. Stateless and thread-safe.
 */
public final class SettingValues {

    private SettingValues() {
    }

    /** An ISO-8601 duration such as {@code PT30S}, from {@code min} to {@code max} (either null: unbounded that way). */
    public static Result<Duration> duration(String key, String value, Duration min, Duration max) {
        Duration duration;
        try {
            duration = Duration.parse(value.strip());
        } catch (DateTimeParseException | NullPointerException e) {
            return invalid(key, "'%s' is not an ISO-8601 duration such as PT30S".formatted(value));
        }
        if ((min != null && duration.compareTo(min) < 0) || (max != null && duration.compareTo(max) > 0)) {
            return invalid(key, "%s is not %s".formatted(value, range(min, max)));
        }
        return Result.success(duration);
    }

    /** A duration longer than zero. */
    public static Result<Duration> positiveDuration(String key, String value) {
        var duration = duration(key, value, Duration.ZERO, null);
        if (duration.succeeded() && duration.getContent().isZero()) {
            return invalid(key, "%s must be longer than zero".formatted(value));
        }
        return duration;
    }

    /** A duration of zero or more. */
    public static Result<Duration> nonNegativeDuration(String key, String value) {
        return duration(key, value, Duration.ZERO, null);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Result<Integer> integer(String key, String value, int min, int max) {
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return invalid(key, "'%s' is not a whole number".formatted(value));
        }
        return integer(key, number, min, max);
    }

    /** A whole number EDC already read, checked to lie from {@code min} to {@code max}. */
    public static Result<Integer> integer(String key, long value, int min, int max) {
        if (value < min || value > max) {
            return invalid(key, "%d is not between %d and %d".formatted(value, min, max));
        }
        return Result.success((int) value);
    }

    /** A TCP port, 1 to 65535. */
    public static Result<Integer> port(String key, long value) {
        return integer(key, value, 1, 65535);
    }

    /**
     * A size in bytes: a whole number, optionally with a binary unit ({@code KiB}, {@code MiB}, {@code GiB}; case and
     * a space before the unit do not matter), from {@code min} to {@code max} bytes.
     */
    public static Result<Long> bytes(String key, String value, long min, long max) {
        if (value == null || value.isBlank()) {
            return invalid(key, "no size given");
        }
        var text = value.strip().toLowerCase(Locale.ROOT);
        var unit = 1L;
        var units = new String[]{"kib", "mib", "gib"};
        for (var i = 0; i < units.length; i++) {
            if (text.endsWith(units[i])) {
                unit = 1L << (10 * (i + 1));
                text = text.substring(0, text.length() - units[i].length()).strip();
                break;
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(text), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            return invalid(key, "'%s' is not a size in bytes such as 65536 or 64KiB".formatted(value));
        }
        if (bytes < min || bytes > max) {
            return invalid(key, "%s is not between %d and %d bytes".formatted(value, min, max));
        }
        return Result.success(bytes);
    }

    /**
     * The value of a setting whose key was renamed from {@code oldKey} to {@code key}, so that a configuration written
     * for the old key keeps working. {@code injected} is what EDC's {@code @Setting} on the new key gave (its default
     * when the new key is not set). When only the old key is set its value is used; when both are set the new one
     * wins. Either way a warning names both keys (never the value), so the configuration gets renamed.
     *
     * @return the value to use: the old key's when only it is set, otherwise {@code injected}
     */
    public static String renamed(Config config, String key, String oldKey, String injected, Monitor monitor) {
        if (!config.hasKey(oldKey)) {
            return injected;
        }
        if (config.hasKey(key)) {
            monitor.warning("Setting '%s' is ignored: it was renamed to '%s', which is set too; remove '%s'".formatted(oldKey, key, oldKey));
            return injected;
        }
        monitor.warning("Setting '%s' was renamed to '%s'; its value is used for now, rename it in the configuration".formatted(oldKey, key));
        return config.getString(oldKey);
    }

    /** The value, or the start-up error that names the key. */
    public static <T> T require(Result<T> value) {
        return value.orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
    }

    private static <T> Result<T> invalid(String key, String why) {
        return Result.failure("Invalid setting '%s': %s".formatted(key, why));
    }

    private static String range(Duration min, Duration max) {
        if (min != null && max != null) {
            return "between %s and %s".formatted(min, max);
        }
        return min != null ? "at least " + min : "at most " + max;
    }
}
