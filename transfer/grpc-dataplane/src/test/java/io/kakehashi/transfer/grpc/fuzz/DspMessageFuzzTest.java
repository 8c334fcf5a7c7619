package io.kakehashi.transfer.grpc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import io.kakehashi.testfixtures.Ports;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.connector.controlplane.catalog.spi.CatalogError;
import org.eclipse.edc.connector.controlplane.catalog.spi.CatalogRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationError;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferError;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.protocol.dsp.http.spi.message.DspRequestHandler;
import org.eclipse.edc.protocol.dsp.http.spi.message.PostDspRequest;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.spi.types.domain.message.ErrorMessage;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.protocol.dsp.spi.type.Dsp2025Constants.DATASPACE_PROTOCOL_HTTP_V_2025_1;
import static org.eclipse.edc.protocol.dsp.spi.type.Dsp2025Constants.DSP_NAMESPACE_V_2025_1;
import static org.eclipse.edc.protocol.dsp.spi.type.DspCatalogPropertyAndTypeNames.DSPACE_TYPE_CATALOG_REQUEST_MESSAGE_TERM;
import static org.eclipse.edc.protocol.dsp.spi.type.DspNegotiationPropertyAndTypeNames.DSPACE_TYPE_CONTRACT_REQUEST_MESSAGE_TERM;
import static org.eclipse.edc.protocol.dsp.spi.type.DspTransferProcessPropertyAndTypeNames.DSPACE_TYPE_TRANSFER_REQUEST_MESSAGE_TERM;
import static org.eclipse.edc.protocol.dsp.spi.type.DspTransferProcessPropertyAndTypeNames.DSPACE_TYPE_TRANSFER_TERMINATION_MESSAGE_TERM;

/**
 * DSP 2025-1 message bodies as the connector reads them, in-process on a booted control plane: the JSON-LD mapper the
 * protocol context parses bodies with, EDC's JSON-LD expansion, then the runtime's {@code DspRequestHandler} — the
 * message validators and the DSP transformers that turn a body into a message — up to the protocol service, which the
 * test replaces. Whatever the body, the handler answers a status below 500 (a malformed body is 400) and throws
 * nothing; a body that is no JSON at all is refused by the parser, which the web layer answers with 400.
 * <p>
 * An input is UTF-8 text: the message kind on the first line ({@code transfer-request}, {@code transfer-termination},
 * {@code contract-request} or {@code catalog-request}), the body after. Regression inputs:
 * {@code DspMessageFuzzTestInputs/} under this package in src/test/resources. Fuzz with {@code JAZZER_FUZZ=1}
 * (docs/security.md).
 */
@Tag("security")
class DspMessageFuzzTest {

    /** Booted on first use; see {@link #runtime()}. */
    private static EmbeddedRuntime runtime;

    /** What reached the protocol service, for the test that shows the target is not vacuous. */
    private static final AtomicReference<RemoteMessage> RECEIVED = new AtomicReference<>();

    private enum Kind {
        TRANSFER_REQUEST("transfer-request", DSPACE_TYPE_TRANSFER_REQUEST_MESSAGE_TERM, TransferRequestMessage.class, TransferProcess.class,
                TransferError.class, TransferError.Builder::newInstance),
        TRANSFER_TERMINATION("transfer-termination", DSPACE_TYPE_TRANSFER_TERMINATION_MESSAGE_TERM, TransferTerminationMessage.class,
                TransferProcess.class, TransferError.class, TransferError.Builder::newInstance),
        CONTRACT_REQUEST("contract-request", DSPACE_TYPE_CONTRACT_REQUEST_MESSAGE_TERM, ContractRequestMessage.class, ContractNegotiation.class,
                ContractNegotiationError.class, ContractNegotiationError.Builder::newInstance),
        CATALOG_REQUEST("catalog-request", DSPACE_TYPE_CATALOG_REQUEST_MESSAGE_TERM, CatalogRequestMessage.class, Object.class,
                CatalogError.class, CatalogError.Builder::newInstance);

        final String line;
        final String term;
        final Class<? extends RemoteMessage> input;
        final Class<?> result;
        final Class<? extends ErrorMessage> error;
        final Supplier<? extends ErrorMessage.Builder<?, ?>> errors;

