package io.kakehashi.core.console;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Forwards a console request to one of the connector's own API contexts: {@code management/<path>} to the management
 * context, {@code auditor/<path>} to the auditor context, each at the fixed loopback address this connector's own
 * port listens on. Nothing in the request chooses the host, port or scheme: the first path segment picks one of the
 * configured targets by name, the rest is appended to its base path after checking that it is a plain relative path
 * (no {@code .}/{@code ..} segment, no encoded slash, no control character). Only {@code x-api-key},
 * {@code Content-Type} and {@code Accept} are passed on, and only {@code Content-Type} and
 * {@code Content-Disposition} come back with the status and the body. The key is never logged nor put in an answer.
 * Malformed input is a 4xx in EDC's error shape; a target that does not answer is a 502 (504 after the timeout).
 * Thread-safe.
 */
public final class ApiForwarder {

    static final String API_KEY = "x-api-key";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");
    private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /** A media type as RFC 9110 writes it: {@code type/subtype} and {@code ; name=value} parameters, value a token or quoted. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN
            + "(?:[ \t]*;[ \t]*" + TOKEN + "=(?:" + TOKEN + "|\"(?:[^\"\\\\]|\\\\.)*\"))*[ \t]*");
    private static final Pattern CHARSET = Pattern.compile(";[ \t]*charset=\"?([^\";]*)\"?", Pattern.CASE_INSENSITIVE);
    private static final int MAX_PATH = 2048;
    private static final int MAX_HEADER = 1024;

    private final Map<String, URI> targets;
    private final HttpClient client;
    private final long maxBodyBytes;
    private final Duration timeout;

    /**
     * @param targets      name ({@code management}, {@code auditor}) to base URI ({@code http://127.0.0.1:8181/management})
     * @param maxBodyBytes the largest request body passed on; a larger one is a 413
     * @param timeout      how long the target may take to start its answer
     */
    public ApiForwarder(Map<String, URI> targets, HttpClient client, long maxBodyBytes, Duration timeout) {
        this.targets = Map.copyOf(targets);
        this.client = client;
        this.maxBodyBytes = maxBodyBytes;
        this.timeout = timeout;
    }

    /** What the console answers: a status, the target's content type and disposition, and the body to stream. */
    public record Answer(int status, String contentType, String contentDisposition, InputStream body) {

        static Answer error(int status, String message, String type) {
            return new Answer(status, "application/json", null, new ByteArrayInputStream(ErrorBody.of(message, type)));
        }
    }

    /** The request headers the forwarder reads; each may be {@code null}. */
    public record Headers(String apiKey, String contentType, String accept) {
    }

    /**
     * @param method   the HTTP method
     * @param rawPath  the path after the console's {@code api/}, still percent-encoded, e.g. {@code management/v3/assets/request}
     * @param rawQuery the query, still encoded, or {@code null}
     * @param body     the request body (read only for POST and PUT)
     */
    public Answer forward(String method, String rawPath, String rawQuery, Headers headers, InputStream body) {
        var verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            return Answer.error(405, "the console forwards GET, POST, PUT and DELETE only", "MethodNotAllowed");
        }
        if (rawPath == null || rawPath.isEmpty() || rawPath.length() > MAX_PATH) {
            return Answer.error(404, "name an API: api/management/… or api/auditor/…", "NotFound");
        }
        var slash = rawPath.indexOf('/');
        var name = slash < 0 ? rawPath : rawPath.substring(0, slash);
        var base = targets.get(name);
        if (base == null) {
            return Answer.error(404, "the console forwards to api/management/… and api/auditor/… only", "NotFound");
        }
        var rest = slash < 0 ? "" : rawPath.substring(slash + 1);
        var problem = pathProblem(rest);
        if (problem != null) {
            return Answer.error(400, problem, "BadRequest");
        }
        if (rawQuery != null && (rawQuery.length() > MAX_PATH || !QUERY.matcher(rawQuery).matches() || !decodes(rawQuery))) {
            return Answer.error(400, "the query string is not a valid URI query", "BadRequest");
        }
        for (var value : new String[]{ headers.apiKey(), headers.contentType(), headers.accept() }) {
            if (value != null && !plainHeader(value)) {
                return Answer.error(400, "a header (x-api-key, Content-Type or Accept) is too long or holds a control character", "BadRequest");
            }
        }
        var mediaTypeProblem = mediaTypeProblem(headers.contentType());
        if (mediaTypeProblem != null) {
            return Answer.error(415, mediaTypeProblem, "UnsupportedMediaType");
        }
        var uri = URI.create(base + (rest.isEmpty() ? "" : "/" + rest) + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));

        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (WITH_BODY.contains(verb) && body != null) {
            byte[] bytes;
            try {
                bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            } catch (IOException e) {
                return Answer.error(400, "the request body could not be read", "BadRequest");
            }
            if (bytes.length > maxBodyBytes) {
                return Answer.error(413, "the request body is larger than the console passes on (%d bytes)".formatted(maxBodyBytes), "PayloadTooLarge");
            }
            publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
        }
        var request = HttpRequest.newBuilder(uri).timeout(timeout).method(verb, publisher);
        if (headers.apiKey() != null) {
            request.header(API_KEY, headers.apiKey());
        }
        if (headers.contentType() != null) {
            request.header("Content-Type", headers.contentType());
        }
        // no Accept is any type, as the API itself would take it: the exports answer JSON Lines, not JSON
        request.header("Accept", headers.accept() == null ? "*/*" : headers.accept());
        try {
            var response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Content-Disposition").orElse(null),
                    response.body());
        } catch (HttpTimeoutException e) {
            return Answer.error(504, "the %s API did not answer in time".formatted(name), "GatewayTimeout");
        } catch (IOException e) {
            return Answer.error(502, "the %s API could not be reached".formatted(name), "BadGateway");
        } catch (IllegalArgumentException e) {
            return Answer.error(400, "the request cannot be passed on: a header value is not allowed", "BadRequest");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "the connector is stopping", "ServiceUnavailable");
        }
    }

    /** Why {@code rest} is not a plain relative path, or {@code null} when it is. */
    static String pathProblem(String rest) {
        if (rest.isEmpty()) {
            return null;
        }
        for (var segment : rest.split("/", -1)) {
            if (segment.isEmpty()) {
                return "the path has an empty segment";
            }
            if (!SEGMENT.matcher(segment).matches() || !decodes(segment)) {
                return "the path holds a character that is not allowed in a URI path";
            }
            var decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                return "the path may not hold '.', '..' or an encoded slash";
            }
            if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return "the path holds a control character";
            }
        }
        return null;
    }

    /**
     * Why {@code contentType} is not a media type an API could read ({@code type/subtype}, well-formed parameters, a
     * charset Java knows), or {@code null} when it is one or absent. Checked here because EDC's APIs read a body whose
     * type they cannot parse as JSON anyway.
     */
    static String mediaTypeProblem(String contentType) {
        if (contentType == null) {
            return null;
        }
        if (!MEDIA_TYPE.matcher(contentType).matches()) {
            return "the Content-Type is not a media type (type/subtype; name=value)";
        }
        var charset = CHARSET.matcher(contentType);
        while (charset.find()) {
            try {
                if (!java.nio.charset.Charset.isSupported(charset.group(1))) {
                    return "the Content-Type names a charset that is not known";
                }
            } catch (IllegalArgumentException e) {
                return "the Content-Type names a charset that is not known";
            }
        }
        return null;
    }

    private static boolean decodes(String encoded) {
        try {
            URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean plainHeader(String value) {
        return value.length() <= MAX_HEADER && value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }
}
