package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import com.sun.net.httpserver.HttpServer;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.transfer.grpc.bulk.ConsentNarrowedSources;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.spi.RecordSource;
import io.kakehashi.transfer.grpc.stream.RecordSources;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.DataFlowStates;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;
import org.eclipse.edc.spi.types.domain.transfer.TransferType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ProviderFlowsTest {

    private final Map<String, DataFlow> flows = new ConcurrentHashMap<>();
    private final RecordSources sources = new RecordSources();
    private final ProviderFlows providerFlows;
    private final AtomicBoolean closed = new AtomicBoolean();

    ProviderFlowsTest() {
        DataPlaneStore store = mock();
        when(store.findById(anyString())).thenAnswer(call -> flows.get(call.<String>getArgument(0)));
        providerFlows = new ProviderFlows(store, sources, new RecordFiles(null, Path.of("unused"), Duration.ofMillis(10), "directory"), Clock.systemUTC(), 1024);
        sources.register("gen", address -> new RecordSource() {
            @Override
            public byte[] next(Duration maxWait) {
                return new byte[]{ 1 };
            }

            @Override
            public String contentType() {
                return "application/octet-stream";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        });
    }

    private void flow(String id, DataAddress source, FlowType type, DataFlowStates state) {
        flows.put(id, DataFlow.Builder.newInstance().id(id).source(source)
                .destination(DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).build())
                .transferType(new TransferType(GrpcStreamAddresses.TYPE, type)).state(state.code()).build());
    }

    private static DataAddress http() {
        return DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:1/data").build();
    }

    private static DataAddress stream() {
        return DataAddress.Builder.newInstance().type(GrpcStreamAddresses.RECORD_STREAM_TYPE).property(GrpcStreamAddresses.RECORD_SOURCE, "gen").build();
    }

    @Test
    void pullBulkSource_whenFlowStarted_shouldServeIt() {
        flow("f", http(), FlowType.PULL, DataFlowStates.STARTED);

        assertThat(providerFlows.pullBulkSource("f").succeeded()).isTrue();
    }

    @Test
    void pullBulkSource_whenSuspendedEndedPushOrUnknown_shouldRefuseWithTheRightReason() {
        flow("suspended", http(), FlowType.PULL, DataFlowStates.SUSPENDED);
        flow("ended", http(), FlowType.PULL, DataFlowStates.TERMINATED);
        flow("push", http(), FlowType.PUSH, DataFlowStates.STARTED);

        assertThat(providerFlows.pullBulkSource("suspended").getFailure().getReason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        assertThat(providerFlows.pullBulkSource("ended").getFailureDetail()).contains("ended");
        assertThat(providerFlows.pullBulkSource("push").getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        assertThat(providerFlows.pullBulkSource("unknown").getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
    }

    @Test
    void pull_whenModeDoesNotMatchTheSource_shouldBeNotFound() {
        flow("bulk", http(), FlowType.PULL, DataFlowStates.STARTED);
        flow("stream", stream(), FlowType.PULL, DataFlowStates.STARTED);

        assertThat(providerFlows.pullRecordStream("bulk").getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        assertThat(providerFlows.pullBulkSource("stream").getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
    }

    @Test
    void recordStreamOf_shouldKeepTheStreamAcrossStartsAndCloseItWhenTheFlowEnded() {
        flow("s", stream(), FlowType.PULL, DataFlowStates.STARTED);
        var first = providerFlows.pullRecordStream("s").getContent();
        assertThat(providerFlows.pullRecordStream("s").getContent()).isSameAs(first);

        flow("s", stream(), FlowType.PULL, DataFlowStates.TERMINATED);
        flow("other", stream(), FlowType.PULL, DataFlowStates.STARTED);
        providerFlows.pullRecordStream("other");

        assertThat(closed).isTrue();
    }

    @Test
    void bulkSourceOf_whenTypeUnsupportedOrBaseUrlMissingOrNotHttp_shouldFail() {
        assertThat(providerFlows.bulkSourceOf(DataAddress.Builder.newInstance().type("AmazonS3").build()).getFailureDetail())
                .contains("AmazonS3");
        assertThat(providerFlows.bulkSourceOf(DataAddress.Builder.newInstance().type("HttpData").build()).getFailureDetail())
                .contains("baseUrl");
        // a file address in an HttpData asset must not let the data plane read the provider's own files
        assertThat(providerFlows.bulkSourceOf(DataAddress.Builder.newInstance().type("HttpData")
                .property("baseUrl", "file:///etc/passwd").build()).getFailureDetail())
                .contains("not an http(s) address");
    }

    @Nested
    class PersonalData {

        @TempDir
        Path narrowed;
        private HttpServer server;
        private ProviderFlows personalFlows;

        @BeforeEach
        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/receipts.csv", exchange -> {
                var body = "id,subject\n1,alice\n2,bob\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/csv");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            DataPlaneStore store = mock();
            when(store.findById(anyString())).thenAnswer(call -> flows.get(call.<String>getArgument(0)));
            // a filter for asset "receipts" that lets alice's records through
            var filter = new ConsentFilter() {
                @Override
                public boolean appliesTo(String assetId) {
                    return "receipts".equals(assetId);
                }

                @Override
                public Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) throws IOException {
                    for (var line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.contains("bob")) {
                            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    return Result.success(new Narrowed(1, 1));
                }
            };
            personalFlows = new ProviderFlows(store, sources, new RecordFiles(null, Path.of("unused"), Duration.ofMillis(10), "directory"),
                    Clock.systemUTC(), 1024, null, new ConsentNarrowedSources(filter, narrowed));
        }

        @AfterEach
        void stop() {
            server.stop(0);
        }

        private void personalFlow(String id, DataAddress source, DataFlowStates state) {
            flows.put(id, DataFlow.Builder.newInstance().id(id).source(source).assetId("receipts").agreementId("agreement-1")
                    .destination(DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).build())
                    .transferType(new TransferType(GrpcStreamAddresses.TYPE, FlowType.PULL)).state(state.code()).build());
        }

        @Test
        void pullBulkSource_ofAPersonalAsset_shouldServeOnlyTheConsentedRecords() throws IOException {
            personalFlow("p", DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:%d/receipts.csv"
                    .formatted(server.getAddress().getPort())).property("contentType", "text/csv").build(), DataFlowStates.STARTED);

            var source = personalFlows.pullBulkSource("p");

            try (var in = source.getContent().openAt(0)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("id,subject\n1,alice\n");
            }
        }

        @Test
        void pullBulkSource_whenTheFlowHasEnded_shouldDeleteItsNarrowedCopyAtTheNextStart() {
            var address = DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:%d/receipts.csv"
                    .formatted(server.getAddress().getPort())).property("contentType", "text/csv").build();
            personalFlow("first", address, DataFlowStates.STARTED);
            personalFlows.pullBulkSource("first");
            assertThat(narrowed.resolve("first.narrowed")).exists();

            personalFlow("first", address, DataFlowStates.COMPLETED);
            personalFlow("second", address, DataFlowStates.STARTED);
            personalFlows.pullBulkSource("second");

            assertThat(narrowed.resolve("first.narrowed")).doesNotExist();
            assertThat(narrowed.resolve("second.narrowed")).exists();
        }

        @Test
        void pullRecordStream_ofAPersonalAsset_shouldBeRefusedWithTheReason() {
            personalFlow("s", stream(), DataFlowStates.STARTED);

            assertThat(personalFlows.pullRecordStream("s").getFailureDetail()).contains("holds personal data", "bulk only");
        }
    }
}
