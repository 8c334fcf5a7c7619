package io.kakehashi.core.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes the body of every error response (status 400 and above) of an HTTP API through the {@link SecretRedactor}
 * before it is sent, whatever wrote it (EDC's exception mappers, DSP error messages, Kakehashi's controllers).
 * Successful responses are left alone: they carry data and public keys that must arrive as they are. Thread-safe.
 */
public class RedactingErrorResponseFilter implements ContainerResponseFilter {

    private final SecretRedactor redactor;

    public RedactingErrorResponseFilter(SecretRedactor redactor) {
        this.redactor = redactor;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && response.hasEntity()) {
            response.setEntityStream(new RedactingStream(response.getEntityStream(), redactor));
        }
    }

    /** Keeps what is written and writes it, redacted, when closed (an error body is small). */
    static final class RedactingStream extends OutputStream {

        private final OutputStream target;
        private final SecretRedactor redactor;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean closed;

        RedactingStream(OutputStream target, SecretRedactor redactor) {
            this.target = target;
            this.redactor = redactor;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            // held back until close: a secret may span two flushes
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            var text = buffer.toString(StandardCharsets.UTF_8);
            var redacted = redactor.redact(text);
            target.write(redacted.equals(text) ? buffer.toByteArray() : redacted.getBytes(StandardCharsets.UTF_8));
            target.close();
        }
    }
}
