package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

/** A generated machine-operation CSV and SQL job runs over it. */
final class SqlTestFixtures {

    static final String[] REGIONS = {"Aichi", "Osaka", "Bavaria", "Singapore"};

    private SqlTestFixtures() {
    }

    /**
     * 400 rows over the four large regions (100 each) plus 3 rows in Okinawa; {@code bonus} is set on a single row
     * of Aichi only; {@code id} is unique.
     */
    static Path machineCsv(Path dir) throws IOException {
        var csv = new StringBuilder("id,region,machine,temperature,spindle_hours,bonus\n");
        var id = 0;
        for (var region : REGIONS) {
            for (var i = 0; i < 100; i++) {
                id++;
                csv.append(id).append(',').append(region).append(",M").append(id % 7).append(',')
                        .append(40 + (id % 20)).append(',').append(1000 + id).append(',')
                        .append(region.equals("Aichi") && i == 0 ? "777" : "").append('\n');
            }
        }
        for (var i = 0; i < 3; i++) {
            id++;
            csv.append(id).append(",Okinawa,M1,").append(90 + i).append(',').append(5000 + i).append(",\n");
        }
        var file = dir.resolve("machine-operation.csv");
        Files.writeString(file, csv);
        return file;
    }

    static JobRun run(Path asset, String query, OptionalLong k) {
        return run(new TabularAsset(asset, TabularAsset.Format.CSV), query, k, Duration.ofSeconds(30), 256L << 20, new CancellationSignal());
    }

    static JobRun run(TabularAsset asset, String query, OptionalLong k, Duration timeLimit, long memory, CancellationSignal signal) {
        var description = JobDescription.of(JobType.SQL, Map.of(SqlJobRunner.QUERY, query));
        var job = JobRecord.queued("job-1", "agreement-1", "machine-operation-data", "ai-vendor", description, Instant.now());
        return new JobRun(job, description, asset, new JobLimits(timeLimit, memory), k, false, fraction -> { }, signal);
    }
}
