package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.EpsilonLedgerTestBase;

class InMemoryEpsilonLedgerTest extends EpsilonLedgerTestBase {

    private final InMemoryEpsilonLedger ledger = new InMemoryEpsilonLedger();

    @Override
    protected EpsilonLedger ledger() {
        return ledger;
    }
}
