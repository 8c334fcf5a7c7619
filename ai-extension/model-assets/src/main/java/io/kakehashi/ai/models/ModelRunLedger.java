package io.kakehashi.ai.models;

import org.eclipse.edc.spi.result.ServiceResult;

import java.util.List;
import java.util.function.LongFunction;

/**
 * The holder's runs of its sealed models, per agreement (this connector's id of it), numbered from 1 without gaps:
 * what {@code ai.inferenceRuns} is decided against. Every instance that shares the ledger (replicas on one PostgreSQL
 * database) decides the runs of one agreement one at a time, so together they never admit more than the limit.
 * Thread-safe.
 */
public interface ModelRunLedger {

    /** Every run under the agreement, oldest first, each in its latest state. */
    List<ModelRun> runs(String localAgreementId);

    /** How many runs were admitted under the agreement. */
    long admitted(String localAgreementId);

    /**
     * Decides the next run with the number of runs admitted so far and writes the run the decision admits, durably,
     * before any other decision under the agreement (in any instance sharing the ledger) is taken; a refusal writes
     * nothing. The admitted run must be numbered one more than the count given.
     */
    ServiceResult<ModelRun> admit(String localAgreementId, LongFunction<ServiceResult<ModelRun>> decide);

    /**
     * Writes a run's new state; durable when it returns. That the vendor took the run's report is never undone by a
     * later state written from an older copy of the run.
     */
    void write(ModelRun state);

    /** Runs not yet taken by the vendor, oldest first. */
    List<ModelRun> unreported(String localAgreementId);
}
