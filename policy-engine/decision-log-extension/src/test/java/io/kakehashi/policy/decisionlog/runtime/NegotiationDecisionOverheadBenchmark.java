package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.sql.PostgresDecisionLogStore;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What the decision log adds to one contract negotiation at the provider: the two policy evaluations the provider
 * makes for a contract request (the offer's access policy in the catalog scope, its contract policy in the
 * negotiation scope), through EDC's bare engine and through the recording engine with the file store (fsync per
 * entry) and with the PostgreSQL store (one transaction per entry), in the same run. Not a test; run it with
 * the command in docs/benchmarks.md.
 */
public final class NegotiationDecisionOverheadBenchmark {

    private static final String JURISDICTION = "https://w3id.org/kakehashi/policy/consumerJurisdiction";
    private static final String USE = "http://www.w3.org/ns/odrl/2/use";
    private static final String SCHEMA = "decision_overhead_benchmark";

    private NegotiationDecisionOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var negotiations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        var rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        var postgres = PostgresTestServer.get();
        var directory = Files.createTempDirectory("decision-overhead");
        System.out.printf("%d negotiations (2 evaluations each) per round, %d rounds; median µs per negotiation%n", negotiations, rounds);

        var bare = new double[rounds];
        var file = new double[rounds];
        var logged = new double[rounds];
        try (var connection = postgres.connect(postgres.testDatabase())) {
            for (int round = 0; round < rounds; round++) {
                bare[round] = microsPerNegotiation(engine(), negotiations);
                try (var store = FileDecisionLogStore.open(directory.resolve("round-" + round + ".jsonl"), new Monitor() { })) {
                    file[round] = microsPerNegotiation(recording(store::append), negotiations);
                }
                try (var statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                    statement.execute("CREATE SCHEMA " + SCHEMA);
                    statement.execute("SET search_path TO " + SCHEMA);
                }
                var store = PostgresDecisionLogStore.create(new OneConnection(connection));
                logged[round] = microsPerNegotiation(recording(store::append), negotiations);
            }
            try (var statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        } finally {
            try (var files = Files.list(directory)) {
                for (var path : files.toList()) {
                    Files.delete(path);
                }
            }
            Files.delete(directory);
        }
        report("EDC engine, no log", bare);
        report("recording engine, file store", file);
        report("recording engine, PostgreSQL store", logged);
        System.out.printf("overhead per negotiation: file %.0f µs, PostgreSQL %.0f µs%n", median(file) - median(bare), median(logged) - median(bare));
    }

    private static double microsPerNegotiation(PolicyEngine engine, int negotiations) {
        var access = policy("JP");
        var contract = policy("JP").toBuilder().target("machine-operation-data").build();
        var agent = new ParticipantAgent("ai-vendor", Map.of("kakehashi:countryOfRegistration", "JP"), Map.of());
        for (int i = 0; i < Math.min(200, negotiations); i++) {
            negotiate(engine, access, contract, agent);
        }
        var started = System.nanoTime();
        for (int i = 0; i < negotiations; i++) {
            negotiate(engine, access, contract, agent);
        }
        return (System.nanoTime() - started) / 1e3 / negotiations;
    }

    private static void negotiate(PolicyEngine engine, Policy access, Policy contract, ParticipantAgent agent) {
        if (engine.evaluate(access, new CatalogPolicyContext(agent)).failed()
                || engine.evaluate(contract, new ContractNegotiationPolicyContext(agent)).failed()) {
            throw new IllegalStateException("the benchmark's policy must permit");
        }
    }

    private static PolicyEngine engine() {
        var bindings = new RuleBindingRegistryImpl();
        for (var scope : List.of("catalog", "contract.negotiation")) {
            bindings.bind(USE, scope);
            bindings.bind(JURISDICTION, scope);
        }
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        register(engine);
        return engine;
    }

    private static PolicyEngine recording(Consumer<DecisionEntry> log) {
        var bindings = new RuleBindingRegistryImpl();
        for (var scope : List.of("catalog", "contract.negotiation")) {
            bindings.bind(USE, scope);
            bindings.bind(JURISDICTION, scope);
        }
        var engine = new RecordingPolicyEngine(new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings)),
                new DecisionEntryFactory(new DecisionDigests(new ObjectMapper()), Clock.systemUTC()), log, DenialDisclosure.FULL,
                new RecentDenial(), new Monitor() { });
        register(engine);
        return engine;
    }

    private static void register(PolicyEngine engine) {
        engine.registerFunction(CatalogPolicyContext.class, Permission.class, JURISDICTION, new Jurisdiction<>());
        engine.registerFunction(ContractNegotiationPolicyContext.class, Permission.class, JURISDICTION, new Jurisdiction<>());
    }

    private static Policy policy(String country) {
        var constraint = AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(JURISDICTION))
                .operator(Operator.EQ).rightExpression(new LiteralExpression(country)).build();
        return Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(USE).build()).constraint(constraint).build())
                .build();
    }

    private static void report(String what, double[] values) {
        System.out.printf("%-38s median %8.1f µs   rounds %s%n", what, median(values),
                Arrays.toString(Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray()));
    }

    private static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A country check against the claim, as cheap as the real one. */
    private static final class Jurisdiction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {
        @Override
        public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
            var agent = context instanceof org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext p ? p.participantAgent() : null;
            return agent != null && rightValue.equals(agent.getClaims().get("kakehashi:countryOfRegistration"));
        }
    }

    /** The one connection of this benchmark, handed out as a pool would hand out a warm one; closing it is a no-op. */
    private record OneConnection(Connection connection) implements DataSource {
        @Override
        public Connection getConnection() {
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, arguments) -> method.getName().equals("close") ? null : method.invoke(connection, arguments));
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
