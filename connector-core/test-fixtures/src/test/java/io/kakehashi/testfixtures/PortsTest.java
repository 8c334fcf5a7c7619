package io.kakehashi.testfixtures;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    @Test
    void freePort_shouldBeBindableAndBelowTheEphemeralRange() throws IOException {
        var port = Ports.freePort();

        assertThat(port).isBetween(20_000, 32_767);
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void freePort_shouldNeverHandOutAPortTwice() {
        var ports = new HashSet<Integer>();
        for (int i = 0; i < 200; i++) {
            assertThat(ports.add(Ports.freePort())).isTrue();
        }
    }
}
