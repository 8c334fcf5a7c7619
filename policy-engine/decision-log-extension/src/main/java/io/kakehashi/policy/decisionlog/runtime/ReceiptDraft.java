package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;

/**
 * A receipt not signed yet, as the outbox keeps it from the moment of the decision (docs/decisions/0039, amendment
 * "no receipt lost to a crash"): what the receipt will state, the log entry of the decision, and the log's head
 * sequence before the entry was appended ({@code after}) — the entry, once appended, is at a later position, so a
 * connector that starts again finds it by reading the log from there, not the whole log. Only what the receipt
 * itself carries: no key, token or vault entry. Immutable and thread-safe.
 */
record ReceiptDraft(Receipts.Subject subject, DecisionEntry entry, long after) {

    /** The draft as canonical JSON. */
    String json() {
        var node = JsonCanonicalizer.mapper().createObjectNode();
        node.put("after", after);
        node.set("entry", DecisionJson.entry(entry));
        subject.putInto(node.putObject("subject"));
        return JsonCanonicalizer.canonicalize(node);
    }

    /**
     * Reads a draft {@link #json()} wrote.
     *
     * @throws IllegalArgumentException when {@code json} is not one
     */
    static ReceiptDraft parse(String json) {
        JsonNode node;
        try {
            node = JsonCanonicalizer.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a receipt draft: not JSON");
        }
        var names = node.path("subject");
        if (!node.path("after").canConvertToLong() || !node.path("entry").isObject() || !names.isObject()) {
            throw new IllegalArgumentException("not a receipt draft: 'after', 'entry' or 'subject' missing");
        }
        var subject = Receipts.Subject.from(names, "not a receipt draft: its subject");
        return new ReceiptDraft(subject, DecisionJson.entry(node.get("entry")), node.get("after").asLong());
    }
}
