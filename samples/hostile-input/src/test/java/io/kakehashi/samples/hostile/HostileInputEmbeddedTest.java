package io.kakehashi.samples.hostile;

/**
 * The hostile-input campaign against connectors on the embedded default (state in memory, the decision log in files).
 */
class HostileInputEmbeddedTest extends HostileInputSuite {

    @Override
    protected boolean postgres() {
        return false;
    }
}
