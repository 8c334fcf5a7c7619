package io.kakehashi.transfer.grpc.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An HTTP resource as bulk content: its size from a HEAD request (-1 when not announced), each open a GET,
 * from an offset with a {@code Range} header; a server that ignores ranges is read from the start and the
 * prefix skipped. Thread-safe.
 */
public final class HttpBulkSource implements BulkSource {

    private final HttpClient client;
    private final URI uri;
    private final String contentType;
    private final Duration timeout;

    public HttpBulkSource(HttpClient client, URI uri, String contentType, Duration timeout) {
        this.client = client;
        this.uri = uri;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.timeout = timeout;
    }

    @Override
    public long size() {
        try {
            var response = client.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                return -1;
            }
            return response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        var request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        try {
            var response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            var status = response.statusCode();
            if (status == 206) {
                return response.body();
            }
            if (status / 100 == 2) {
                var body = response.body();
                // no range support: skip what the receiver already holds
                body.skipNBytes(offset);
                return body;
            }
            response.body().close();
            throw new IOException("the source answered HTTP " + status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
