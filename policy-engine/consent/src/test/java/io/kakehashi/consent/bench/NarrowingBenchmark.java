package io.kakehashi.consent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.consent.Consent;
import io.kakehashi.consent.ConsentNarrowing;
import io.kakehashi.consent.ConsentRules;
import io.kakehashi.consent.ConsentStore;
import io.kakehashi.consent.PersonalRecords;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How much a personal-data asset's narrowing costs next to sending it as it is: a CSV of {@code bench.rows} e-receipts
 * (default 1,000,000) over {@code bench.subjects} customers (default 100,000), half of whom consented, is copied
 * {@code bench.runs} times (default 5) each way — a plain byte copy and {@link ConsentNarrowing} — alternating, and the
 * median of each printed. The register is in memory: this measures reading, deciding and writing records, not the
 * store. Asserts nothing.
 */
public final class NarrowingBenchmark {

    private NarrowingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        var rows = Integer.getInteger("bench.rows", 1_000_000);
        var subjects = Integer.getInteger("bench.subjects", 100_000);
        var runs = Integer.getInteger("bench.runs", 5);
        var directory = Files.createTempDirectory("narrowing-bench");
        var source = directory.resolve("receipts.csv");
        try (BufferedWriter out = Files.newBufferedWriter(source, StandardCharsets.UTF_8)) {
            out.write("receipt_id,customer_id,store,amount,issued_at\n");
            for (var i = 0; i < rows; i++) {
                out.write("r%08d,customer-%06d,\"store %d, ginza\",%d,2026-12-0%dT10:%02d:00Z\n".formatted(i, i % subjects, i % 50, 100 + i % 9000,
                        1 + i % 7, i % 60));
            }
        }
        var now = Instant.parse("2026-12-07T03:00:00Z");
        var store = new MemoryStore();
        for (var s = 0; s < subjects; s += 2) {
            store.consents.add(new Consent("c" + s, "customer-%06d".formatted(s), null, List.of("analytics"), "any", now.minusSeconds(86_400), null, null));
        }
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(KakehashiPolicy.PURPOSE)).operator(Operator.EQ)
                        .rightExpression(new LiteralExpression("analytics")).build()).build();
        var agreement = ContractAgreement.Builder.newInstance().id("a1").providerId("did:web:p").consumerId("did:web:c").assetId("receipts")
                .contractSigningDate(now.getEpochSecond()).policy(Policy.Builder.newInstance().permission(permission).build()).build();
        var mapper = new ObjectMapper();
        var narrowing = new ConsentNarrowing(asset -> Optional.of("customer_id"), id -> agreement, id -> null, store,
                new ConsentRules(JurisdictionGroups.none()), new PersonalRecords(mapper), entry -> Result.<StoredDecision>success(null),
                Clock.fixed(now, java.time.ZoneOffset.UTC));

        var plain = new ArrayList<Long>();
        var narrowed = new ArrayList<Long>();
        long delivered = 0;
        for (var run = 0; run <= runs; run++) {
            var copy = directory.resolve("copy.csv");
            var start = System.nanoTime();
            try (var in = Files.newInputStream(source); var out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            var plainNanos = System.nanoTime() - start;
            start = System.nanoTime();
            try (var in = Files.newInputStream(source); var out = Files.newOutputStream(copy)) {
                delivered = narrowing.narrow(ConsentFilter.Use.transfer("a1", "receipts", "t" + run), in, "text/csv", out).getContent().delivered();
            }
            var narrowNanos = System.nanoTime() - start;
            if (run > 0) {
                // the first of each is the JIT's warm-up
                plain.add(plainNanos);
                narrowed.add(narrowNanos);
            }
        }
        var megabytes = Files.size(source) / 1e6;
        System.out.printf(Locale.ROOT, "%d rows, %d subjects, %.1f MB, %d delivered; median of %d runs%n", rows, subjects, megabytes, delivered, runs);
        System.out.printf(Locale.ROOT, "plain copy: %.0f ms (%.0f MB/s)%n", median(plain) / 1e6, megabytes / (median(plain) / 1e9));
        System.out.printf(Locale.ROOT, "narrowed:   %.0f ms (%.0f MB/s, %.0f k records/s)%n", median(narrowed) / 1e6,
                megabytes / (median(narrowed) / 1e9), rows / (median(narrowed) / 1e9) / 1e3);
    }

    private static double median(List<Long> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        var n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** The register in memory, for this measurement only. */
    private static final class MemoryStore implements ConsentStore {
        private final List<Consent> consents = new ArrayList<>();

        @Override
        public void save(Consent consent) {
            consents.add(consent);
        }

        @Override
        public Optional<Consent> find(String id) {
            return consents.stream().filter(c -> c.id().equals(id)).findFirst();
        }

        @Override
        public List<Consent> findBySubject(String subjectId) {
            return consents.stream().filter(c -> c.subjectId().equals(subjectId)).toList();
        }

        @Override
        public List<Consent> findByAsset(String assetId) {
            return consents;
        }

        @Override
        public void delivered(Delivery delivery) {
        }

        @Override
        public List<Delivery> deliveriesOf(String subjectId) {
            return List.of();
        }

        @Override
        public void noticed(Notice notice) {
        }

        @Override
        public List<Notice> notices(String consentId) {
            return List.of();
        }

        @Override
        public List<Notice> pendingNotices() {
            return List.of();
        }
    }
}
