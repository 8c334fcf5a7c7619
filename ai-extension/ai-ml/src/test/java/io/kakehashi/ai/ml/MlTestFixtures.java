package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.TabularAsset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/** Generated machine data with a failure label that depends on the readings, and job runs over it. */
public final class MlTestFixtures {

    private MlTestFixtures() {
    }

    /**
     * {@code rows} machines: temperature, vibration, spindle_hours, and {@code failure} = yes/no drawn from a logistic
     * function of the readings (so a linear model can learn it, though not perfectly), plus {@code wear}, a numeric
     * target that is a linear function of the readings with a little noise.
     */
    public static Path machineCsv(Path file, int rows, long seed, double temperatureShift) throws IOException {
        var random = new Random(seed);
        var csv = new StringBuilder("id,temperature,vibration,spindle_hours,failure,wear\n");
        for (var i = 0; i < rows; i++) {
            var temperature = 50 + temperatureShift + random.nextGaussian() * 10;
            var vibration = random.nextGaussian() * 2;
            var hours = random.nextDouble() * 10;
            var logit = 0.25 * (temperature - 55) + 1.2 * vibration + 0.3 * (hours - 5);
            var failure = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no";
            var wear = 2 * vibration + 0.5 * hours + random.nextGaussian() * 0.1;
            csv.append(i).append(',').append("%.3f".formatted(temperature)).append(',').append("%.3f".formatted(vibration)).append(',')
                    .append("%.3f".formatted(hours)).append(',').append(failure).append(',').append("%.4f".formatted(wear)).append('\n');
        }
        Files.writeString(file, csv);
        return file;
    }

    /**
     * The rows of {@code csv} as personal data: a column {@value #SUBJECT} appended, row i belonging to operator
     * {@code OP-(i mod subjects)}.
     */
    public static Path withSubjects(Path csv, Path file, int subjects) throws IOException {
        var lines = Files.readAllLines(csv);
        var out = new StringBuilder(lines.get(0)).append(',').append(SUBJECT).append('\n');
        for (var i = 1; i < lines.size(); i++) {
            out.append(lines.get(i)).append(",OP-%02d".formatted((i - 1) % subjects)).append('\n');
        }
        return Files.writeString(file, out);
    }

    /** The column {@link #withSubjects} names each row's data subject in. */
    public static final String SUBJECT = "operator_id";

    public static JobRun run(Path asset, JobDescription description, OptionalLong k, boolean modelMayLeave) {
        return run(new TabularAsset(asset, TabularAsset.Format.CSV), description, k, modelMayLeave);
    }

    /** A run on an asset that holds personal data, whose data subject is in column {@value #SUBJECT}. */
    public static JobRun runOnPersonalData(Path asset, JobDescription description, OptionalLong k, boolean modelMayLeave) {
        return run(new TabularAsset(asset, TabularAsset.Format.CSV, Optional.of(SUBJECT)), description, k, modelMayLeave);
    }

    private static JobRun run(TabularAsset asset, JobDescription description, OptionalLong k, boolean modelMayLeave) {
        var job = JobRecord.queued("job-1", "agreement-1", "machine-operation-data", "ai-vendor", description, Instant.now());
        return new JobRun(job, description, asset, new JobLimits(Duration.ofSeconds(60), 256L << 20), k, modelMayLeave, fraction -> { },
                new CancellationSignal());
    }
}
