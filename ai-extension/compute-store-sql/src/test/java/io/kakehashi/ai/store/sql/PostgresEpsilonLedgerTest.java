package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.EpsilonLedgerTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresEpsilonLedgerTest extends EpsilonLedgerTestBase {

    private DataSource dataSource;
    private PostgresEpsilonLedger ledger;

    @BeforeEach
    void database() throws Exception {
        dataSource = ComputeTestDatabase.freshSchema("ai_epsilon_ledger_test");
        ledger = new PostgresEpsilonLedger(dataSource, Clock.systemUTC());
    }

    @Override
    protected EpsilonLedger ledger() {
        return ledger;
    }

    @Test
    void aSpentBudget_shouldStaySpentForANewLedgerOnTheSameDatabase() {
        ledger.charge("agreement-1", "round-1", 0.75, 1.0);

        var restarted = new PostgresEpsilonLedger(dataSource, Clock.systemUTC());

        assertThat(restarted.spent("agreement-1")).isEqualTo(0.75);
        assertThat(restarted.charge("agreement-1", "round-2", 0.5, 1.0).failed()).isTrue();
    }
}
