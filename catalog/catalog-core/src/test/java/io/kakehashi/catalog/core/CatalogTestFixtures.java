package io.kakehashi.catalog.core;

import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Metadata, peer catalogs, clocks and monitors for the catalog tests. */
final class CatalogTestFixtures {

    static final String MANUFACTURING_PROFILE = "https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1";
    static final String MANUFACTURING_DATASET = "https://data.example.jp/datasets/manufacturing-machine-operation-2025";

    private static final String CONTEXT = """
            {
              "dcat": "http://www.w3.org/ns/dcat#",
              "dct": "http://purl.org/dc/terms/",
              "xsd": "http://www.w3.org/2001/XMLSchema#",
              "kh": "https://w3id.org/kakehashi/ns#",
              "dcat:byteSize": { "@type": "xsd:nonNegativeInteger" },
              "dct:conformsTo": { "@type": "@id" },
              "dcat:theme": { "@type": "@id" }
            }""";

    private CatalogTestFixtures() {
    }

    /** One of the valid sector examples of the data-profiles module (manufacturing, mobility, …). */
    static String example(String sector) {
        try (InputStream in = CatalogTestFixtures.class.getClassLoader().getResourceAsStream("examples/" + sector + ".jsonld")) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + sector);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manufacturing example whose English title is tagged German: a profile violation. */
    static String manufacturingWithoutEnglishTitle() {
        var text = example("manufacturing");
        var broken = text.replaceFirst("(\"Machine tool operation data\",\\s*\"@language\": \")en\"", "$1de\"");
        if (broken.equals(text)) {
            throw new IllegalStateException("the manufacturing example changed; update the fixture");
        }
        return broken;
    }

    /** A dataset claiming no profile, described only by a Japanese title and keyword. */
    static String japaneseOnlyDataset(String iri, String titleJa) {
        return """
                {
                  "@context": %s,
                  "@id": "%s",
                  "@type": "dcat:Dataset",
                  "dct:title": { "@value": "%s", "@language": "ja" },
                  "dcat:keyword": ["名古屋工場"]
                }""".formatted(CONTEXT, iri, titleJa);
    }

    /** A dataset claiming no profile, with English and Japanese titles. */
    static String dataset(String iri, String titleEn, String titleJa) {
        return """
                {
                  "@context": %s,
                  "@id": "%s",
                  "@type": "dcat:Dataset",
                  "dct:title": [{ "@value": "%s", "@language": "en" }, { "@value": "%s", "@language": "ja" }]
                }""".formatted(CONTEXT, iri, titleEn, titleJa);
    }

    /** A peer's catalog answer (JSON-LD with an inline context) listing datasets with the given English titles. */
    static String peerCatalog(String peerId, List<String> titles) {
        var datasets = new StringBuilder();
        for (int i = 0; i < titles.size(); i++) {
            if (i > 0) {
                datasets.append(',');
            }
            datasets.append("""
                    { "@id": "https://%s.example/datasets/%d", "@type": "dcat:Dataset",
                      "dct:title": { "@value": "%s", "@language": "en" } }""".formatted(peerId, i, titles.get(i)));
        }
        return """
                {
                  "@context": %s,
                  "@id": "urn:catalog:%s",
                  "@type": "dcat:Catalog",
                  "dcat:dataset": [%s]
                }""".formatted(CONTEXT, peerId, datasets);
    }

    static String peerCatalog(String peerId, String... titles) {
        return peerCatalog(peerId, List.of(titles));
    }

    static Peer peer(String id) {
        return new Peer(id, URI.create("http://127.0.0.1:1/" + id + "/dsp"));
    }

    static String titles(int count, String prefix) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> prefix + " " + i).collect(Collectors.joining(","));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A monitor that remembers warnings, to check a failure is logged. */
    static final class RecordingMonitor implements Monitor {
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void warning(java.util.function.Supplier<String> supplier, Throwable... errors) {
            warnings.add(supplier.get());
        }
    }
}
