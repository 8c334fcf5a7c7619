package io.kakehashi.policy.decisionlog.sql;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore.Saved;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresReceiptStoreTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "decision_receipt_store_test";

    @TempDir
    Path directory;

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        DecisionLogSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    @Test
    void save_shouldKeepOnceForAnotherReplica_andTellAResendFromAReplayWithOtherContent() throws Exception {
        var key = new ECKeyGenerator(Curve.P_256).keyID("provider-key").generate();
        Receipt receipt;
        Receipt replayed;
        try (var log = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), new Monitor() { })) {
            var stored = log.append(DecisionEntry.builder().time(Instant.parse("2026-12-07T00:00:00Z")).scope(DecisionScope.TRANSFER_PROCESS)
                    .counterpartyId("consumer").transferId("provider-transfer").agreementId("agreement-1").outcome(DecisionOutcome.DENY)
                    .reasons(List.of()).build());
            var head = new CheckpointSigner(key, Clock.systemUTC()).sign(log.head(), new DecisionLogTree(log).root(1));
            receipt = Receipts.verify(Receipts.sign(key, new Receipts.Subject("transfer.terminated", "provider", "consumer", "provider-transfer",
                    "consumer-transfer", "agreement-1"), stored, head, List.of(), Instant.now()), kid -> Optional.of(key.toPublicJWK()), Instant.now());
            replayed = Receipts.verify(Receipts.sign(key, new Receipts.Subject("transfer.terminated", "provider", "consumer", "provider-transfer",
                    "another-consumer-transfer", "agreement-1"), stored, head, List.of(), Instant.now()), kid -> Optional.of(key.toPublicJWK()), Instant.now());
        }
        var store = new PostgresReceiptStore(POSTGRES.dataSource(DATABASE, SCHEMA));

        assertThat(store.save(receipt)).isEqualTo(Saved.KEPT);
        assertThat(store.save(receipt)).isEqualTo(Saved.ALREADY_KEPT);
        assertThat(store.save(replayed)).isEqualTo(Saved.CONFLICT);

        var replica = new PostgresReceiptStore(POSTGRES.dataSource(DATABASE, SCHEMA));
        assertThat(replica.all()).singleElement().satisfies(kept -> assertThat(kept.jws()).isEqualTo(receipt.jws()));
        assertThat(replica.byAgreement("agreement-1")).hasSize(1);
        assertThat(replica.byAgreement("agreement-2")).isEmpty();
        assertThat(replica.lastOf("provider")).hasValueSatisfying(kept -> assertThat(kept.jws()).isEqualTo(receipt.jws()));
        assertThat(replica.lastOf("consumer")).isEmpty();
    }
}
