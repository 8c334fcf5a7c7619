package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSource;

import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The JSON Lines files a connector serves as real-time record streams: only files inside one configured directory
 * (after resolving {@code ..} and symbolic links), none of them hidden (no path element starting with a dot). A
 * record file is named relative to the directory or by an absolute path inside it. Each transfer's positions are
 * kept in its own file under the state directory. Thread-safe (it holds no mutable state).
 */
public final class RecordFiles {

    /** A record must fit in one gRPC message (4 MiB) with room to spare. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    private final Path directory;
    private final Path stateDirectory;
    private final Duration pollInterval;
    private final boolean watch;
    private final String directorySetting;

    /**
     * @param directory        the directory record files are served from; null when file streams are off
     * @param stateDirectory   where each transfer's positions are kept
     * @param pollInterval     how often a source looks for new lines when it has none
     * @param directorySetting the setting that names the directory, for messages
     */
    public RecordFiles(Path directory, Path stateDirectory, Duration pollInterval, String directorySetting) {
        this(directory, stateDirectory, pollInterval, true, directorySetting);
    }

    /**
     * @param watch whether a source waits for the file system's notifications besides polling (false: only polls)
     */
    public RecordFiles(Path directory, Path stateDirectory, Duration pollInterval, boolean watch, String directorySetting) {
        this.watch = watch;
        this.directory = directory == null ? null : directory.toAbsolutePath().normalize();
        this.stateDirectory = stateDirectory;
        this.pollInterval = pollInterval;
        this.directorySetting = directorySetting;
    }

    /** Where {@code name} points, when it is inside the directory; says nothing about whether the file exists. */
    public Result<Path> resolve(String name) {
        if (directory == null) {
            return Result.failure("this connector serves no record files: %s is not set".formatted(directorySetting));
        }
        if (name == null || name.isBlank()) {
            return Result.failure("the record file is not named");
        }
        Path file;
        try {
            file = directory.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return Result.failure("the record file '%s' is not a valid path".formatted(name));
        }
        if (!file.startsWith(directory) || file.equals(directory)) {
            return Result.failure("the record file '%s' is outside the directory record files are served from (%s)".formatted(name, directorySetting));
        }
        for (var element : directory.relativize(file)) {
            if (element.toString().startsWith(".")) {
                return Result.failure("the record file '%s' is hidden (a path element starts with a dot); hidden files are not served".formatted(name));
            }
        }
        return Result.success(file);
    }

    /** Where {@code name} points, when it is inside the directory and is a readable regular file now. */
    public Result<Path> check(String name) {
        var resolved = resolve(name);
        if (resolved.failed()) {
            return resolved;
        }
        var file = resolved.getContent();
        if (!Files.exists(file)) {
            return Result.failure("the record file '%s' does not exist".formatted(name));
        }
        try {
            var real = file.toRealPath();
            if (!real.startsWith(directory.toRealPath())) {
                return Result.failure("the record file '%s' links outside the directory record files are served from (%s)"
                        .formatted(name, directorySetting));
            }
            if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
                return Result.failure("the record file '%s' is not a readable regular file".formatted(name));
            }
        } catch (IOException e) {
            return Result.failure("the record file '%s' cannot be read: %s".formatted(name, e.getMessage()));
        }
        return Result.success(file);
    }

    /** A source following the file for one transfer, at the transfer's saved position if it has one. */
    public Result<RecordSource> open(String transferId, String name) {
        var checked = check(name);
        if (checked.failed()) {
            return checked.mapFailure();
        }
        var file = checked.getContent();
        JsonLinesFileRecordSource.Opener opener = () -> {
            // checked on every open: a rotation must not bring a link out of the directory
            var real = file.toRealPath();
            if (!real.startsWith(directory.toRealPath())) {
                throw new IOException("the record file '%s' links outside %s".formatted(name, directorySetting));
            }
            return FileChannel.open(real, StandardOpenOption.READ);
        };
        return JsonLinesFileRecordSource.open(file, opener, positions(transferId), MAX_RECORD_BYTES, pollInterval, watch).map(source -> source);
    }

    /** Forgets a transfer's positions (it ended). */
    public void forget(String transferId) throws IOException {
        positions(transferId).delete();
    }

    private RecordFilePositions positions(String transferId) {
        return new RecordFilePositions(stateDirectory.resolve(sha256(transferId) + ".positions"));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
