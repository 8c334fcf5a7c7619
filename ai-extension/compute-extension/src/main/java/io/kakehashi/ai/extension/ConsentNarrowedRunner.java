package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A runner that gives the job it wraps, when the job's asset holds personal data, only the records whose data
 * subjects' consent covers the job (the {@link ConsentFilter}: the purpose the job's type serves and the agreement's
 * consumer): the asset's file is narrowed into a private copy (owner-only, in the configured directory), the job runs
 * on the copy, and the copy is deleted when the job ends, however it ends. An asset without personal data runs as it
 * is. A personal-data asset in Parquet is refused: its records are not read here. Thread-safe, as the runner it wraps.
 */
final class ConsentNarrowedRunner implements JobRunner {

    private final JobRunner runner;
    private final ConsentFilter filter;
    private final Path directory;

    ConsentNarrowedRunner(JobRunner runner, ConsentFilter filter, Path directory) {
        this.runner = runner;
        this.filter = filter;
        this.directory = directory;
    }

    @Override
    public JobType type() {
        return runner.type();
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        return runner.validate(description);
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var job = run.job();
        if (!filter.appliesTo(job.assetId())) {
            return runner.run(run);
        }
        if (run.asset().format() != TabularAsset.Format.CSV) {
            return Result.failure("consent: asset %s holds personal data in %s; compute jobs on personal data read CSV only".formatted(job.assetId(),
                    run.asset().format()));
        }
        Path copy = null;
        try {
            copy = privateFile();
            Result<ConsentFilter.Narrowed> narrowed;
            try (var in = Files.newInputStream(run.asset().file()); var out = Files.newOutputStream(copy)) {
                narrowed = filter.narrow(ConsentFilter.Use.compute(job.agreementId(), job.assetId(), job.id(), job.type().policyName()), in,
                        run.asset().file().getFileName().toString(), out);
            }
            if (narrowed.failed()) {
                return Result.failure(narrowed.getFailureDetail());
            }
            // the copy keeps the asset's subject field: the output guard counts the subjects left in it
            return runner.run(new JobRun(job, run.description(), run.asset().withFile(copy), run.limits(), run.minimumGroupSize(),
                    run.modelMayLeave(), run.progress(), run.cancellation()));
        } catch (IOException e) {
            return Result.failure("consent: the personal data of asset %s cannot be narrowed to its consented records (%s)".formatted(job.assetId(),
                    e.getClass().getSimpleName()));
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // the directory is the connector's own; an operator finds it there
                }
            }
        }
    }

    private Path privateFile() throws IOException {
        Files.createDirectories(directory);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, "consented-", ".csv", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(directory, "consented-", ".csv");
    }
}
