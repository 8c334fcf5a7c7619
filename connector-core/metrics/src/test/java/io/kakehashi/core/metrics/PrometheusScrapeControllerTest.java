package io.kakehashi.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusScrapeControllerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusScrapeController controller = new PrometheusScrapeController(registry);

    @Test
    void scrape_withoutAnAcceptHeader_shouldAnswerThePrometheusTextFormat() {
        Counter.builder(NegotiationMeters.TRANSITIONS).tag("state", "finalized").register(registry).increment(3);

        var response = controller.scrape(null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        assertThat((String) response.getEntity()).contains("kakehashi_negotiation_transitions_total{state=\"finalized\"} 3.0");
    }

    @Test
    void scrape_whenOpenMetricsIsAccepted_shouldAnswerOpenMetricsEndingWithEof() {
        Counter.builder(NegotiationMeters.TRANSITIONS).tag("state", "agreed").register(registry).increment();

        var response = controller.scrape("application/openmetrics-text; version=1.0.0, text/plain; q=0.5");

        assertThat(response.getHeaderString("Content-Type")).startsWith("application/openmetrics-text");
        assertThat((String) response.getEntity()).contains("kakehashi_negotiation_transitions_total{state=\"agreed\"} 1.0").endsWith("# EOF\n");
    }
}
