package io.kakehashi.core.web.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import jakarta.json.JsonException;

import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells, from an exception that escaped a resource, whether the request was at fault and what to answer. EDC's code
 * reads a request assuming its shape: a missing value or one of another JSON type makes a validator, a transformer or
 * a builder throw, and a value the store cannot hold or compare makes PostgreSQL refuse the statement. Those are the
 * caller's mistakes (4xx); anything else stays a 500. Messages name the problem, never a class, a statement or a
 * stored value. Stateless; thread-safe.
 */
public final class RequestFailureClassifier {

    /** Packages and class-name endings of code that reads a request: an exception thrown there is about the input. */
    private static final Set<String> INPUT_PACKAGES = Set.of("org.eclipse.parsson.", "jakarta.json.", "com.apicatalog.",
            "org.eclipse.edc.jsonld.", "org.eclipse.edc.validator.", "org.eclipse.edc.runtime.core.validator.",
            "org.eclipse.edc.transform.", "com.fasterxml.jackson.");
    private static final Set<String> INPUT_CLASS_ENDINGS = Set.of("Validator", "Transformer", "TransformerRegistryImpl");
    /** Where EDC translates a query into SQL or evaluates it in memory: its argument errors name the query's fault. */
    private static final Set<String> QUERY_PACKAGES = Set.of("org.eclipse.edc.sql.translation.", "org.eclipse.edc.store.",
            "org.eclipse.edc.spi.query.");
    /** EDC's in-memory criterion operators ({@code in}, {@code like}, …), which throw on an operand they cannot compare. */
    private static final Set<String> QUERY_OPERATOR_PACKAGES = Set.of("org.eclipse.edc.query.");
    /** Where EDC reads a filtered or sorted property by reflection, failing on entries that lack it. */
    private static final Set<String> QUERY_REFLECTION_PACKAGES = Set.of("org.eclipse.edc.util.reflection.");
    private static final Pattern CLASS_NAME = Pattern.compile("(?:class )?(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)");
    /** How far down a stack to look for the code that threw; the resource method is always within it. */
    private static final int FRAMES = 60;

    /**
     * @return the answer when the request was at fault, empty when the connector was
     */
    public Optional<RequestProblem> classify(Throwable failure) {
        return sqlProblem(failure)
                .or(() -> jsonProblem(failure))
                .or(() -> queryProblem(failure))
                .or(() -> inputProblem(failure))
                .or(() -> argumentProblem(failure));
    }

    // EDC's own catch-all answers any IllegalArgumentException 400 (without a body); that stays, with a message that
    // does not repeat one written for the log
    private static Optional<RequestProblem> argumentProblem(Throwable failure) {
        return failure instanceof IllegalArgumentException
                ? Optional.of(RequestProblem.badRequest("a value in the request is not valid"))
                : Optional.empty();
    }

