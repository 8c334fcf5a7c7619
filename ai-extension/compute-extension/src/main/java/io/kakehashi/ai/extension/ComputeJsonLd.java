package io.kakehashi.ai.extension;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.InMemoryJsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON-LD terms of the compute API: Kakehashi's namespace ({@value #KH}, the one the catalog's data profiles use),
 * the types of its requests and answers, and the {@link #CONTEXT} every answer carries. A client may send the same
 * context with a request; with it, the request's members read as they do in the plain form. Constants only;
 * thread-safe.
 */
public final class ComputeJsonLd {

    /** Kakehashi's own terms. */
    public static final String KH = "https://w3id.org/kakehashi/ns#";
    public static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    /** A job sent to a provider (the consumer's submission). */
    public static final String REMOTE_JOB_REQUEST = KH + "RemoteComputeJobRequest";
    /** What a job asks (type, parameters, model): the {@code job} of a submission. */
    public static final String JOB_DESCRIPTION = KH + "ComputeJobDescription";
    /** A federated training across holders. */
    public static final String TRAINING_REQUEST = KH + "FederatedTrainingRequest";
    /** One holder of a training. */
    public static final String TRAINING_PARTICIPANT = KH + "TrainingParticipant";
    /** The (optional) body of a cancel: who may add why. */
    public static final String CANCELLATION = KH + "ComputeJobCancellation";

    /** The answers' types, as compacted in {@link #CONTEXT}. */
    public static final String COMPUTE_JOB = "ComputeJob";
    public static final String REMOTE_JOB = "RemoteComputeJob";
    public static final String TRAINING = "FederatedTraining";

    /**
     * The context of every answer, and the one to send with a request: Kakehashi's namespace as the vocabulary (so
     * members keep their plain names), {@code edc} and {@code kh} prefixes, maps of free keys (job parameters, a
     * round's dropped holders and jobs) as JSON literals, ordered lists as lists.
     */
    public static final Map<String, Object> CONTEXT = context();

    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();

    private ComputeJsonLd() {
    }

    private static Map<String, Object> context() {
        var context = new LinkedHashMap<String, Object>();
        context.put("@vocab", KH);
        context.put("kh", KH);
        context.put("edc", EDC);
        for (var json : new String[] {"parameters", "dropped", "jobs"}) {
            context.put(json, Map.of("@type", "@json"));
        }
        for (var list : new String[] {"participants", "initialWeights", "weights", "reports", "answered"}) {
            context.put(list, Map.of("@container", "@list"));
        }
        return java.util.Collections.unmodifiableMap(context);
    }

    /**
     * Whether a body is the JSON-LD form: a JSON object with {@code @context} among its own members. Only the top
     * level is read (a model's base64 is skipped, not held). A body that is not a JSON object is not, and the plain
     * reader says what is wrong with it.
     */
    public static boolean isJsonLd(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if ("@context".equals(parser.currentName())) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
