package io.kakehashi.samples.hostile;

/**
 * The hostile-input campaign against connectors that keep every store in PostgreSQL (127.0.0.1:5432, user postgres;
 * one database per connector, created for the run and dropped after it).
 */
class HostileInputPostgresTest extends HostileInputSuite {

    @Override
    protected boolean postgres() {
        return true;
    }
}
