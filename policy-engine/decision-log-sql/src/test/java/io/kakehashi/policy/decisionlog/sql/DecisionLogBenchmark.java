package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.HashChain;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.spi.monitor.Monitor;
import org.postgresql.PGConnection;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Measures the decision log (not a test; never run by the build):
 * <ul>
 *     <li>appends per second, file store (every append fsync'd) and PostgreSQL (one transaction with the advisory
 *     lock per append, on one reused connection as a pool would hand out);</li>
 *     <li>time to open and verify a file log of {@code --entries} entries (written directly, without fsync, for setup);</li>
 *     <li>query latency by agreement in PostgreSQL at {@code --entries} rows (loaded with COPY for setup).</li>
 * </ul>
 * Run from the repository root after {@code install}:
 * <pre>
 * ./mvnw -q -pl policy-engine/decision-log-sql exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.kakehashi.policy.decisionlog.sql.DecisionLogBenchmark -Dexec.args="--entries 1000000 --rounds 3"
 * </pre>
 * Uses the tests' PostgreSQL ({@code PostgresTestServer}) in its own schema {@code decision_log_benchmark},
 * dropped at the end. Single-threaded.
 */
public final class DecisionLogBenchmark {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "decision_log_benchmark";
    private static final int AGREEMENTS = 10_000;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private DecisionLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var entries = 1_000_000;
        var rounds = 3;
        var appends = 2000;
        var threads = new int[]{1, 32};
        var query = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--entries" -> entries = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--appends" -> appends = Integer.parseInt(args[i + 1]); // 0: no append figures
                case "--threads" -> threads = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--query" -> query = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("decision log benchmark: %d appends per round, %d entries for verify/query, %d rounds, %d cores, Java %s%n",
                appends, entries, rounds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        var directory = Files.createTempDirectory("decision-log-benchmark");
        try {
            for (var count : appends > 0 ? threads : new int[0]) {
                fileAppends(directory, appends, rounds, count);
            }
            for (var count : appends > 0 ? threads : new int[0]) {
                postgresAppends(appends, rounds, count);
            }
            fileVerify(directory, entries, rounds);
            if (query) {
                postgresQuery(entries, rounds);
            }
        } finally {
            try (var files = Files.list(directory)) {
                for (var file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
            POSTGRES.dropSchema(DATABASE, SCHEMA);
        }
    }

    private static void fileAppends(Path directory, int appends, int rounds, int threads) {
        var rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            var file = directory.resolve("append-" + threads + "-" + round + ".jsonl");
            try (var store = FileDecisionLogStore.open(file, new Monitor() { })) {
                rates[round] = appendsPerSecond(appends, threads, store::append);
                requireIntact(store, appends);
            }
        }
        report("file store durable appends/s, " + threads + " appending thread(s)", rates);
    }

