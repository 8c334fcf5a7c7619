package io.kakehashi.core.security;

import org.eclipse.edc.spi.entity.StatefulEntity;

/**
 * Redacts an entity's error detail in place. Stateless.
 */
final class ErrorDetails {

    private ErrorDetails() {
    }

    static void redact(StatefulEntity<?> entity, SecretRedactor redactor) {
        var detail = entity == null ? null : entity.getErrorDetail();
        if (detail == null) {
            return;
        }
        var redacted = redactor.redact(detail);
        if (!redacted.equals(detail)) {
            entity.setErrorDetail(redacted);
        }
    }
}
