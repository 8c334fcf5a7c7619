package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * The holder's runs of one sealed model, durable: each change of a run is a JSON line appended to {@code runs.jsonl}
 * beside the model and forced to disk before the ledger answers, so the count that {@code ai.inferenceRuns} is
 * decided against survives a restart or a crash (a line torn by a crash is ignored; the run before it counts). Reads
 * replay the file. Thread-safe: every method holds the ledger's lock.
 */
final class ModelRunLedger {

    static final String FILE = "runs.jsonl";

    private final Function<String, Path> homes;
    private final ObjectMapper mapper;

    /** @param homes the directory of a model by its local agreement id */
    ModelRunLedger(Function<String, Path> homes, ObjectMapper mapper) {
        this.homes = homes;
        this.mapper = mapper;
    }

    /** Every run under the agreement, oldest first, each in its latest state. */
    synchronized List<ModelRun> runs(String localAgreementId) {
        var file = homes.apply(localAgreementId).resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        var latest = new LinkedHashMap<Long, ModelRun>();
        try {
            for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    var run = mapper.readValue(line, ModelRun.class);
                    latest.put(run.run(), run);
                } catch (IOException torn) {
                    // the last line of a write a crash cut short
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the run ledger of agreement %s cannot be read".formatted(localAgreementId), e);
        }
        return new ArrayList<>(latest.values());
    }

    /** How many runs were admitted under the agreement. */
    synchronized long admitted(String localAgreementId) {
        return runs(localAgreementId).size();
    }

    /**
     * Writes a run's new state; durable when it returns. That the vendor took the run's report is never undone by a
     * later state written from an older copy of the run.
     */
    synchronized void write(ModelRun state) {
        var run = state;
        if (!run.reported() && runs(run.localAgreementId()).stream().anyMatch(r -> r.run() == state.run() && r.reported())) {
            run = run.reportedToVendor();
        }
        var file = homes.apply(run.localAgreementId()).resolve(FILE);
        try {
            var line = mapper.writeValueAsString(run) + "\n";
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            SealedModelStore.restrict(file);
        } catch (IOException e) {
            throw new UncheckedIOException("run %d of agreement %s cannot be written".formatted(state.run(), state.localAgreementId()), e);
        }
    }

    /** Runs not yet taken by the vendor, oldest first. */
    synchronized List<ModelRun> unreported(String localAgreementId) {
        return runs(localAgreementId).stream().filter(run -> !run.reported()).toList();
    }
}
