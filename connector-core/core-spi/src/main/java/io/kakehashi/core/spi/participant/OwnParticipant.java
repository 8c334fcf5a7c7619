package io.kakehashi.core.spi.participant;

import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.spi.EdcException;

/**
 * This connector's own participant id, read from the one place EDC keeps it: the single participant context built
 * from {@code edc.participant.id}. Extensions ask here instead of declaring the setting again with defaults of their
 * own, so every part of the connector names itself the same way.
 */
public final class OwnParticipant {
    /** EDC's value when {@code edc.participant.id} is unset. */
    public static final String ANONYMOUS = "anonymous";

    private OwnParticipant() {
    }

    /**
     * The participant id, or an {@link EdcException} naming {@code edc.participant.id} when there is no participant
     * context, or when {@code required} and the id is unset (EDC's {@value #ANONYMOUS}).
     */
    public static String id(SingleParticipantContextSupplier contexts, boolean required) {
        var context = contexts.get();
        if (context.failed()) {
            throw new EdcException("No participant context (setting 'edc.participant.id'): " + context.getFailureDetail());
        }
        var id = context.getContent().getIdentity();
        if (id == null || id.isBlank() || (required && ANONYMOUS.equals(id))) {
            throw new EdcException("Missing setting 'edc.participant.id': this connector needs its participant id");
        }
        return id;
    }
}
