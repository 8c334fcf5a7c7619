package io.kakehashi.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One scrape of a connector's Prometheus endpoint, read as a list of samples (name, labels, value), for tests and
 * samples. Immutable and thread-safe.
 */
public final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of the exposition: a metric name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private MetricsScrape(String text) {
        this.text = text;
        this.samples = text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).map(MetricsScrape::parse).toList();
    }

    /** Reads the exposition text of a scrape. */
    public static MetricsScrape of(String text) {
        return new MetricsScrape(text);
    }

    /** Scrapes the connector's metrics endpoint with its key; fails unless the answer is 200. */
    public static MetricsScrape scrape(ConnectorSettings settings) {
        var response = get(settings.metricsUrl(), settings.metricsKey());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("scraping %s answered %d".formatted(settings.metricsUrl(), response.statusCode()));
        }
        return of(response.body());
    }

    /** A GET of the metrics endpoint with the given key (or none), whatever the answer. */
    public static HttpResponse<String> get(String url, String key) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("x-api-key", key);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the values of every sample with this name whose labels include all the given ones. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** Every sample with this name. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The exposition text as scraped. */
    public String text() {
        return text;
    }

    private static Sample parse(String line) {
        var matcher = SAMPLE.matcher(line);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Prometheus sample line: " + line);
        }
        var labels = new LinkedHashMap<String, String>();
        if (matcher.group(3) != null) {
            var label = LABEL.matcher(matcher.group(3));
            while (label.find()) {
                labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            }
        }
        return new Sample(matcher.group(1), Map.copyOf(labels), value(matcher.group(4)));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
