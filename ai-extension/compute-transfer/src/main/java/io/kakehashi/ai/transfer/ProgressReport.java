package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobState;
import io.kakehashi.core.spi.json.JsonCodec;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * What a provider reports of a running job before its result document: the provider's job id, its state (QUEUED or
 * RUNNING) and its progress (0–1). JSON: {@code {"jobId", "state", "progress"}}. Pushed to the consumer's progress
 * sink, each report replacing the last. Written and read with {@link JsonCodec}. Immutable and thread-safe.
 */
public record ProgressReport(String jobId, JobState state, double progress) {

    public byte[] write() {
        var json = new LinkedHashMap<String, Object>();
        json.put("jobId", jobId);
        json.put("state", state.name());
        json.put("progress", progress);
        try {
            return JsonCodec.writer().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a progress report is always writable", e);
        }
    }

    /** Reads a report; a malformed one (or one that claims a final state: the result document says the end) fails. */
    public static Result<ProgressReport> parse(byte[] bytes) {
        try {
            var root = JsonCodec.reader().readTree(new String(bytes, StandardCharsets.UTF_8));
            if (root == null || !root.isObject() || !root.path("jobId").isTextual() || !root.path("state").isTextual()
                    || !root.path("progress").isNumber()) {
                return Result.failure("a progress report needs jobId, state and progress");
            }
            var state = JobState.valueOf(root.path("state").asText());
            var progress = root.path("progress").asDouble();
            if (state.isFinal() || !(progress >= 0 && progress <= 1)) {
                return Result.failure("a progress report is about a queued or running job with a progress in [0, 1]");
            }
            return Result.success(new ProgressReport(root.path("jobId").asText(), state, progress));
        } catch (IOException | IllegalArgumentException e) {
            return Result.failure("the progress report is not readable");
        }
    }
}
