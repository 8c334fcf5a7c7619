package io.kakehashi.core.metrics;

/**
 * Picks the exposition format a scraper asked for: OpenMetrics 1.0 when {@code Accept} names
 * {@code application/openmetrics-text}, the Prometheus text format 0.0.4 otherwise (what Prometheus reads by default
 * and what a person with curl gets). Stateless.
 */
final class ScrapeFormat {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private ScrapeFormat() {
    }

    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    }
}
