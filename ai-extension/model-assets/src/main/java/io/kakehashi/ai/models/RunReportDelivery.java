package io.kakehashi.ai.models;

import org.eclipse.edc.spi.result.Result;

/**
 * Takes a signed run report to the vendor's connector. A success means the vendor's connector kept it (or had kept
 * exactly this report before); a failure says why not, and the report is offered again later. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface RunReportDelivery {

    Result<Void> deliver(SealedModel model, String report);
}
