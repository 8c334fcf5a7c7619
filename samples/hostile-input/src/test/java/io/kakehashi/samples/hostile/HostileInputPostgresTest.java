package io.kakehashi.samples.hostile;

import org.junit.jupiter.api.Tag;

/**
 * The hostile-input campaign against connectors that keep every store in PostgreSQL (the tests' server from test-fixtures;
 * one database per connector, created for the run and dropped after it).
 */
@Tag("PostgresqlIntegrationTest")
class HostileInputPostgresTest extends HostileInputSuite {

    @Override
    protected boolean postgres() {
        return true;
    }
}
