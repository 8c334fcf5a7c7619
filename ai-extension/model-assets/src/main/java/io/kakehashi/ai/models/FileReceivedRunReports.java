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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The vendor's kept run reports, per agreement in run order: a JSON Lines file, each report appended and forced to
 * disk before it is acknowledged, read back at start (a line torn by a crash is ignored). The embedded default: one
 * process owns the file, so replicas need the PostgreSQL reports. Thread-safe: decisions are taken one at a time.
 */
public final class FileReceivedRunReports implements ReceivedRunReports {

    private final Path file;
    private final ObjectMapper mapper;
    private final Map<String, List<ReceivedRunReport>> byAgreement = new ConcurrentHashMap<>();

    public FileReceivedRunReports(Path file, ObjectMapper mapper) {
        this.file = file.toAbsolutePath().normalize();
        this.mapper = mapper;
        try {
            Files.createDirectories(this.file.getParent());
            if (Files.isRegularFile(this.file)) {
                for (var line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
                    try {
                        var kept = mapper.readValue(line, ReceivedRunReport.class);
                        byAgreement.computeIfAbsent(kept.agreementId(), id -> new ArrayList<>()).add(kept);
                    } catch (IOException torn) {
                        // the last line of a write a crash cut short: that report was never acknowledged
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the run reports %s cannot be read".formatted(this.file), e);
        }
    }

    @Override
    public synchronized List<ReceivedRunReport> of(String agreementId) {
        return List.copyOf(byAgreement.getOrDefault(agreementId, List.of()));
    }

    @Override
    public synchronized List<String> agreements() {
        return byAgreement.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized ServiceResult<ReceivedRunReport> next(String agreementId,
                                                              Function<List<ReceivedRunReport>, ServiceResult<ReceivedRunReport>> decide) {
        var kept = of(agreementId);
        var decided = decide.apply(kept);
        if (decided.succeeded() && decided.getContent().run() == kept.size() + 1) {
            keep(agreementId, decided.getContent());
        }
        return decided;
    }

    private void keep(String agreementId, ReceivedRunReport report) {
        if (!agreementId.equals(report.agreementId())) {
            throw new IllegalArgumentException("a report of agreement %s is not kept under %s".formatted(report.agreementId(), agreementId));
        }
        try {
            Files.write(file, (mapper.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("the run report cannot be kept", e);
        }
        byAgreement.computeIfAbsent(report.agreementId(), id -> new ArrayList<>()).add(report);
    }
}
