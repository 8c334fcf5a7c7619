package io.kakehashi.transfer.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Test content: deterministic pseudo-random files and their SHA-256. */
public final class TestContent {

    private TestContent() {
    }

    public static Path file(Path dir, String name, long size, long seed) throws IOException {
        var file = dir.resolve(name);
        var random = new Random(seed);
        var buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            long remaining = size;
            while (remaining > 0) {
                random.nextBytes(buffer);
                var n = (int) Math.min(buffer.length, remaining);
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
        return file;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
