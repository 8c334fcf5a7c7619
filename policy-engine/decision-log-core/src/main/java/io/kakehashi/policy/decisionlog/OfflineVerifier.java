package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

/**
 * Verifies an exported decision log (or a copy of the file store's files) with no connector running:
 * <pre>
 *   java -cp &lt;classpath&gt; io.kakehashi.policy.decisionlog.OfflineVerifier \
 *       --log decisions.jsonl [--checkpoints checkpoints.jsonl --public-key connector-key.jwk.json]
 *   java -cp &lt;classpath&gt; io.kakehashi.policy.decisionlog.OfflineVerifier \
 *       --log decisions.jsonl --checkpoints checkpoints.jsonl --keys checkpoint-keys.jsonl [--public-key first-key.jwk.json]
 *       [--witnessed witnessed-heads.jsonl] [--receipts receipts.jsonl]
 *   java -cp &lt;classpath&gt; io.kakehashi.policy.decisionlog.OfflineVerifier \
 *       --bundle evidence-bundle.json [--public-key first-key.jwk.json]
 * </pre>
 * With {@code --bundle} (an agreement's evidence bundle, {@link EvidenceBundle}) everything in it is checked and, only
 * then, its plain-words summary printed in English and Japanese; a bundle that fails any check is refused (exit 1) with
 * what failed.
 * With {@code --keys} (the log's key history) each checkpoint is verified with the key it names; {@code --public-key}
 * is then the key the auditor trusts as the history's first one, and every later key must have been handed over by
 * the key before it or is named in a note as one to check against the connector's published identity.
 * Exit code 0 when the chain (and every checkpoint) is intact, 1 with the position and reason of the first broken
 * link, 2 when the arguments or files cannot be used. With {@code --witnessed} (witness records, from any witness's
 * auditor API {@code /v1/export/witnessed-heads} or this connector's own), every tree head in it that a key of the
 * history signed must be one the log extends, and no two of them may differ at one size ({@link WitnessedHeadVerifier}):
 * a log rewritten and re-signed with the operator's own key is caught from one witnessed head. With {@code --receipts}
 * (a counterparty's {@code /v1/export/receipts}: receipts this log's connector sent it, docs/decisions/0039) every
 * receipt is checked again with the key it was kept with, and the signed tree head it carries is checked the same
 * way: a log that no longer holds an entry it gave a receipt of is caught. Files are only read. Not meant to be shared between threads.
 */
public final class OfflineVerifier {

    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int UNUSABLE = 2;

