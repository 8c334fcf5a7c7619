package io.kakehashi.samples.replicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a phase of work costs: the CPU time of processes (user + system, from {@code /proc/<pid>/stat}, in clock
 * ticks of 10 ms), the CPU time of the PostgreSQL backends connected to one database, and that database's counters
 * ({@code pg_stat_database}: transactions, rows; {@code pg_stat_user_tables}: scans, i.e. statements that read a
 * table). A {@link Snapshot} is taken before and after; their difference is the phase's cost. PostgreSQL publishes a
 * backend's counters when it goes idle, at the latest 10 s later ({@code PGSTAT_IDLE_INTERVAL}), so a snapshot after
 * a phase is taken once the connectors had that long to go quiet. Linux only; not thread-safe.
 */
final class CostMeter {

    /** {@code sysconf(_SC_CLK_TCK)} on Linux. */
    static final double TICKS_PER_SECOND = 100.0;

    static final List<String> DATABASE_COUNTERS = List.of("xact_commit", "xact_rollback", "tup_returned", "tup_fetched",
            "tup_inserted", "tup_updated", "tup_deleted");

    record Snapshot(long nanos, Map<String, Long> cpuTicks, Map<Long, Long> backendTicks, Map<String, Long> database) {
    }

    private final Map<String, Long> pids;
    private final String database;

    /**
     * @param pids     the processes to watch, by name
     * @param database the PostgreSQL database whose backends and counters to read
     */
    CostMeter(Map<String, Long> pids, String database) {
        this.pids = new LinkedHashMap<>(pids);
        this.database = database;
    }

    Snapshot snapshot(Connection connection) throws SQLException {
        var cpu = new LinkedHashMap<String, Long>();
        pids.forEach((name, pid) -> cpu.put(name, ticks(pid)));
        var backends = new HashMap<Long, Long>();
        var counters = new LinkedHashMap<String, Long>();
        try (var statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (var rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rows.next()) {
                    var pid = rows.getLong(1);
                    backends.put(pid, ticks(pid));
                }
            }
            try (var rows = statement.executeQuery("SELECT " + String.join(", ", DATABASE_COUNTERS)
                    + " FROM pg_stat_database WHERE datname = current_database()")) {
                rows.next();
                for (var counter : DATABASE_COUNTERS) {
                    counters.put(counter, rows.getLong(counter));
                }
            }
            try (var rows = statement.executeQuery("SELECT coalesce(sum(seq_scan), 0), coalesce(sum(idx_scan), 0),"
                    + " coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables")) {
                rows.next();
                counters.put("table_scans", rows.getLong(1) + rows.getLong(2));
                counters.put("rows_written", rows.getLong(3));
            }
        }
        return new Snapshot(System.nanoTime(), cpu, backends, counters);
    }

    /** The CPU seconds of each watched process and of the database's backends ({@code postgres}) between two snapshots. */
    static Map<String, Double> cpuSeconds(Snapshot before, Snapshot after) {
        var seconds = new LinkedHashMap<String, Double>();
        after.cpuTicks().forEach((name, ticks) -> seconds.put(name, (ticks - before.cpuTicks().getOrDefault(name, 0L)) / TICKS_PER_SECOND));
        long backendTicks = 0;
        for (var entry : after.backendTicks().entrySet()) {
            // a backend that connected during the phase counts from zero
            backendTicks += entry.getValue() - before.backendTicks().getOrDefault(entry.getKey(), 0L);
        }
        seconds.put("postgres", backendTicks / TICKS_PER_SECOND);
        return seconds;
    }

    /** The database counters' growth between two snapshots. */
    static Map<String, Long> databaseDelta(Snapshot before, Snapshot after) {
        var delta = new LinkedHashMap<String, Long>();
        after.database().forEach((counter, value) -> delta.put(counter, value - before.database().getOrDefault(counter, 0L)));
        return delta;
    }

    static double seconds(Snapshot before, Snapshot after) {
        return (after.nanos() - before.nanos()) / 1e9;
    }

    /** User plus system time of a process in clock ticks; 0 when it is gone. */
    static long ticks(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
