package io.kakehashi.transfer.grpc.meter;

import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class TransferMeterTest {

    @Test
    void admitRecord_whenARecordComesAgain_shouldNotCountItTwice() {
        var meter = new TransferMeter("t", new TransferLimits(30, 3), Clock.systemUTC());
        meter.streamFrom(0);
        assertThat(meter.admitRecord(0, 10).succeeded()).isTrue();
        assertThat(meter.admitRecord(1, 10).succeeded()).isTrue();

        // the consumer lost record 1 and subscribes again from it
        meter.streamFrom(1);
        assertThat(meter.admitRecord(1, 10).succeeded()).isTrue();
        assertThat(meter.admitRecord(2, 10).succeeded()).isTrue();
        assertThat(meter.admitRecord(3, 1).failed()).as("a fourth message crosses the message quota").isTrue();

        var progress = meter.snapshot();
        assertThat(progress.messages()).isEqualTo(3);
        assertThat(progress.bytes()).isEqualTo(30);
    }

    @Test
    void streamFrom_whenTheMeterIsNew_shouldCountEarlierRecordsAsMessages() {
        // a provider that restarted meets a consumer at record 5
        var meter = new TransferMeter("t", new TransferLimits(Long.MAX_VALUE, 6), Clock.systemUTC());
        meter.streamFrom(5);
        assertThat(meter.admitRecord(5, 1).succeeded()).isTrue();
        assertThat(meter.admitRecord(6, 1).failed()).isTrue();
    }

    @Test
    void streamFrom_whenTheMeterAlreadyCounted_shouldNotResetIt() {
        var meter = new TransferMeter("t", new TransferLimits(25, Long.MAX_VALUE), Clock.systemUTC());
        meter.streamFrom(0);
        assertThat(meter.admitRecord(0, 20).succeeded()).isTrue();
        meter.streamFrom(1);
        assertThat(meter.admitRecord(1, 10).failed()).as("20 + 10 bytes cross the byte quota of 25").isTrue();
        meter.streamFrom(0);
        assertThat(meter.admitRecord(0, 20).succeeded()).as("record 0 again was counted already").isTrue();
        assertThat(meter.snapshot().bytes()).isEqualTo(20);
    }
}