        Kind(String line, String term, Class<? extends RemoteMessage> input, Class<?> result, Class<? extends ErrorMessage> error,
             Supplier<? extends ErrorMessage.Builder<?, ?>> errors) {
            this.line = line;
            this.term = term;
            this.input = input;
            this.result = result;
            this.error = error;
            this.errors = errors;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void handle(byte[] input) {
        var parts = new String(input, StandardCharsets.UTF_8).split("\n", 2);
        var kind = Arrays.stream(Kind.values()).filter(k -> k.line.equals(parts[0])).findFirst().orElse(Kind.TRANSFER_REQUEST);
        var body = parts.length > 1 ? parts[1] : parts[0];

        var response = handle(kind, body);

        if (response != null) {
            assertThat(response.getStatus()).as("status for a %s body", kind.line).isLessThan(500);
        }
    }

    @Test
    void handle_whenSeedIsAValidTransferRequest_shouldReachTheProtocolService() throws IOException {
        // the target is not vacuous: a well-formed message passes validation and transformation
        try (InputStream seed = getClass().getResourceAsStream("DspMessageFuzzTestInputs/handle/transfer-request-valid")) {
            assertThat(seed).isNotNull();
            RECEIVED.set(null);
            var parts = new String(seed.readAllBytes(), StandardCharsets.UTF_8).split("\n", 2);

            var response = handle(Kind.TRANSFER_REQUEST, parts[1]);

            assertThat(response).isNotNull();
            assertThat(RECEIVED.get()).isInstanceOf(TransferRequestMessage.class);
            assertThat(((TransferRequestMessage) RECEIVED.get()).getConsumerPid()).isEqualTo("urn:uuid:consumer-1");
        }
    }

    /**
     * The control plane, booted once. EDC's test runtime gives up waiting for a boot after 30 seconds while the boot
     * goes on; with the fuzzer's agent on a busy machine it can take longer, so a boot that is still under way is
     * waited for (up to five minutes) instead of failing the test.
     */
    private static synchronized EmbeddedRuntime runtime() {
        if (runtime != null) {
            return runtime;
        }
        var booting = new EmbeddedRuntime("dsp-fuzz", new URL[0]).configurationProvider(DspMessageFuzzTest::configuration);
        try {
            booting.boot(false);
        } catch (EdcException e) {
            if (e.getCause() != null) {
                throw e;
            }
            var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!booting.isRunning() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            if (!booting.isRunning()) {
                throw e;
            }
        }
        runtime = booting;
        return runtime;
    }

    @AfterAll
    static synchronized void shutdown() {
        if (runtime != null) {
            runtime.shutdown();
            runtime = null;
        }
    }

    private static Config configuration() {
        var config = new HashMap<String, String>();
        config.put("edc.participant.id", "dsp-fuzz-provider");
        config.put("web.http.port", String.valueOf(Ports.freePort()));
        config.put("web.http.path", "/api");
        config.put("web.http.management.port", String.valueOf(Ports.freePort()));
        config.put("web.http.management.path", "/management");
        config.put("web.http.management.auth.type", "tokenbased");
        config.put("web.http.management.auth.key", "dsp-fuzz-key");
        var protocolPort = Ports.freePort();
        config.put("web.http.protocol.port", String.valueOf(protocolPort));
        config.put("web.http.protocol.path", "/protocol");
        config.put("web.http.control.port", String.valueOf(Ports.freePort()));
        config.put("web.http.control.path", "/control");
        config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
        config.put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
        config.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
        config.put("kakehashi.transfer.grpc.port", String.valueOf(Ports.freePort()));
        return ConfigFactory.fromMap(config);
    }

    /** The handler's answer, or null when the body is no JSON object (the web layer's 400). */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Response handle(Kind kind, String body) {
        JsonObject json;
        try {
            json = runtime().getService(TypeManager.class).getMapper("json-ld").readValue(body, JsonObject.class);
        } catch (JacksonException e) {
            return null;
        }
        if (json == null) {
            return null;
        }
        var expanded = runtime().getService(JsonLd.class).expand(json);
        if (expanded.failed()) {
            return null;
        }
        var request = (PostDspRequest) PostDspRequest.Builder.newInstance((Class) kind.input, (Class) kind.result, (Class) kind.error)
                .message(expanded.getContent())
                .expectedMessageType(DSP_NAMESPACE_V_2025_1.toIri(kind.term))
                .token("Bearer fuzz")
                .serviceCall((participant, message, token) -> {
                    RECEIVED.set((RemoteMessage) message);
                    // the protocol service is not under test: refuse, so that nothing is stored or answered
                    return ServiceResult.badRequest("fuzzing stops before the protocol service");
                })
                .errorProvider((Supplier) kind.errors)
                .protocol(DATASPACE_PROTOCOL_HTTP_V_2025_1)
                .participantContextProvider(runtime().getService(SingleParticipantContextSupplier.class))
                .build();
        return runtime().getService(DspRequestHandler.class).createResource(request);
    }
}
