package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an evidence bundle proves, in plain words, English and Japanese: one line for the bundle (which agreement,
 * which log key, which signed tree head, how many witnesses and receipts), one per decision of this connector (what
 * it decided, when, with whom — participant id and legal id where the entry has one —, about which asset, under which
 * policy by id and SHA-256, and, for a refusal, the constraints that refused), and one per receipt of the counterparty.
 * Made only from {@link EvidenceBundle.Content}, which exists only once everything in it verified, so the words say
 * nothing the signatures do not. Immutable and thread-safe.
 */
public record EvidenceSummary(List<String> english, List<String> japanese) {

    public EvidenceSummary {
        english = List.copyOf(english);
        japanese = List.copyOf(japanese);
    }

    static EvidenceSummary of(EvidenceBundle.Content content) {
        var en = new ArrayList<String>();
        var ja = new ArrayList<String>();
        var head = content.head();
        var agreement = content.agreementId() + (content.localAgreementId() == null ? "" : " (local id " + content.localAgreementId() + ")");
        var agreementJa = content.agreementId() + (content.localAgreementId() == null ? "" : "（ローカルID " + content.localAgreementId() + "）");
        en.add("Agreement %s: %d decisions of the connector whose log key is %s, each proved included in its log's tree head of %d entries signed at %s%s; %d receipts signed by the counterparty."
                .formatted(agreement, content.entries().size(), content.logKid(), head.sequence(), head.time(),
                        content.witnesses().isEmpty() ? "" : ", extending %d head(s) countersigned by the witness(es) %s".formatted(content.witnesses().size(), witnesses(content)),
                        content.receipts().size()));
        ja.add("契約 %s：ログ鍵 %s のコネクタによる判断 %d 件。各判断は %s に署名された %d 件のツリーヘッドに含まれることを証明済み%s。相手方が署名した受領証 %d 件。"
                .formatted(agreementJa, content.logKid(), content.entries().size(), head.time(), head.sequence(),
                        content.witnesses().isEmpty() ? "" : "（立会人 %s が副署したツリーヘッド %d 件を継承）".formatted(witnesses(content), content.witnesses().size()),
                        content.receipts().size()));
        for (var verified : content.entries()) {
            var stored = verified.stored();
            var entry = stored.entry();
            var witnessed = content.witnesses().stream().filter(witness -> witness.treeSize() >= stored.sequence()).count();
            en.add("%s: the connector %s%s%s%s. (entry %d%s%s)".formatted(entry.time(), actionEn(entry, verified.receiptEvent()), assetEn(entry),
                    policyEn(entry), refusedEn(entry), stored.sequence(),
                    verified.receiptEvent() == null ? "" : "; recorded as a receipt for the counterparty",
                    witnessed == 0 ? "" : "; in %d witnessed head(s)".formatted(witnessed)));
            ja.add("%s：本コネクタは%s%s%s。（記録 %d%s%s）".formatted(entry.time(), actionJa(entry, verified.receiptEvent()), subjectJa(entry),
                    refusedJa(entry), stored.sequence(),
                    verified.receiptEvent() == null ? "" : "、相手方への受領証として記録",
                    witnessed == 0 ? "" : "、立会人が副署したツリーヘッド %d 件に含まれる".formatted(witnessed)));
        }
        for (var verified : content.receipts()) {
            var receipt = verified.receipt();
            var entry = verified.entry();
            en.add("%s: the counterparty %s %s, and signed a receipt of it (entry %d of its log, in its signed tree head of %d entries)."
                    .formatted(entry.time(), receipt.issuer(), receiptEventEn(receipt.event()), receipt.sequence(), receipt.treeSize()));
            ja.add("%s：相手方 %s は%s、その受領証に署名した（相手方のログの記録 %d、%d 件の署名付きツリーヘッドに含まれる）。"
                    .formatted(entry.time(), receipt.issuer(), receiptEventJa(receipt.event()), receipt.sequence(), receipt.treeSize()));
        }
        return new EvidenceSummary(en, ja);
    }

    private static String witnesses(EvidenceBundle.Content content) {
        return content.witnesses().stream().map(EvidenceBundle.VerifiedWitness::witnessKid).distinct().collect(Collectors.joining(", "));
    }

    private static String counterpartyEn(DecisionEntry entry) {
        return entry.counterpartyId() + (entry.counterpartyLegalId() == null ? "" : " (legal id " + entry.counterpartyLegalId() + ")");
    }

    private static String counterpartyJa(DecisionEntry entry) {
        return entry.counterpartyId() + (entry.counterpartyLegalId() == null ? "" : "（法人識別子 " + entry.counterpartyLegalId() + "）");
    }

    private static String actionEn(DecisionEntry entry, String event) {
        var who = counterpartyEn(entry);
        var permit = entry.outcome() == DecisionOutcome.PERMIT;
        if (event != null) {
            return switch (event) {
                case "negotiation.agreed" -> "agreed to the contract with " + who;
                case "negotiation.verified" -> "accepted the agreement of " + who;
                case "negotiation.terminated" -> "terminated the contract negotiation with " + who;
                case "transfer.started" -> "started the data transfer " + entry.transferId() + " to " + who;
                case "transfer.suspended" -> "suspended the data transfer " + entry.transferId() + " with " + who;
                case "transfer.completed" -> "completed the data transfer " + entry.transferId() + " to " + who;
                default -> "terminated the data transfer " + entry.transferId() + " with " + who;
            };
        }
        return switch (entry.scope()) {
            case CATALOG -> (permit ? "offered its catalog to " : "refused its catalog to ") + who;
            case CONTRACT_NEGOTIATION -> (permit ? "permitted the contract request of " : "refused the contract request of ") + who;
            case TRANSFER_PROCESS -> (permit ? "permitted a data transfer to " : "refused a data transfer to ") + who;
            case COMPUTE -> (permit ? "permitted a compute job of " : "refused a compute job of ") + who;
            case COMPUTE_RESULT -> (permit ? "released a compute job's result to " : "refused to release a compute job's result to ") + who;
            case DELETION -> (permit ? "deleted what it had received and derived under the agreement from " : "failed to delete what it had received under the agreement from ") + who;
            case DELETION_RECEIPT -> (permit ? "kept the signed deletion receipt of " : "refused the deletion receipt of ") + who;
            case MODEL_RUN -> (permit ? "permitted a run of the model received from " : "refused a run of the model received from ") + who;
            case MODEL_RUN_REPORT -> (permit ? "kept the signed model-run report of " : "refused the model-run report of ") + who;
        };
    }

