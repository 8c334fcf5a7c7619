package io.kakehashi.transfer.grpc.edc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcBindHostTest {

    @Test
    void resolve_whenOnlyTheWebHostIsSet_shouldFollowIt() {
        // the defect: the HTTP ports moved to kakehashi.web.host, the gRPC port stayed on 127.0.0.1
        assertThat(GrpcBindHost.resolve(null, "127.0.0.2", null).getContent()).isEqualTo("127.0.0.2");
        assertThat(GrpcBindHost.resolve("  ", "127.0.0.2", null).getContent()).isEqualTo("127.0.0.2");
    }

    @Test
    void resolve_whenTheGrpcHostIsSet_shouldTakeItOverTheWebHost() {
        assertThat(GrpcBindHost.resolve("127.0.0.3", "127.0.0.2", null).getContent()).isEqualTo("127.0.0.3");
    }

    @Test
    void resolve_whenNotAnAddress_shouldFailNamingTheSettingItCameFrom() {
        assertThat(GrpcBindHost.resolve(null, "http://0.0.0.0", null).getFailureDetail()).contains("kakehashi.web.host");
        assertThat(GrpcBindHost.resolve("grpc.invalid./x", "127.0.0.1", null).getFailureDetail()).contains("kakehashi.transfer.grpc.host");
    }

    @Test
    void resolve_whenTheWildcardWithoutAPublicHost_shouldFailNamingThePublicHost() {
        var result = GrpcBindHost.resolve(null, "0.0.0.0", null);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("kakehashi.transfer.grpc.public-host").contains("kakehashi.web.host");
    }

    @Test
    void resolve_whenTheWildcardWithAPublicHost_shouldBindTheWildcard() {
        assertThat(GrpcBindHost.resolve(null, "0.0.0.0", "maker.example.jp").getContent()).isEqualTo("0.0.0.0");
    }
}