    private OfflineVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path log = null;
        Path checkpointsFile = null;
        Path keyFile = null;
        Path keysFile = null;
        Path witnessedFile = null;
        Path receiptsFile = null;
        Path bundleFile = null;
        for (int i = 0; i < args.length; i++) {
            var value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--log" -> log = path(value);
                case "--checkpoints" -> checkpointsFile = path(value);
                case "--public-key" -> keyFile = path(value);
                case "--keys" -> keysFile = path(value);
                case "--witnessed" -> witnessedFile = path(value);
                case "--receipts" -> receiptsFile = path(value);
                case "--bundle" -> bundleFile = path(value);
                default -> {
                    return usage(err, "unknown argument " + args[i]);
                }
            }
            i++;
        }
        if (bundleFile != null) {
            if (log != null || checkpointsFile != null || keysFile != null || witnessedFile != null || receiptsFile != null) {
                return usage(err, "--bundle is checked on its own (with --public-key at most)");
            }
            return verifyBundle(bundleFile, keyFile, out, err);
        }
        if (log == null) {
            return usage(err, "--log is required");
        }
        if (checkpointsFile != null && keyFile == null && keysFile == null) {
            return usage(err, "--checkpoints needs --public-key or --keys");
        }
        if (keysFile != null && checkpointsFile == null) {
            return usage(err, "--keys needs --checkpoints");
        }
        if ((witnessedFile != null || receiptsFile != null) && keysFile == null) {
            return usage(err, "--witnessed and --receipts need --checkpoints and --keys");
        }
        try (var source = FileDecisionLogStore.openReadOnly(log)) {
            if (source.tornBytes() > 0) {
                err.println("note: " + log + " ends in an incomplete line of " + source.tornBytes() + " bytes (an interrupted write); it is not verified");
            }
            VerificationResult result;
            if (keysFile != null) {
                var keys = FileCheckpointStore.readKeyFile(keysFile);
                var history = CheckpointKeyHistory.read(keys);
                if (keyFile != null) {
                    var trusted = publicKey(keyFile);
                    if (history.isEmpty() || history.get(0).publicKey() == null
                            || !history.get(0).publicKey().computeThumbprint().equals(trusted.computeThumbprint())) {
                        out.println("untrusted key history: its first key is not the key given with --public-key");
                        return BROKEN;
                    }
                }
                history.stream().filter(entry -> entry.status() == CheckpointKeyHistory.Status.UNENDORSED).forEach(entry -> err.println(
                        "note: key '" + entry.record().kid() + "' was taken without a hand-over from the key before it; check it against the connector's published identity"));
                result = ChainVerifier.verifyWithHistory(source, FileCheckpointStore.readFile(checkpointsFile), keys);
                if (result.intact() && (witnessedFile != null || receiptsFile != null)) {
                    var evidence = new java.util.ArrayList<io.kakehashi.policy.decisionlog.spi.WitnessRecord>();
                    if (witnessedFile != null) {
                        evidence.addAll(FileWitnessStore.readFile(witnessedFile));
                    }
                    var receipts = receiptsFile == null ? List.<io.kakehashi.policy.decisionlog.spi.Receipt>of() : FileReceiptStore.readFile(receiptsFile);
                    receipts.forEach(receipt -> evidence.add(Receipts.asEvidence(receipt)));
                    var witnessed = WitnessedHeadVerifier.verify(source, evidence, keys);
                    if (witnessed.ignored() > 0) {
                        err.println("note: " + witnessed.ignored() + " tree heads given are not signed by a key of this log's history; they were not used");
                    }
                    if (!witnessed.result().intact()) {
                        out.println(witnessed.result());
                        return BROKEN;
                    }
                    out.println(result + ", " + witnessed.headsChecked() + " witnessed heads (" + witnessed.cosigned() + " countersigned)"
                            + (receiptsFile == null ? "" : ", " + receipts.size() + " receipts"));
                    return INTACT;
                }
            } else if (checkpointsFile != null) {
                var key = publicKey(keyFile);
                List<Checkpoint> checkpoints = FileCheckpointStore.readFile(checkpointsFile);
                result = ChainVerifier.verify(source, checkpoints, key);
            } else {
                result = ChainVerifier.verify(source);
            }
            out.println(result);
            return result.intact() ? INTACT : BROKEN;
        } catch (IOException | com.nimbusds.jose.JOSEException | RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return UNUSABLE;
        }
    }

    /**
     * Checks an evidence bundle ({@link EvidenceBundle}) in full and prints its plain-words summary, English then
     * Japanese, only when everything in it verified.
     */
    private static int verifyBundle(Path bundleFile, Path keyFile, PrintStream out, PrintStream err) {
        String json;
        java.util.Optional<ECKey> trusted;
        try {
            json = Files.readString(bundleFile, StandardCharsets.UTF_8);
            trusted = keyFile == null ? java.util.Optional.empty() : java.util.Optional.of(publicKey(keyFile));
        } catch (IOException | RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return UNUSABLE;
        }
        var verification = EvidenceBundle.verify(json, trusted);
        if (!verification.intact()) {
            out.println("evidence bundle refused: " + verification.problem());
            return BROKEN;
        }
        verification.notes().forEach(note -> err.println("note: " + note));
        var content = verification.content();
        out.println("intact: evidence bundle of agreement %s: %d entries, signed tree head of %d entries, %d witnessed heads, %d receipts"
                .formatted(content.agreementId(), content.entries().size(), content.head().sequence(), content.witnesses().size(), content.receipts().size()));
        out.println();
        verification.summary().english().forEach(out::println);
        out.println();
        verification.summary().japanese().forEach(out::println);
        return INTACT;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    private static ECKey publicKey(Path file) throws IOException {
        try {
            var jwk = JWK.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(jwk instanceof ECKey ec)) {
                throw new IllegalArgumentException(file + " is not an EC JWK");
            }
            return ec.toPublicJWK();
        } catch (ParseException e) {
            throw new IllegalArgumentException(file + " is not a JWK: " + e.getMessage(), e);
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println("usage: OfflineVerifier --bundle <evidence-bundle.json> [--public-key <first-key.jwk.json>]");
        err.println("   or: OfflineVerifier --log <entries.jsonl> [--checkpoints <checkpoints.jsonl> (--public-key <jwk.json> | --keys <checkpoint-keys.jsonl> [--public-key <first-key.jwk.json>] [--witnessed <witnessed-heads.jsonl>] [--receipts <receipts.jsonl>])]");
        return UNUSABLE;
    }
}