    private static String actionJa(DecisionEntry entry, String event) {
        var who = counterpartyJa(entry);
        var permit = entry.outcome() == DecisionOutcome.PERMIT;
        if (event != null) {
            return switch (event) {
                case "negotiation.agreed" -> who + " との契約に合意した";
                case "negotiation.verified" -> who + " の契約の合意内容を承認した";
                case "negotiation.terminated" -> who + " との契約交渉を終了した";
                case "transfer.started" -> who + " へのデータ転送 " + entry.transferId() + " を開始した";
                case "transfer.suspended" -> who + " とのデータ転送 " + entry.transferId() + " を一時停止した";
                case "transfer.completed" -> who + " へのデータ転送 " + entry.transferId() + " を完了した";
                default -> who + " とのデータ転送 " + entry.transferId() + " を終了した";
            };
        }
        return switch (entry.scope()) {
            case CATALOG -> who + (permit ? " にカタログを提示した" : " へのカタログ提示を拒否した");
            case CONTRACT_NEGOTIATION -> who + (permit ? " の契約申込みを許可した" : " の契約申込みを拒否した");
            case TRANSFER_PROCESS -> who + (permit ? " へのデータ転送を許可した" : " へのデータ転送を拒否した");
            case COMPUTE -> who + (permit ? " の計算ジョブを許可した" : " の計算ジョブを拒否した");
            case COMPUTE_RESULT -> who + (permit ? " へ計算結果を開示した" : " への計算結果の開示を拒否した");
            case DELETION -> who + (permit ? " から本契約に基づき受領したデータと派生物を削除した" : " から本契約に基づき受領したデータを削除できなかった");
            case DELETION_RECEIPT -> who + (permit ? " の署名付き削除証明を受領し保管した" : " の削除証明を拒否した");
            case MODEL_RUN -> who + (permit ? " から受領したモデルの実行を許可した" : " から受領したモデルの実行を拒否した");
            case MODEL_RUN_REPORT -> who + (permit ? " の署名付きモデル実行報告を受領し保管した" : " のモデル実行報告を拒否した");
        };
    }

    private static String assetEn(DecisionEntry entry) {
        return entry.assetId() == null ? "" : ", about asset " + entry.assetId();
    }

    private static String subjectJa(DecisionEntry entry) {
        var parts = new ArrayList<String>();
        if (entry.assetId() != null) {
            parts.add("対象資産 " + entry.assetId());
        }
        if (entry.policyId() != null || entry.policyHash() != null) {
            parts.add("ポリシー " + (entry.policyId() == null ? "" : entry.policyId()) + (entry.policyHash() == null ? "" : "（SHA-256 " + entry.policyHash() + "）"));
        }
        return parts.isEmpty() ? "" : "（" + String.join("、", parts) + "）";
    }

    private static String policyEn(DecisionEntry entry) {
        if (entry.policyId() == null && entry.policyHash() == null) {
            return "";
        }
        return ", under policy " + (entry.policyId() == null ? "" : entry.policyId() + " ")
                + (entry.policyHash() == null ? "" : "(SHA-256 " + entry.policyHash() + ")");
    }

    private static String refusedEn(DecisionEntry entry) {
        var refusing = refusing(entry);
        return refusing.isEmpty() ? "" : "; refused by: " + refusing;
    }

    private static String refusedJa(DecisionEntry entry) {
        var refusing = refusing(entry);
        return refusing.isEmpty() ? "" : "。拒否した制約：" + refusing;
    }

    private static String refusing(DecisionEntry entry) {
        if (entry.outcome() != DecisionOutcome.DENY) {
            return "";
        }
        return entry.reasons().stream().filter(reason -> reason.outcome() == DecisionOutcome.DENY).map(ConstraintReason::constraint)
                .collect(Collectors.joining(", "));
    }

    private static String receiptEventEn(String event) {
        return switch (event) {
            case "negotiation.agreed" -> "agreed to the contract";
            case "negotiation.verified" -> "accepted the agreement";
            case "negotiation.terminated" -> "terminated the contract negotiation";
            case "transfer.started" -> "started the data transfer";
            case "transfer.suspended" -> "suspended the data transfer";
            case "transfer.completed" -> "completed the data transfer";
            default -> "terminated the data transfer";
        };
    }

    private static String receiptEventJa(String event) {
        return switch (event) {
            case "negotiation.agreed" -> "契約に合意し";
            case "negotiation.verified" -> "契約の合意内容を承認し";
            case "negotiation.terminated" -> "契約交渉を終了し";
            case "transfer.started" -> "データ転送を開始し";
            case "transfer.suspended" -> "データ転送を一時停止し";
            case "transfer.completed" -> "データ転送を完了し";
            default -> "データ転送を終了し";
        };
    }
}
