package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.RecordSource;
import io.kakehashi.transfer.spi.RecordSourceRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Test only: a generated telemetry source named {@code e2e-telemetry}, the n-th record being {"seq":n}. */
@Extension("test record source")
public class TestRecordSourceExtension implements ServiceExtension {

    public static final String NAME = "e2e-telemetry";

    @Inject
    private RecordSourceRegistry recordSources;

    @Override
    public void initialize(ServiceExtensionContext context) {
        recordSources.register(NAME, address -> new RecordSource() {
            private final AtomicLong produced = new AtomicLong();

            @Override
            public byte[] next(Duration maxWait) {
                return ("{\"seq\":" + produced.getAndIncrement() + "}").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String contentType() {
                return "application/json";
            }
        });
    }
}
