package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.Peer;
import io.kakehashi.catalog.core.PeerCatalogFetcher;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import org.eclipse.edc.connector.controlplane.catalog.spi.CatalogRequestMessage;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;

import java.io.ByteArrayInputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Asks a peer for a page of its catalog over DSP with the connector's own identity: a {@code CatalogRequestMessage}
 * sent through EDC's {@link RemoteMessageDispatcherRegistry} (which signs the request with the connector's token),
 * and the answer expanded with EDC's {@link JsonLd} (its cached DSP contexts; nothing is fetched), so the crawler
 * can read it as RDF. Thread-safe: it holds only thread-safe collaborators.
 */
public final class DspPeerCatalogFetcher implements PeerCatalogFetcher {

    private final RemoteMessageDispatcherRegistry dispatcher;
    private final Supplier<Result<String>> participantContextId;
    private final String protocol;
    private final JsonLd jsonLd;

    /**
     * @param participantContextId supplies the id of the connector's participant context (its identity)
     * @param protocol             the DSP protocol version to speak, e.g. {@code dataspace-protocol-http:2025-1}
     */
    public DspPeerCatalogFetcher(RemoteMessageDispatcherRegistry dispatcher, Supplier<Result<String>> participantContextId,
                                 String protocol, JsonLd jsonLd) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.participantContextId = Objects.requireNonNull(participantContextId, "participantContextId");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.jsonLd = Objects.requireNonNull(jsonLd, "jsonLd");
    }

    @Override
    public CompletableFuture<Result<String>> fetch(Peer peer, int offset, int limit) {
        var context = participantContextId.get();
        if (context.failed()) {
            return CompletableFuture.completedFuture(Result.failure("no participant context to ask with: " + context.getFailureDetail()));
        }
        var message = CatalogRequestMessage.Builder.newInstance()
                .protocol(protocol)
                .counterPartyId(peer.id())
                .counterPartyAddress(peer.dspEndpoint().toString())
                .querySpec(QuerySpec.Builder.newInstance().offset(offset).limit(limit).build())
                .build();
        return dispatcher.dispatch(context.getContent(), byte[].class, message)
                .thenApply(status -> status.succeeded()
                        ? expand(status.getContent())
                        : Result.<String>failure("the peer refused or could not be reached: " + status.getFailureDetail()));
    }

    private Result<String> expand(byte[] body) {
        if (body == null || body.length == 0) {
            return Result.failure("the peer answered with an empty body");
        }
        JsonObject document;
        try (var reader = Json.createReader(new ByteArrayInputStream(body))) {
            document = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return Result.failure("the peer's answer is not a JSON object: " + e.getMessage());
        }
        return jsonLd.expand(document).map(JsonObject::toString);
    }
}
