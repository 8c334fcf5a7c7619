package io.kakehashi.identity.credentials;

import org.eclipse.edc.spi.result.Result;

/**
 * Fetches a document (a status list credential) by URL. Implementations are thread-safe.
 */
@FunctionalInterface
public interface DocumentFetcher {

    /** The body of a 200 response; a failure names the URL and what went wrong. */
    Result<String> fetch(String url);
}
