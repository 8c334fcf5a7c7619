package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransferProgressApiControllerTest {

    private final TransferMeters meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
    private final TransferProgressApiController controller = new TransferProgressApiController(meters);

    @Test
    void one_whenBulkTransferHalfway_shouldShowBytesAndPercentage() {
        var meter = meters.start("t-1");
        meter.totalSize(1000);
        meter.resumedAt(200, 0);
        meter.admit(300);

        var progress = controller.one("t-1");

        assertThat(progress).containsEntry("bytes", 300L).containsEntry("messages", 1L).containsEntry("position", 500L)
                .containsEntry("totalSize", 1000L).containsEntry("percentage", 50.0).containsKey("bytesPerSecond");
    }

    @Test
    void one_whenUnknown_shouldBeNotFound() {
        assertThatThrownBy(() -> controller.one("nope")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void all_shouldListEveryTransfer() {
        meters.start("a");
        meters.start("b");

        assertThat(controller.all()).extracting(json -> json.get("transferId")).containsExactlyInAnyOrder("a", "b");
    }
}
