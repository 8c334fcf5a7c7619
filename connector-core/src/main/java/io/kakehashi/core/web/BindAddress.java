package io.kakehashi.core.web;

import org.eclipse.edc.spi.result.Result;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Validates the address a server socket binds to. Stateless and thread-safe.
 */
public final class BindAddress {

    private BindAddress() {
    }

    /**
     * Returns the address as given when it is an IP literal or a host name that resolves to an address of this
     * machine's resolver; a failure that says why otherwise.
     */
    public static Result<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return Result.failure("the address is empty");
        }
        var trimmed = value.trim();
        if (trimmed.contains("/") || trimmed.contains(" ") || trimmed.contains("://")) {
            return Result.failure("'%s' is not a host name or IP address (no scheme, port or path)".formatted(trimmed));
        }
        try {
            InetAddress.getByName(trimmed);
            return Result.success(trimmed);
        } catch (UnknownHostException | SecurityException e) {
            return Result.failure("'%s' does not resolve to an address".formatted(trimmed));
        }
    }
}
