package io.kakehashi.samples.hostile;

import io.kakehashi.samples.hostile.rogue.RogueMemberExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the hostile requests and judges every answer: never a 5xx, never a secret of any connector's vault (nor an
 * API key) in the status line's body or a header, and the status the probe expects. A finding does not stop the
 * campaign; {@link #assertNoFindings} fails a test with all findings of a family at once, so one run lists every
 * defect. Thread-safe.
 */
public final class Campaign {

    /** What an answer's status must be. */
    public enum Expect {
        /** anything but a 5xx: the request may be legitimate for the caller */
        NO_SERVER_ERROR("no 5xx"),
        /** a 4xx: the request is malformed, unauthenticated or not the caller's to make */
        CLIENT_ERROR("a 4xx"),
        /** 401 or 403: no or the wrong credential */
        REFUSED_CREDENTIAL("401 or 403");

        private final String text;

        Expect(String text) {
            this.text = text;
        }

        boolean accepts(int status) {
            return switch (this) {
                case NO_SERVER_ERROR -> status > 0 && status < 500;
                case CLIENT_ERROR -> status >= 400 && status < 500;
                case REFUSED_CREDENTIAL -> status == 401 || status == 403;
            };
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A client per retry, so that it cannot pick a pooled connection. */
    private static final java.util.function.Supplier<HttpClient> FRESH_CONNECTIONS =
            () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final VaultSecrets secrets;
    private final List<String> findings = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new LinkedHashMap<>();
    private final List<String> slowest = new CopyOnWriteArrayList<>();

    public Campaign(VaultSecrets secrets) {
        this.secrets = secrets;
    }

    /** Sends a request straight to a connector; {@code headers} may be empty; {@code body} null for none. */
    public Exchange send(String family, String probe, String method, String url, Map<String, String> headers, String body) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90));
        headers.forEach(request::header);
        if (body != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        var started = System.nanoTime();
        try {
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException stale) {
                // the client's pooled connection may have been closed by the connector after an earlier answer (it
                // closes a connection whose body it did not read); once more on a new connection, and a connector
                // that drops this request too gives no answer
                response = FRESH_CONNECTIONS.get().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            var millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 2_000) {
                slowest.add(millis + " ms [" + family + "] " + probe);
            }
            return new Exchange(family, probe, method, url, body, response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            // a connection the connector dropped is no answer at all: as bad as a 5xx
            return new Exchange(family, probe, method, url, body, 599, Map.of(), "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request exactly as written, over a socket of its own: a request target that {@link java.net.URI} would
     * refuse or normalise (backslashes, raw control characters, {@code ..}, double encoding) reaches the connector
     * unchanged. {@code body} may be null.
     */
    public Exchange sendRaw(String family, String probe, int port, String method, String target, Map<String, String> headers, byte[] body) {
        var url = "http://127.0.0.1:" + port + target;
        var request = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n").append("Connection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        var sent = body == null ? null : Exchange.excerpt(new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8), 160)
                + (body.length > 400 ? " (" + body.length + " bytes)" : "");
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(90_000);
            var out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedEarly) {
                    // a server may answer (413) and close before it has read the whole body: its answer still counts
                }
            }
            out.flush();
            var answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            var headEnd = answer.indexOf("\r\n\r\n");
            var head = headEnd < 0 ? answer : answer.substring(0, headEnd);
            var lines = head.split("\r\n");
            var statusLine = lines[0].split(" ");
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                return new Exchange(family, probe, method, url, sent, 599, Map.of(), "no HTTP answer: " + Exchange.excerpt(answer, 200));
            }
            var answerHeaders = new LinkedHashMap<String, List<String>>();
            for (var i = 1; i < lines.length; i++) {
                var colon = lines[i].indexOf(':');
                if (colon > 0) {
                    answerHeaders.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
            }
            var answerBody = headEnd < 0 ? "" : new String(answer.substring(headEnd + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return new Exchange(family, probe, method, url, sent, Integer.parseInt(statusLine[1]), answerHeaders, answerBody);
        } catch (IOException | NumberFormatException e) {
            return new Exchange(family, probe, method, url, sent, 599, Map.of(), "no answer: " + e);
        }
    }

    /**
     * Sends a DSP request with a real member's identity: through the rogue-member harness in that member's connector,
     * which adds the connector's own DCP token for {@code audience}.
     */
    public Exchange sendAsMember(String family, String probe, String rogueUrl, String method, String url, String audience, String body) {
        var headers = new LinkedHashMap<String, String>();
        headers.put(RogueMemberExtension.TARGET, url);
        headers.put(RogueMemberExtension.AUDIENCE, audience);
        headers.put(RogueMemberExtension.METHOD, method);
        var relayed = send(family, probe, "POST", rogueUrl, headers, body == null ? "" : body);
        if (relayed.status() != 200) {
            return new Exchange(family, probe, method, url, body, 599, relayed.headers(), "the rogue member could not relay: " + relayed.body());
        }
        var peerHeaders = new LinkedHashMap<String, List<String>>();
        relayed.headers().forEach((name, values) -> {
            if (name.toLowerCase().startsWith("x-peer-") && !name.equalsIgnoreCase(RogueMemberExtension.PEER_STATUS)) {
                peerHeaders.put(name.substring("x-peer-".length()), values);
            }
        });
        var status = Integer.parseInt(relayed.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(RogueMemberExtension.PEER_STATUS))
                .map(header -> header.getValue().get(0)).findFirst().orElse("599"));
        return new Exchange(family, probe, method, url, body, status, peerHeaders, relayed.body());
    }

    /** Judges one answer; returns it for further checks. */
    public Exchange check(Exchange exchange, Expect expect) {
        return check(exchange, expect, null);
    }

    /** Judges one answer, with what else the probe requires of it ({@code null} for nothing). */
    public Exchange check(Exchange exchange, Expect expect, String extraFinding) {
        count(exchange.family());
        var revealed = secrets.find(exchange.answerText());
        if (!revealed.isEmpty()) {
            findings.add("SECRET " + revealed + " in the answer to " + exchange.describe(true));
        }
        if (exchange.status() >= 500) {
            findings.add("5xx " + exchange.describe(!revealed.isEmpty()));
        } else if (!expect.accepts(exchange.status())) {
            findings.add("expected " + expect.text + ", got " + exchange.describe(!revealed.isEmpty()));
        }
        if (extraFinding != null) {
            findings.add(extraFinding + ": " + exchange.describe(!revealed.isEmpty()));
        }
        return exchange;
    }

    /** Records a finding that is not about one answer (a log, a stored state, a call made outwards). */
    public void finding(String family, String text) {
        findings.add("[" + family + "] " + text);
    }

    /** Checks a text the connectors produced outside an answer (a log, a callback, a stored record). */
    public void checkText(String family, String where, String text) {
        var revealed = secrets.find(text);
        if (!revealed.isEmpty()) {
            findings.add("[" + family + "] SECRET " + revealed + " in " + where);
        }
    }

    /** The secrets a text reveals, by name. */
    public java.util.Set<String> revealed(String text) {
        return secrets.find(text);
    }

    /** The names of the secrets judged against ({@code connector:alias}), never their values. */
    public java.util.Set<String> secretNames() {
        return secrets.describe().keySet();
    }

    private void count(String family) {
        synchronized (counts) {
            counts.computeIfAbsent(family, f -> new AtomicInteger()).incrementAndGet();
        }
    }

    public int requests(String family) {
        synchronized (counts) {
            var count = counts.get(family);
            return count == null ? 0 : count.get();
        }
    }

    /** The findings whose text names {@code family}. */
    public List<String> findings(String family) {
        var matching = new ArrayList<String>();
        for (var finding : findings) {
            if (finding.contains("[" + family + "]")) {
                matching.add(finding);
            }
        }
        return matching;
    }

    /** Fails with every finding of the families, one per line, when there is any. */
    public void assertNoFindings(String... families) {
        var matching = new ArrayList<String>();
        var requests = 0;
        for (var family : families) {
            matching.addAll(findings(family));
            requests += requests(family);
        }
        slowest.stream().filter(line -> java.util.Arrays.stream(families).anyMatch(family -> line.contains("[" + family + "]")))
                .forEach(line -> System.out.println("hostile-input: slow request: " + line));
        assertThat(matching).as("%d findings in %d %s requests:%n%s", matching.size(), requests, String.join(" and ", families), String.join("\n", matching)).isEmpty();
    }
}
