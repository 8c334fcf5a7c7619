package io.kakehashi.core.web.guard;

import java.util.List;

/**
 * The largest request body one HTTP context accepts, with larger limits for some paths of it (the compute API on the
 * management context takes models). Immutable; thread-safe.
 *
 * @param maxBytes    the context's limit
 * @param largePaths  path prefixes, relative to the context's path and starting with {@code /}, that get {@code largeBytes}
 * @param largeBytes  the limit for those paths
 */
public record BodyLimit(long maxBytes, List<String> largePaths, long largeBytes) {

    public BodyLimit {
        if (maxBytes < 1 || largeBytes < 1) {
            throw new IllegalArgumentException("body limits must be positive");
        }
        largePaths = List.copyOf(largePaths);
    }

    /** The limit for a request to {@code path} (relative to the context's path, with or without a leading slash). */
    public long forPath(String path) {
        var normalized = path.startsWith("/") ? path : "/" + path;
        return largePaths.stream().anyMatch(normalized::startsWith) ? largeBytes : maxBytes;
    }

    /** The largest body any path of the context accepts. */
    public long largest() {
        return largePaths.isEmpty() ? maxBytes : Math.max(maxBytes, largeBytes);
    }
}
