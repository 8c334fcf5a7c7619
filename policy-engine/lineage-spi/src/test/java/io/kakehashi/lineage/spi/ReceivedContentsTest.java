package io.kakehashi.lineage.spi;

import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedContentsTest {

    private static TransferProcess process(String transferType, Map<String, Object> privateProperties) {
        return TransferProcess.Builder.newInstance().id("tp-1").type(TransferProcess.Type.CONSUMER).transferType(transferType)
                .privateProperties(privateProperties).build();
    }

    @Test
    void locate_whenNoLocatorAnswers_shouldReadTheDestinationPathProperty() {
        var contents = new ReceivedContents();
        contents.register(p -> Optional.empty());

        var found = contents.locate(process("KakehashiGrpc-PULL", Map.of(ReceivedContents.DESTINATION_PATH, "/inbox/a/../data.csv")));

        assertThat(found).contains(new ReceivedContents.Received(LineageKind.FILE, Path.of("/inbox/data.csv")));
        assertThat(contents.locate(process("HttpData-PUSH", Map.of()))).isEmpty();
    }

    @Test
    void locate_whenALocatorAnswers_shouldWinOverTheDefault() {
        var contents = new ReceivedContents();
        contents.register(p -> "KakehashiCompute-PUSH".equals(p.getTransferType())
                ? Optional.of(new ReceivedContents.Received(LineageKind.COMPUTE_RESULT, Path.of("/results/tp-1.json"))) : Optional.empty());

        var found = contents.locate(process("KakehashiCompute-PUSH", Map.of(ReceivedContents.DESTINATION_PATH, "/inbox/data.csv")));

        assertThat(found.map(ReceivedContents.Received::kind)).contains(LineageKind.COMPUTE_RESULT);
    }
}
