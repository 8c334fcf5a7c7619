package io.kakehashi.catalog.profiles;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.lang.LangJSONLD11;
import org.apache.jena.riot.system.ErrorHandler;
import org.eclipse.edc.spi.result.Result;

import java.util.Objects;

/**
 * Parses dataset metadata (JSON-LD 1.1 or Turtle) into a fresh Jena {@link Model}. Malformed input is a failed
 * {@link Result} whose message carries Jena's line and column where it has them; no parse exception escapes.
 * <p>
 * JSON-LD contexts must be inline: a remote {@code @context} is refused rather than fetched, because the text
 * comes from API callers and fetching URLs they choose would let them make the connector call any host.
 * <p>
 * Stateless and safe for concurrent use; every call returns a new model owned by the caller.
 */
public final class MetadataParser {

    /**
     * Parses {@code text} in the given format.
     *
     * @return the parsed model, or a failure describing the first syntax error
     */
    public Result<Model> parse(String text, MetadataFormat format) {
        return parse(text, format, null);
    }

    /**
     * Parses {@code text} in the given format, resolving relative IRIs (e.g. a DSP dataset's {@code "@id": "asset-1"})
     * against {@code baseIri}; without a base, JSON-LD nodes with relative ids are dropped.
     *
     * @param baseIri an absolute IRI, or {@code null} for none
     * @return the parsed model, or a failure describing the first syntax error
     */
    public Result<Model> parse(String text, MetadataFormat format, String baseIri) {
        Objects.requireNonNull(format, "format");
        if (text == null || text.isBlank()) {
            return Result.failure("metadata is empty");
        }
        var model = ModelFactory.createDefaultModel();
        try {
            var builder = RDFParser.create()
                    .fromString(text)
                    .lang(format.lang())
                    .errorHandler(new FailFastErrorHandler());
            if (baseIri != null) {
                builder.base(baseIri);
            }
            if (format == MetadataFormat.JSON_LD) {
                builder.set(LangJSONLD11.JSONLD_OPTIONS, jsonLdOptions(baseIri));
            }
            builder.parse(model);
            return Result.success(model);
        } catch (RiotException e) {
            return Result.failure("malformed %s metadata: %s".formatted(displayName(format), e.getMessage()));
        } catch (RuntimeException e) {
            // The JSON-LD processor can fail outside Jena's error handler (e.g. invalid JSON inside a context);
            // that is still bad input, not a fault of the connector.
            return Result.failure("malformed %s metadata: %s".formatted(displayName(format), String.valueOf(e.getMessage())));
        }
    }

    private static JsonLdOptions jsonLdOptions(String baseIri) {
        var options = new JsonLdOptions((url, ignored) -> {
            throw new JsonLdError(JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED,
                    "remote JSON-LD documents are not loaded (" + url + "); put the @context inline");
        });
        if (baseIri != null) {
            // the options given here replace Jena's, so the base must be set on them as well
            options.setBase(java.net.URI.create(baseIri));
        }
        return options;
    }

    private static String displayName(MetadataFormat format) {
        return format == MetadataFormat.JSON_LD ? "JSON-LD" : "Turtle";
    }

    /**
     * Turns Jena's first error into an exception carrying its position, and drops warnings: the default handler
     * would log them, and a library must not log caller payload problems on the caller's behalf.
     */
    private static final class FailFastErrorHandler implements ErrorHandler {
        @Override
        public void warning(String message, long line, long col) {
            // warnings (e.g. an unusual but legal IRI) do not make metadata invalid
        }

        @Override
        public void error(String message, long line, long col) {
            throw new RiotException(positioned(message, line, col));
        }

        @Override
        public void fatal(String message, long line, long col) {
            throw new RiotException(positioned(message, line, col));
        }

        private static String positioned(String message, long line, long col) {
            if (line < 0) {
                return message;
            }
            return col < 0 ? "line %d: %s".formatted(line, message) : "line %d, column %d: %s".formatted(line, col, message);
        }
    }
}
