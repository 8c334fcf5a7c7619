package io.kakehashi.identity.did;

import okhttp3.ResponseBody;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;

/**
 * Reads an HTTP answer from another party up to a size: a declared length beyond it is refused at once, and the read
 * stops one byte past it whatever was declared, so a party cannot make this connector hold a document of any size
 * (a DID document, a status list, a credential service's answer). Stateless and thread-safe.
 */
public final class BoundedBody {

    /** The largest DID document read: a document of a few keys and services is a few KiB. */
    public static final long MAX_DID_DOCUMENT_BYTES = 1 << 20;

    private BoundedBody() {
    }

    /** The body as UTF-8 text, or a failure saying it is longer than {@code maxBytes}. */
    public static Result<String> read(ResponseBody body, long maxBytes) throws IOException {
        if (body.contentLength() > maxBytes || body.source().request(maxBytes + 1)) {
            return Result.failure("the answer is longer than %d bytes".formatted(maxBytes));
        }
        return Result.success(body.source().getBuffer().readUtf8());
    }
}
