package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.HeadWitness;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.MerkleTree;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer's public decision-log endpoints ({@code <base>/decision-log/v1}, {@link PublicLogController}) reached through
 * the runtime's OkHttp client (with the dataspace's trusted CAs), one try per call: every caller has its own schedule
 * (the outbox's back-off, the witness's interval) or a peer's request waiting (a receipt's issuer keys), and EDC's HTTP
 * client would try an unreachable peer five more times, for about 15 s, holding the outbox's whole pass. Every answer
 * is read up to {@value #MAX_BYTES} bytes; a non-200 answer or an unreadable one is an {@link IOException}, so a peer
 * that cannot be checked is never taken for an inconsistent one. Thread-safe.
 */
final class HttpLogPeer implements HeadWitness.Peer {

    static final int MAX_BYTES = 1 << 20;

    private final OkHttpClient client;
    private final String base;

    HttpLogPeer(OkHttpClient client, String peerBaseUrl) {
        this.client = client;
        this.base = (peerBaseUrl.endsWith("/") ? peerBaseUrl.substring(0, peerBaseUrl.length() - 1) : peerBaseUrl) + "/decision-log/v1";
    }

    @Override
    public String signedTreeHead() throws IOException {
        var node = JsonCanonicalizer.mapper().readTree(get("/tree-head"));
        if (!node.path("signedTreeHead").isTextual()) {
            throw new IOException("the peer's tree head answer carries no signedTreeHead");
        }
        return node.get("signedTreeHead").asText();
    }

    @Override
    public List<CheckpointKey> keys() throws IOException {
        var keys = new ArrayList<CheckpointKey>();
        for (var line : get("/checkpoint-keys").split("\n")) {
            if (!line.isBlank()) {
                try {
                    keys.add(DecisionJson.key(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the peer's key history is not readable: " + e.getMessage());
                }
            }
        }
        return keys;
    }

    @Override
    public List<byte[]> consistencyProof(long from, long to) throws IOException {
        var node = JsonCanonicalizer.mapper().readTree(get("/proofs/consistency?from=" + from + "&to=" + to));
        var proof = new ArrayList<byte[]>();
        for (var hash : node.path("path")) {
            try {
                proof.add(MerkleTree.fromHex(hash.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException("the peer's consistency proof is not hex");
            }
        }
        return proof;
    }

    /**
     * Sends a countersignature to the peer; the peer's answer status (200 when kept).
     */
    int send(String cosignature) throws IOException {
        var body = JsonCanonicalizer.mapper().createObjectNode().put("cosignature", cosignature).toString();
        var request = new Request.Builder().url(base + "/cosignatures").post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.newCall(request).execute()) {
            return response.code();
        }
    }

    /**
     * Sends a receipt to the peer (docs/decisions/0039); the peer's answer status (200 when kept, 404 when the peer
     * takes no receipts).
     */
    int sendReceipt(String receipt) throws IOException {
        var body = JsonCanonicalizer.mapper().createObjectNode().put("receipt", receipt).toString();
        var request = new Request.Builder().url(base + "/receipts").post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (var response = client.newCall(request).execute()) {
            return response.code();
        }
    }

    /**
     * The {@code message} of a JSON error answer, at most 200 characters, or nothing: EDC's shape
     * ({@code [{"message": …}]}) or the {@code {"status", "message"}} object connectors before it answered.
     */
    private static String message(okhttp3.Response response) {
        try {
            if (response.body() == null) {
                return "";
            }
            var bytes = response.body().byteStream().readNBytes(4096);
            var node = JsonCanonicalizer.mapper().readTree(bytes);
            var message = (node.isArray() && !node.isEmpty() ? node.get(0) : node).path("message").asText("");
            return message.isEmpty() ? "" : ": " + (message.length() > 200 ? message.substring(0, 200) : message);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private String get(String path) throws IOException {
        try (var response = client.newCall(new Request.Builder().url(base + path).get().build()).execute()) {
            if (response.code() != 200 || response.body() == null) {
                throw new IOException("GET " + path + " answered " + response.code() + message(response));
            }
            var bytes = response.body().byteStream().readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("GET " + path + " answered more than " + MAX_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
