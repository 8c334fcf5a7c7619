package io.kakehashi.identity.credentials;

import org.eclipse.edc.spi.result.Result;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A W3C Bitstring Status List: one bit per issued credential, the first index being the left-most (most significant)
 * bit of the first byte; {@code 1} means the status (e.g. revoked) is set. Encoded as GZIP, then base64url without
 * padding, with the multibase prefix {@code u}. Not thread-safe; the issuer tool is its only writer.
 */
public final class StatusList {

    /** The specification's minimum size, 16 KiB, so that a list does not reveal how few credentials it covers. */
    public static final int MINIMUM_BITS = 131_072;
    /** A decoded list larger than this is refused, to bound what a verifier inflates. */
    private static final int MAXIMUM_BYTES = 16 * 1024 * 1024;

    private final byte[] bits;

    private StatusList(byte[] bits) {
        this.bits = bits;
    }

    /** An empty list of the minimum size. */
    public static StatusList empty() {
        return new StatusList(new byte[MINIMUM_BITS / 8]);
    }

    public int size() {
        return bits.length * 8;
    }

    public boolean get(int index) {
        checkIndex(index);
        return (bits[index / 8] & (0x80 >>> (index % 8))) != 0;
    }

    public void set(int index, boolean value) {
        checkIndex(index);
        if (value) {
            bits[index / 8] |= (byte) (0x80 >>> (index % 8));
        } else {
            bits[index / 8] &= (byte) ~(0x80 >>> (index % 8));
        }
    }

    public String encode() {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    public static Result<StatusList> decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return Result.failure("the status list is empty");
        }
        // multibase 'u' is base64url; older lists carry none
        var text = encoded.charAt(0) == 'u' ? encoded.substring(1) : encoded;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(text)))) {
            var bytes = in.readNBytes(MAXIMUM_BYTES + 1);
            if (bytes.length > MAXIMUM_BYTES || bytes.length == 0) {
                return Result.failure("the status list is empty or larger than %d bytes".formatted(MAXIMUM_BYTES));
            }
            return Result.success(new StatusList(bytes));
        } catch (IOException | IllegalArgumentException e) {
            return Result.failure("the status list is not GZIP'd base64url: " + e.getMessage());
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("status index %d is outside the list of %d entries".formatted(index, size()));
        }
    }
}
