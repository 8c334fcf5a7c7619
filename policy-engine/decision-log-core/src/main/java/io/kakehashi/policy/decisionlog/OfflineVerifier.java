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
 * </pre>
 * Exit code 0 when the chain (and every checkpoint) is intact, 1 with the position and reason of the first broken
 * link, 2 when the arguments or files cannot be used. Files are only read. Not meant to be shared between threads.
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
        for (int i = 0; i < args.length; i++) {
            var value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--log" -> log = path(value);
                case "--checkpoints" -> checkpointsFile = path(value);
                case "--public-key" -> keyFile = path(value);
                default -> {
                    return usage(err, "unknown argument " + args[i]);
                }
            }
            i++;
        }
        if (log == null) {
            return usage(err, "--log is required");
        }
        if (checkpointsFile != null && keyFile == null) {
            return usage(err, "--checkpoints needs --public-key");
        }
        try (var source = FileDecisionLogStore.openReadOnly(log)) {
            if (source.tornBytes() > 0) {
                err.println("note: " + log + " ends in an incomplete line of " + source.tornBytes() + " bytes (an interrupted write); it is not verified");
            }
            VerificationResult result;
            if (checkpointsFile != null) {
                var key = publicKey(keyFile);
                List<Checkpoint> checkpoints = FileCheckpointStore.readFile(checkpointsFile);
                result = ChainVerifier.verify(source, checkpoints, key);
            } else {
                result = ChainVerifier.verify(source);
            }
            out.println(result);
            return result.intact() ? INTACT : BROKEN;
        } catch (IOException | RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return UNUSABLE;
        }
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
        err.println("usage: OfflineVerifier --log <entries.jsonl> [--checkpoints <checkpoints.jsonl> --public-key <jwk.json>]");
        return UNUSABLE;
    }
}
