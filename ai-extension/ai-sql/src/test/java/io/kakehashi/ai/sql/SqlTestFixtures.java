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
import java.util.Optional;
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

    /**
     * Personal data: taxi trips naming their passenger. Zone {@code Solo}: 10 trips of the one passenger S01.
     * Zone {@code Crowd}: a day and a night trip of each of C01…C10, and 10 more day trips of C01, the only trips with
     * a {@code tip} — so 30 trips of 10 passengers, whose tips are one passenger's.
     */
    static Path tripsCsv(Path dir) throws IOException {
        var csv = new StringBuilder("trip_id,passenger,zone,band,fare,tip\n");
        var trip = 0;
        for (var i = 0; i < 10; i++) {
            csv.append("T%03d,S01,Solo,night,%d,\n".formatted(++trip, 1000 + i));
        }
        for (var c = 1; c <= 10; c++) {
            csv.append("T%03d,C%02d,Crowd,day,%d,\n".formatted(++trip, c, 800 + c));
            csv.append("T%03d,C%02d,Crowd,night,%d,\n".formatted(++trip, c, 1200 + c));
        }
        for (var i = 0; i < 10; i++) {
            csv.append("T%03d,C01,Crowd,day,%d,%d\n".formatted(++trip, 900 + i, 100 + i));
        }
        var file = dir.resolve("trips.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** A job on an asset that holds personal data, whose subject column is {@code subjectField}. */
    static JobRun run(Path asset, String subjectField, String query, OptionalLong k) {
        return run(new TabularAsset(asset, TabularAsset.Format.CSV, Optional.of(subjectField)), query, k, Duration.ofSeconds(30), 256L << 20,
                new CancellationSignal());
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
