package io.kakehashi.policy.spi;

import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Narrows the content of an asset that holds personal data to the records of the data subjects whose consent covers
 * one use of it under an agreement (issue 20 item 5, docs/decisions/0045): the data plane passes a transfer's source
 * through it, the compute extension a job's input. An asset that holds no personal data is not its concern and is used
 * as it is. Implementations are thread-safe.
 */
public interface ConsentFilter {

    /**
     * The asset property naming the field (CSV column, JSON member) that holds a record's data subject: an asset that
     * declares it holds personal data. The compute output guard reads it too: {@code ai.minAggregation} then counts
     * distinct data subjects.
     */
    String SUBJECT_FIELD = "https://w3id.org/kakehashi/consent/dataSubjectField";

    /** No consent register: every asset is used as it is. */
    ConsentFilter NONE = new ConsentFilter() {
        @Override
        public boolean appliesTo(String assetId) {
            return false;
        }

        @Override
        public Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) {
            return Result.failure("no consent register is installed");
        }
    };

    /**
     * One use of an asset under an agreement.
     *
     * @param agreementId this connector's id of the agreement
     * @param assetId     the agreement's asset
     * @param useId       the transfer process (data flow) or compute job
     * @param jobType     the compute job's type ({@code sql}, {@code training}, …); null for a transfer
     */
    record Use(String agreementId, String assetId, String useId, String jobType) {

        public static Use transfer(String agreementId, String assetId, String transferId) {
            return new Use(agreementId, assetId, transferId, null);
        }

        public static Use compute(String agreementId, String assetId, String jobId, String jobType) {
            return new Use(agreementId, assetId, jobId, jobType);
        }

        public boolean isCompute() {
            return jobType != null;
        }
    }

    /**
     * What a narrowing let through.
     *
     * @param delivered the records copied
     * @param leftOut   the records left out
     */
    record Narrowed(long delivered, long leftOut) {
    }

    /** Whether the asset holds personal data, so that every use of its content must be narrowed. */
    boolean appliesTo(String assetId);

    /**
     * Copies the records of {@code content} whose data subject's consent covers the use to {@code out}, and records
     * the outcome (how many were left out and why, which subjects' records went to whom).
     *
     * @param format the content's media type or file name ({@code text/csv}, {@code application/x-ndjson},
     *               {@code receipts.csv}), which says how records are read
     * @return the counts, or a failure saying why none may be used (the agreement names no purpose, a format that has no
     *         records, a subject field the content lacks); nothing is recorded as delivered then
     * @throws IOException when the content cannot be read or the copy written
     */
    Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) throws IOException;

    /**
     * The data-subject field an asset's {@value #SUBJECT_FIELD} property declares, trimmed; empty when the property is
     * absent (null). A value that does not read as text still declares personal data: it is taken as its text, so its
     * records match no field and nothing is let through.
     */
    static Optional<String> declaredSubjectField(Object property) {
        if (property == null) {
            return Optional.empty();
        }
        return Optional.of(RightOperand.text(property).map(String::trim).orElse(String.valueOf(property)));
    }
}
