package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.spi.result.ServiceResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The holder's runs of one sealed model, durable: each change of a run is a JSON line appended to {@code runs.jsonl}
 * beside the model and forced to disk before the ledger answers, so the count that {@code ai.inferenceRuns} is
 * decided against survives a restart or a crash (a line torn by a crash is ignored; the run before it counts). Reads
 * replay the file. The embedded default: one process owns the files, so replicas need the PostgreSQL ledger.
 * Thread-safe: decisions under one agreement hold that agreement's lock, every file access the ledger's.
 */
final class FileModelRunLedger implements ModelRunLedger {

    static final String FILE = "runs.jsonl";

    private final Function<String, Path> homes;
    private final ObjectMapper mapper;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** @param homes the directory of a model by its local agreement id */
    FileModelRunLedger(Function<String, Path> homes, ObjectMapper mapper) {
        this.homes = homes;
        this.mapper = mapper;
    }

    @Override
    public synchronized List<ModelRun> runs(String localAgreementId) {
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

    @Override
    public synchronized long admitted(String localAgreementId) {
        return runs(localAgreementId).size();
    }

    @Override
    public ServiceResult<ModelRun> admit(String localAgreementId, LongFunction<ServiceResult<ModelRun>> decide) {
        // the agreement's lock, not the ledger's: a policy decision under one agreement does not hold up the others
        synchronized (locks.computeIfAbsent(localAgreementId, id -> new Object())) {
            var soFar = admitted(localAgreementId);
            var decided = decide.apply(soFar);
            if (decided.succeeded()) {
                requireNext(decided.getContent(), localAgreementId, soFar);
                write(decided.getContent());
            }
            return decided;
        }
    }

    static void requireNext(ModelRun run, String localAgreementId, long soFar) {
        if (!run.localAgreementId().equals(localAgreementId) || run.run() != soFar + 1) {
            throw new IllegalArgumentException("run %d of agreement %s is not the next run (%d admitted)".formatted(run.run(), run.localAgreementId(), soFar));
        }
    }

    @Override
    public synchronized void write(ModelRun state) {
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

    @Override
    public synchronized List<ModelRun> unreported(String localAgreementId) {
        return runs(localAgreementId).stream().filter(run -> !run.reported()).toList();
    }
}
