package io.kakehashi.ai.models;

import org.eclipse.edc.spi.result.ServiceResult;

import java.util.List;
import java.util.function.Function;

/**
 * The vendor's kept run reports, per agreement (its DSP id) in run order. Every instance that shares them (replicas on
 * one PostgreSQL database) takes the reports of one agreement into the sequence one at a time. Thread-safe.
 */
public interface ReceivedRunReports {

    /** The reports kept under an agreement (DSP id), in run order. */
    List<ReceivedRunReport> of(String agreementId);

    /** Every agreement with a kept report. */
    List<String> agreements();

    /**
     * Decides on a report with the reports kept so far under the agreement, before any other decision under it (in any
     * instance sharing the reports) is taken. A success naming the next run (one more than those kept) is kept,
     * durably, before this returns; a success naming a run kept already (the same report again) and a failure keep
     * nothing.
     */
    ServiceResult<ReceivedRunReport> next(String agreementId, Function<List<ReceivedRunReport>, ServiceResult<ReceivedRunReport>> decide);
}
