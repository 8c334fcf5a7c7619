package io.kakehashi.identity.spi;

import org.eclipse.edc.spi.result.Result;

import java.math.BigInteger;
import java.util.Locale;

/**
 * A legal entity's identifier in a public registry, checked by its own check digits:
 * <ul>
 *     <li>{@code JCN} — the Japanese corporate number (法人番号): 13 digits, the first a check digit computed from the
 *     other twelve (weights 1 and 2 alternating from the lowest digit, modulo 9);</li>
 *     <li>{@code LEI} — the Legal Entity Identifier (ISO 17442): 20 characters, letters and digits, whose last two
 *     digits make the whole valid under ISO 7064 MOD 97-10.</li>
 * </ul>
 * Written as {@code scheme:value}, e.g. {@code JCN:1180301018771}. Immutable and thread-safe.
 */
public record RegistryIdentifier(Scheme scheme, String value) {

    public enum Scheme { JCN, LEI }

    /**
     * Parses {@code scheme:value}; a failure says which check failed.
     */
    public static Result<RegistryIdentifier> parse(String text) {
        if (text == null || text.indexOf(':') < 0) {
            return Result.failure("registry identifier '%s' is not of the form JCN:<13 digits> or LEI:<20 characters>".formatted(text));
        }
        var scheme = text.substring(0, text.indexOf(':')).trim().toUpperCase(Locale.ROOT);
        var value = text.substring(text.indexOf(':') + 1).trim();
        return switch (scheme) {
            case "JCN" -> corporateNumber(value);
            case "LEI" -> lei(value);
            default -> Result.failure("registry identifier scheme '%s' is not known (JCN, LEI)".formatted(scheme));
        };
    }

    /**
     * A Japanese corporate number, with its check digit verified.
     */
    public static Result<RegistryIdentifier> corporateNumber(String value) {
        if (value == null || !value.matches("\\d{13}")) {
            return Result.failure("corporate number '%s' must be 13 digits".formatted(value));
        }
        var sum = 0;
        // the twelve base digits, counted from the lowest: odd positions weigh 1, even positions 2
        for (int n = 1; n <= 12; n++) {
            var digit = value.charAt(13 - n) - '0';
            sum += digit * (n % 2 == 1 ? 1 : 2);
        }
        var expected = 9 - sum % 9;
        if (value.charAt(0) - '0' != expected) {
            return Result.failure("corporate number '%s' has a wrong check digit (expected %d)".formatted(value, expected));
        }
        return Result.success(new RegistryIdentifier(Scheme.JCN, value));
    }

    /**
     * A Legal Entity Identifier, with its ISO 7064 MOD 97-10 check verified.
     */
    public static Result<RegistryIdentifier> lei(String value) {
        if (value == null || !value.matches("[0-9A-Z]{18}\\d{2}")) {
            return Result.failure("LEI '%s' must be 18 upper-case letters or digits followed by 2 check digits".formatted(value));
        }
        var digits = new StringBuilder(40);
        for (var c : value.toCharArray()) {
            digits.append(Character.digit(c, 36));
        }
        if (new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() != 1) {
            return Result.failure("LEI '%s' fails its ISO 7064 MOD 97-10 check".formatted(value));
        }
        return Result.success(new RegistryIdentifier(Scheme.LEI, value));
    }

    @Override
    public String toString() {
        return scheme + ":" + value;
    }
}
