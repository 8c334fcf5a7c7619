package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionSource;

import java.util.List;

/**
 * A source whose entries are stored lines (the file store, an export): the verifier reads the lines themselves, so it
 * can hash an entry's canonical text as stored instead of making it again.
 */
interface LineSource extends DecisionSource {

    /**
     * Up to {@code max} stored lines from {@code fromPosition} on, without their newlines; fewer (or none) at the end.
     */
    List<String> readLines(long fromPosition, int max);
}