    private static void postgresAppends(int appends, int rounds, int threads) throws SQLException {
        var rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            POSTGRES.recreateSchema(DATABASE, SCHEMA);
            try (var pool = new Pool(POSTGRES.dataSource(DATABASE, SCHEMA), Math.min(threads, 8))) {
                var store = PostgresDecisionLogStore.create(pool);
                rates[round] = appendsPerSecond(appends, threads, store::append);
                requireIntact(store, appends);
            }
        }
        report("PostgreSQL durable appends/s, " + threads + " appending thread(s)", rates);
    }

    private static void requireIntact(io.kakehashi.policy.decisionlog.spi.DecisionSource source, int appends) {
        var result = ChainVerifier.verify(source);
        var expected = appends + Math.min(200, appends);
        if (!result.intact() || result.entriesChecked() != expected) {
            throw new IllegalStateException("after the appends the log does not verify with " + expected + " entries: " + result);
        }
    }

    /**
     * {@code appends} entries appended by {@code threads} threads at once (each its share, one after another, as
     * concurrent decisions would), after 200 warm-up appends; entries per second from the first start to the last end.
     */
    private static double appendsPerSecond(int appends, int threads, Consumer<DecisionEntry> append) {
        for (int i = 0; i < Math.min(200, appends); i++) {
            append.accept(entry(i));
        }
        var executor = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            var ready = new java.util.concurrent.CountDownLatch(threads);
            var go = new java.util.concurrent.CountDownLatch(1);
            var futures = new ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                var from = (int) ((long) appends * t / threads);
                var to = (int) ((long) appends * (t + 1) / threads);
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = from; i < to; i++) {
                        append.accept(entry(i));
                    }
                    return null;
                }));
            }
            ready.await();
            var started = System.nanoTime();
            go.countDown();
            for (var future : futures) {
                future.get();
            }
            return appends / ((System.nanoTime() - started) / 1e9);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("appends failed: " + e.getMessage(), e);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * A fixed pool of connections standing in for the connector's pool: {@code getConnection} waits for a free one,
     * {@code close} hands it back.
     */
    private static final class Pool implements DataSource, AutoCloseable {
        private final java.util.concurrent.BlockingQueue<Connection> free = new java.util.concurrent.LinkedBlockingQueue<>();
        private final List<Connection> all = new ArrayList<>();

        Pool(DataSource dataSource, int size) throws SQLException {
            for (int i = 0; i < size; i++) {
                var connection = dataSource.getConnection();
                all.add(connection);
                free.add(connection);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection;
            try {
                connection = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted");
            }
            connection.setAutoCommit(true);
            var handedOut = connection;
            var returned = new java.util.concurrent.atomic.AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(DecisionLogBenchmark.class.getClassLoader(), new Class<?>[]{ Connection.class },
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("close")) {
                            if (returned.compareAndSet(false, true)) {
                                free.add(handedOut);
                            }
                            return null;
                        }
                        try {
                            return method.invoke(handedOut, arguments);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }

        @Override
        public void close() throws SQLException {
            for (var connection : all) {
                connection.close();
            }
        }
    }

    private static void fileVerify(Path directory, int entries, int rounds) throws IOException {
        var file = directory.resolve("verify.jsonl");
        var generated = System.nanoTime();
        try (var writer = Files.newBufferedWriter(file)) {
            generate(entries, stored -> write(writer, DecisionJson.storedLine(stored)));
        }
        System.out.printf("  (setup: %d entries written in %.1f s, %d MiB)%n", entries, (System.nanoTime() - generated) / 1e9, Files.size(file) >> 20);
        var opens = new double[rounds];
        var verifies = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            var started = System.nanoTime();
            try (var store = FileDecisionLogStore.open(file, new Monitor() { })) {
                opens[round] = (System.nanoTime() - started) / 1e9;
                started = System.nanoTime();
                var result = ChainVerifier.verify(store);
                verifies[round] = (System.nanoTime() - started) / 1e9;
                if (!result.intact() || result.entriesChecked() != entries) {
                    throw new IllegalStateException("benchmark log does not verify: " + result);
                }
            }
        }
        report("file store open (index " + entries + " lines), s", opens);
        report("verify " + entries + " entries (file), s", verifies);
        merkleProofs(file, entries, rounds);
    }

    /**
     * The Merkle tree of the log: the time to read it into memory from the file, and the time an auditor takes to
     * check one inclusion proof (leaf hash from the entry's chain hash, path, root) at {@code entries} leaves.
     */
    private static void merkleProofs(Path file, int entries, int rounds) {
        var builds = new double[rounds];
        var checks = new double[rounds];
        var random = new Random(7);
        for (int round = 0; round < rounds; round++) {
            try (var store = FileDecisionLogStore.open(file, new Monitor() { })) {
                var started = System.nanoTime();
                var tree = new io.kakehashi.policy.decisionlog.DecisionLogTree(store).upTo(entries);
                builds[round] = (System.nanoTime() - started) / 1e9;
                var root = tree.root(entries);
                var samples = new double[2000];
                for (int i = 0; i < samples.length; i++) {
                    var index = random.nextInt(entries);
                    var proof = tree.inclusionProof(index, entries);
                    var entryHash = store.read(index + 1).getContent().hash();
                    started = System.nanoTime();
                    var leaf = io.kakehashi.policy.decisionlog.MerkleTree.leafHash(io.kakehashi.policy.decisionlog.MerkleTree.fromHex(entryHash));
                    var ok = io.kakehashi.policy.decisionlog.MerkleTree.verifyInclusion(index, entries, leaf, proof, root);
                    samples[i] = (System.nanoTime() - started) / 1e3;
                    if (!ok) {
                        throw new IllegalStateException("inclusion proof of leaf " + index + " does not verify");
                    }
                }
                Arrays.sort(samples);
                checks[round] = samples[samples.length / 2];
            }
        }
        report("Merkle tree of " + entries + " entries read from the file, s", builds);
        report("inclusion proof check at " + entries + " leaves (2,000 proofs), median µs", checks);
    }

    private static void postgresQuery(int entries, int rounds) throws SQLException, IOException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        var dataSource = POSTGRES.dataSource(DATABASE, SCHEMA);
        DecisionLogSchema.create(dataSource);
        var loaded = System.nanoTime();
        try (var connection = dataSource.getConnection()) {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            var batch = new StringWriter();
            var rows = new int[1];
            var sql = "COPY kakehashi_decision_log (sequence, previous_hash, hash, decided_at, scope, counterparty_id, agreement_id, asset_id, outcome, entry_json) FROM STDIN";
            var out = new PrintWriter(batch);
            generate(entries, stored -> {
                var entry = stored.entry();
                out.append(Long.toString(stored.sequence())).append('\t').append(stored.previousHash()).append('\t').append(stored.hash()).append('\t')
                        .append(OffsetDateTime.ofInstant(entry.time(), ZoneOffset.UTC).toString()).append('\t').append(entry.scope().wireName()).append('\t')
                        .append(entry.counterpartyId()).append('\t').append(entry.agreementId()).append('\t').append(entry.assetId()).append('\t')
                        .append(entry.outcome().name()).append('\t')
                        // COPY text format: backslashes are escapes; the generated entries hold no tabs or newlines
                        .append(JsonCanonicalizer.canonicalize(DecisionJson.entry(entry)).replace("\\", "\\\\")).append('\n');
                if (++rows[0] % 50_000 == 0) {
                    out.flush();
                    copyIn(copy, sql, batch);
                }
            });
            out.flush();
            copyIn(copy, sql, batch);
            try (var statement = connection.createStatement()) {
                statement.execute("ANALYZE kakehashi_decision_log");
            }
        }
        System.out.printf("  (setup: %d rows loaded with COPY and analysed in %.1f s)%n", entries, (System.nanoTime() - loaded) / 1e9);
        try (var connection = POSTGRES.dataSource(DATABASE, SCHEMA).getConnection()) {
            var store = new PostgresDecisionLogStore(reusing(connection));
            var random = new Random(42);
            var medians = new double[rounds];
            var p95s = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                var samples = new double[500];
                for (int i = 0; i < samples.length; i++) {
                    var query = DecisionQuery.builder().agreementId("agreement-" + random.nextInt(AGREEMENTS)).limit(50).build();
                    var started = System.nanoTime();
                    var found = store.query(query);
                    samples[i] = (System.nanoTime() - started) / 1e3;
                    if (found.isEmpty()) {
                        throw new IllegalStateException("no rows for " + query.agreementId());
                    }
                }
                Arrays.sort(samples);
                medians[round] = samples[samples.length / 2];
                p95s[round] = samples[(int) (samples.length * 0.95)];
            }
            report("PostgreSQL query by agreement at " + entries + " rows (50 of ~" + entries / AGREEMENTS + "), median ms", medians);
            report("PostgreSQL query by agreement at " + entries + " rows, p95 ms", p95s);
        }
    }

    private static void copyIn(org.postgresql.copy.CopyManager copy, String sql, StringWriter batch) {
        try {
            copy.copyIn(sql, new StringReader(batch.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        batch.getBuffer().setLength(0);
    }

    private static void generate(int entries, Consumer<StoredDecision> sink) {
        var previous = HashChain.GENESIS;
        for (int i = 1; i <= entries; i++) {
            var entry = entry(i);
            var stored = new StoredDecision(i, previous, HashChain.hash(previous, i, entry), entry);
            sink.accept(stored);
            previous = stored.hash();
        }
    }

    private static DecisionEntry entry(int i) {
        var deny = i % 5 == 0;
        var outcome = deny ? DecisionOutcome.DENY : DecisionOutcome.PERMIT;
        return DecisionEntry.builder()
                .time(START.plus(Duration.ofSeconds(i)))
                .scope(DecisionScope.values()[i % 4])
                .counterpartyId("did:web:consumer-" + (i % 100) + ".example")
                .negotiationId("negotiation-" + i)
                .agreementId("agreement-" + (i % AGREEMENTS))
                .assetId("asset-" + (i % 500))
                .policyId("policy-" + (i % 50))
                .policyHash("ab".repeat(32))
                .claimsDigest("cd".repeat(32))
                .outcome(outcome)
                .reasons(List.of(new ConstraintReason("jurisdiction", outcome, deny ? "consumer country US is not in EU_EEA" : "consumer country DE is in EU_EEA")))
                .build();
    }

    private static void write(BufferedWriter writer, String line) {
        try {
            writer.write(line);
            writer.write('\n');
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A data source that hands out the one connection and ignores close(), standing in for a connection pool.
     */
    private static DataSource reusing(Connection connection) {
        var kept = (Connection) Proxy.newProxyInstance(DecisionLogBenchmark.class.getClassLoader(), new Class<?>[]{ Connection.class },
                (proxy, method, arguments) -> method.getName().equals("close") ? null : method.invoke(connection, arguments));
        return (DataSource) Proxy.newProxyInstance(DecisionLogBenchmark.class.getClassLoader(), new Class<?>[]{ DataSource.class },
                (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection")) {
                        kept.setAutoCommit(true);
                        return kept;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void report(String what, double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        var rounded = new ArrayList<String>();
        for (var value : values) {
            rounded.add(String.format("%.2f", value));
        }
        System.out.printf("%-75s median %10.2f   rounds %s%n", what, sorted[sorted.length / 2], rounded);
    }
}
