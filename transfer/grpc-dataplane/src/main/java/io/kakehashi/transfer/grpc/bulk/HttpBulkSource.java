package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * An HTTP resource as bulk content: its size from a HEAD request (-1 when not announced), each open a GET,
 * from an offset with a {@code Range} header; a server that ignores ranges is read from the start and the
 * prefix skipped. Thread-safe.
 * <p>
 * Read with the JDK's blocking {@link HttpURLConnection}: a bulk read is one long sequential body, which it hands
 * from the socket to the caller's array without the asynchronous client's per-buffer hand-offs between threads.
 * Reading 1 GiB over loopback cost about 1.2 CPU seconds with it, 1.8–2.3 with OkHttp and 2.2–3.9 with
 * {@code java.net.http.HttpClient} (file server included, same run; docs/benchmarks.md). An {@code https} source is
 * checked with the socket factory it is given: the connector's peer trust, so a source whose certificate comes from
 * the dataspace's CA is trusted like a peer.
 */
public final class HttpBulkSource implements BulkSource {

    private final URI uri;
    private final String contentType;
    private final int timeoutMillis;
    private final SSLSocketFactory tls;

    /** A source whose {@code https} connections trust the JVM's trust store only. */
    public HttpBulkSource(URI uri, String contentType, Duration timeout) {
        this(uri, contentType, timeout, null);
    }

    /** A source whose {@code https} connections use the given socket factory (null: the JVM's default). */
    public HttpBulkSource(URI uri, String contentType, Duration timeout, SSLSocketFactory tls) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an http(s) address: " + uri);
        }
        this.uri = uri;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.tls = tls;
    }

    @Override
    public long size() {
        HttpURLConnection connection = null;
        try {
            connection = open("HEAD");
            if (connection.getResponseCode() / 100 != 2) {
                return -1;
            }
            return connection.getContentLengthLong();
        } catch (IOException e) {
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        var connection = open("GET");
        if (offset > 0) {
            connection.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        var status = connection.getResponseCode();
        if (status == 206) {
            return body(connection);
        }
        if (status / 100 == 2) {
            var body = body(connection);
            // no range support: skip what the receiver already holds
            body.skipNBytes(offset);
            return body;
        }
        var error = connection.getErrorStream();
        if (error != null) {
            error.close();
        }
        connection.disconnect();
        if (status == 408 || status == 429 || status / 100 == 5) {
            throw new SourceUnavailableException("the source answered HTTP " + status);
        }
        throw new IOException("the source answered HTTP " + status);
    }

    private HttpURLConnection open(String method) throws IOException {
        var connection = (HttpURLConnection) uri.toURL().openConnection();
        if (tls != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        connection.setRequestMethod(method);
        connection.setConnectTimeout(timeoutMillis);
        // between two reads, not for the whole body: a large source takes as long as it takes
        connection.setReadTimeout(timeoutMillis);
        connection.setUseCaches(false);
        return connection;
    }

    /**
     * The body; closing it also lets go of the connection (a bulk read is one request, so nothing is kept alive for a
     * next one, and a body closed before its end is not read on to its end first).
     */
    private static InputStream body(HttpURLConnection connection) throws IOException {
        return new FilterInputStream(connection.getInputStream()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    connection.disconnect();
                }
            }
        };
    }
}
