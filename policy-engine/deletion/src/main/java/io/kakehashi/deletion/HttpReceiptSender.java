package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.http.spi.EdcHttpClient;

import java.io.IOException;

/**
 * Sends receipts with EDC's HTTP client (the dataspace's trusted CAs, its timeouts). Thread-safe.
 */
final class HttpReceiptSender implements ReceiptSender {

    private final EdcHttpClient client;
    private final ObjectMapper mapper;

    HttpReceiptSender(EdcHttpClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Answer send(String protocolBase, String receipt) throws IOException {
        var body = mapper.createObjectNode().put("receipt", receipt).toString();
        var request = new Request.Builder().url(protocolBase + PATH).post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.execute(request)) {
            var message = "";
            if (response.code() >= 400 && response.body() != null) {
                try {
                    var node = mapper.readTree(response.body().byteStream().readNBytes(4096));
                    var first = node.isArray() && !node.isEmpty() ? node.get(0) : node;
                    message = first.path("message").asText("");
                } catch (IOException | RuntimeException e) {
                    message = "";
                }
            }
            return new Answer(response.code(), message.length() > 200 ? message.substring(0, 200) : message);
        }
    }
}
