package io.kakehashi.core.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jersey.server.DefaultJerseyTagsProvider;
import io.micrometer.core.instrument.binder.jersey.server.JerseyTagsProvider;
import org.glassfish.jersey.server.monitoring.RequestEvent;

/**
 * Micrometer's Jersey tags ({@code method}, {@code uri} as the matched URI template such as
 * {@code /2025-1/negotiations/{id}}, never the path with its ids; {@code status}, {@code outcome}, {@code exception})
 * plus the web context the request came to ({@code context}: protocol, management, auditor, ...). Unmatched paths
 * are tagged {@code NOT_FOUND} by Micrometer, so no caller can grow the number of series. Immutable and thread-safe.
 */
final class ContextTagsProvider implements JerseyTagsProvider {

    private final JerseyTagsProvider delegate = new DefaultJerseyTagsProvider();
    private final Tag context;

    ContextTagsProvider(String context) {
        this.context = Tag.of("context", context);
    }

    @Override
    public Iterable<Tag> httpRequestTags(RequestEvent event) {
        return Tags.of(delegate.httpRequestTags(event)).and(context);
    }

    @Override
    public Iterable<Tag> httpLongRequestTags(RequestEvent event) {
        return Tags.of(delegate.httpLongRequestTags(event)).and(context);
    }
}
