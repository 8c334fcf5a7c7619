package io.kakehashi.consent.withdrawal;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.http.spi.EdcHttpClient;

import java.io.IOException;

/**
 * Sends notices with EDC's HTTP client (the dataspace's trusted CAs, its timeouts); reads at most 1 MiB of an answer.
 * Thread-safe.
 */
public final class HttpNoticeSender implements NoticeSender {

    private static final int MAX_ANSWER = 1 << 20;

    private final EdcHttpClient client;
    private final ObjectMapper mapper;

    public HttpNoticeSender(EdcHttpClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @Override
    public Answer send(String protocolBase, String notice) throws IOException {
        var body = mapper.createObjectNode().put("notice", notice).toString();
        var request = new Request.Builder().url(protocolBase + WithdrawalController.PATH)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.execute(request)) {
            if (response.body() == null) {
                return new Answer(response.code(), null, "");
            }
            var bytes = response.body().byteStream().readNBytes(MAX_ANSWER);
            try {
                var node = mapper.readTree(bytes);
                if (response.code() == 200) {
                    return new Answer(200, node.path("receipt").isTextual() ? node.path("receipt").asText() : null, "");
                }
                var first = node.isArray() && !node.isEmpty() ? node.get(0) : node;
                var message = first.path("message").asText("");
                return new Answer(response.code(), null, message.length() > 200 ? message.substring(0, 200) : message);
            } catch (IOException | RuntimeException e) {
                return new Answer(response.code(), null, "");
            }
        }
    }
}
