package io.kakehashi.core.spi.participant;

import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.ServiceResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnParticipantTest {

    private static SingleParticipantContextSupplier identity(String id) {
        return () -> ServiceResult.success(ParticipantContext.Builder.newInstance().participantContextId("ctx").identity(id).build());
    }

    @Test
    void answersTheContextsIdentity() {
        assertThat(OwnParticipant.id(identity("did:web:maker.example.jp"), true)).isEqualTo("did:web:maker.example.jp");
    }

    @Test
    void anonymousIsRefusedOnlyWhereAnIdIsRequired() {
        assertThat(OwnParticipant.id(identity(OwnParticipant.ANONYMOUS), false)).isEqualTo("anonymous");
        assertThatThrownBy(() -> OwnParticipant.id(identity(OwnParticipant.ANONYMOUS), true))
                .isInstanceOf(EdcException.class).hasMessageContaining("edc.participant.id");
    }

    @Test
    void noContextNamesTheSetting() {
        SingleParticipantContextSupplier none = () -> ServiceResult.notFound("no context");
        assertThatThrownBy(() -> OwnParticipant.id(none, false))
                .isInstanceOf(EdcException.class).hasMessageContaining("edc.participant.id").hasMessageContaining("no context");
    }
}