    private static Optional<RequestProblem> sqlProblem(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.ofNullable(forSqlState(sql.getSQLState()));
            }
        }
        return Optional.empty();
    }

    private static RequestProblem forSqlState(String state) {
        if (state.equals("23505")) {
            return RequestProblem.conflict("an entry with this id already exists");
        }
        if (state.equals("23502")) {
            return RequestProblem.badRequest("a required value is missing");
        }
        if (state.startsWith("23")) {
            return RequestProblem.conflict("the request conflicts with what is stored");
        }
        return switch (state) {
            case "22021", "22P05" -> RequestProblem.badRequest("a value contains the NUL character or bytes that are not text");
            case "22001" -> RequestProblem.badRequest("a value is longer than the store accepts");
            case "22P02", "22007", "22008", "22003", "22018" -> RequestProblem.badRequest("a value has the wrong form for what it is compared with or stored as");
            // 42704: EDC casts a numeric operand on a JSON property to "double", a type PostgreSQL does not have
            case "42883", "42804", "42703", "42704", "42P18", "42601", "42725" ->
                    RequestProblem.badRequest("the query names an operator or a property the store cannot evaluate for these values");
            default -> state.startsWith("22") ? RequestProblem.badRequest("a value in the request cannot be stored or compared") : null;
        };
    }

    private static Optional<RequestProblem> jsonProblem(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException limit) {
                return Optional.of(RequestProblem.badRequest("the body exceeds a JSON limit: " + limit.getOriginalMessage()));
            }
            if (cause instanceof JsonProcessingException json) {
                return Optional.of(RequestProblem.badRequest("the body is not the JSON expected: " + json.getOriginalMessage()));
            }
            if (cause instanceof JsonException) {
                return Optional.of(RequestProblem.badRequest("the body is not the JSON expected"));
            }
        }
        return Optional.empty();
    }

    private static Optional<RequestProblem> queryProblem(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && thrownIn(cause, QUERY_PACKAGES, Set.of())) {
                return Optional.of(RequestProblem.badRequest("the query cannot be run: " + withoutClassNames(cause.getMessage())));
            }
            if ((cause instanceof NullPointerException || cause instanceof ClassCastException)
                    && thrownIn(cause, QUERY_OPERATOR_PACKAGES, Set.of())) {
                return Optional.of(RequestProblem.badRequest(
                        "the query cannot be run: a filter's operand does not fit its operator or property (for 'in', a list of strings)"));
            }
            if (cause instanceof RuntimeException && thrownIn(cause, QUERY_REFLECTION_PACKAGES, Set.of())) {
                // e.g. sorting assets by 'dataAddress.baseUrl' when some asset's address has no baseUrl
                return Optional.of(RequestProblem.badRequest("the query cannot be run: it names a property not every entry has"));
            }
        }
        return Optional.empty();
    }

    private static Optional<RequestProblem> inputProblem(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            var inputKind = cause instanceof NullPointerException || cause instanceof ClassCastException
                    || cause instanceof IllegalArgumentException || cause instanceof DateTimeException
                    || cause instanceof IndexOutOfBoundsException || cause instanceof UnsupportedOperationException;
            if (inputKind && thrownIn(cause, INPUT_PACKAGES, INPUT_CLASS_ENDINGS)) {
                return Optional.of(RequestProblem.badRequest(describe(cause)));
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ClassCastException) {
            return "a value in the request has the wrong JSON type (for example a number or an object where a string is expected)";
        }
        if (cause instanceof NullPointerException && cause.getMessage() != null && requireNonNullThrew(cause)) {
            // a builder's own message, such as "The callbackAddress must be specified"
            return "a required value is missing: " + cause.getMessage();
        }
        if (cause instanceof NullPointerException) {
            return "the request lacks a required value or has one of another shape (is the body empty?)";
        }
        if (cause instanceof IllegalArgumentException || cause instanceof DateTimeException) {
            return "a value in the request is not valid" + (cause.getMessage() == null ? "" : ": " + withoutClassNames(cause.getMessage()));
        }
        return "a value in the request does not have the expected shape";
    }

    /** EDC's messages name Java types ("… in class org.eclipse.edc….TransferProcess"); the caller knows them by their simple name. */
    static String withoutClassNames(String message) {
        return message == null ? "" : CLASS_NAME.matcher(message).replaceAll("$1");
    }

    private static boolean requireNonNullThrew(Throwable cause) {
        var stack = cause.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().equals("java.util.Objects");
    }

    private static boolean thrownIn(Throwable cause, Set<String> packages, Set<String> classEndings) {
        var stack = cause.getStackTrace();
        for (var i = 0; i < Math.min(FRAMES, stack.length); i++) {
            var className = stack[i].getClassName();
            var outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
            if (packages.stream().anyMatch(className::startsWith) || classEndings.stream().anyMatch(outer::endsWith)) {
                return true;
            }
            if (outer.endsWith("Controller") || outer.endsWith("ApiController")) {
                // the resource itself: below it is Jersey, not the reading of this request
                return false;
            }
        }
        return false;
    }
}
