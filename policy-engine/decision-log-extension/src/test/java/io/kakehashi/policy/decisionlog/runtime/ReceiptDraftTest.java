package io.kakehashi.policy.decisionlog.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiptDraftTest {

    @Test
    void parse_ofItsJson_shouldGiveTheSameDraft() {
        var decision = ReceiptIssuerCrashTestBase.decision(7);
        var draft = new ReceiptDraft(decision.subject(), decision.entry(), 41);

        var read = ReceiptDraft.parse(draft.json());

        assertThat(read).isEqualTo(draft);
    }

    @Test
    void parse_whenTheSubjectHasNoAgreement_shouldKeepItAbsent() {
        var decision = ReceiptIssuerCrashTestBase.decision(7);
        var subject = new io.kakehashi.policy.decisionlog.Receipts.Subject("negotiation.terminated", "provider", "consumer", "p-1", "c-1", null);

        var read = ReceiptDraft.parse(new ReceiptDraft(subject, decision.entry(), 0).json());

        assertThat(read.subject().agreementId()).isNull();
    }

    @Test
    void parse_whenAMemberIsMissing_shouldRefuseNamingIt() {
        assertThatThrownBy(() -> ReceiptDraft.parse("{\"after\":1,\"entry\":{},\"subject\":{\"event\":\"negotiation.agreed\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its subject has no 'issuer'");
        assertThatThrownBy(() -> ReceiptDraft.parse("{\"entry\":{}}")).hasMessageContaining("'after', 'entry' or 'subject' missing");
        assertThatThrownBy(() -> ReceiptDraft.parse("a.b.c")).hasMessageContaining("not JSON");
    }
}
