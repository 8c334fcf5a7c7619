package io.kakehashi.transfer.grpc.meter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class TransferMeterBinderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransferMeters meters = new TransferMeters(id -> new TransferLimits(100, Long.MAX_VALUE), Clock.systemUTC());

    @Test
    void bytes_shouldCountWhatEveryTransferAdmittedAcrossRestartsButNotWhatWasRefused() {
        new TransferMeterBinder(meters).bindTo(registry);

        meters.start("t-1").admit(40);
        meters.start("t-2").admit(25);
        // a restart of t-1 replaces its meter; what it moved before still counts in the total
        var restarted = meters.start("t-1");
        restarted.admit(30);
        restarted.admit(90); // over t-1's quota of 100 bytes: refused, not counted

        assertThat(registry.get("kakehashi.transfer.bytes").functionCounter().count()).isEqualTo(95.0);
        assertThat(registry.get("kakehashi.transfer.messages").functionCounter().count()).isEqualTo(3.0);
    }

    @Test
    void running_shouldCountOnlyTransfersStillMoving() {
        new TransferMeterBinder(meters).bindTo(registry);

        meters.start("t-1");
        meters.start("t-2").state("COMPLETED");

        assertThat(registry.get("kakehashi.transfer.running").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("kakehashi.transfer.rate").gauge().value()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void stream_whenARecordIsDeliveredAgain_shouldNotCountItTwice() {
        new TransferMeterBinder(meters).bindTo(registry);
        var stream = meters.stream("s-1");
        stream.streamFrom(0);

        stream.admitRecord(0, 10);
        stream.admitRecord(1, 10);
        stream.admitRecord(0, 10);

        assertThat(registry.get("kakehashi.transfer.bytes").functionCounter().count()).isEqualTo(20.0);
    }
}
