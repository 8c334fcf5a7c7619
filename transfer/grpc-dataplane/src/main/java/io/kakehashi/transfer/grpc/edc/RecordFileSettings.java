package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.runtime.metamodel.annotation.Settings;
import org.eclipse.edc.spi.EdcException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files the data plane serves and keeps: JSON Lines record files offered as real-time streams, their positions,
 * and the consent-narrowed copies of bulk sources. Read once at start by {@link GrpcTransferServerExtension}; a bad
 * value fails the start naming its key. Immutable.
 */
@Settings
public record RecordFileSettings(
        @Setting(key = RecordFileSettings.STREAM_DIRECTORY, required = false,
                description = "Directory whose JSON Lines files assets may name as real-time record files (recordFile); unset: no record files are served")
        String streamDirectory,
        @Setting(key = RecordFileSettings.STREAM_STATE_DIRECTORY, defaultValue = "kakehashi-data/record-streams",
                description = "Where each record-file transfer's positions are kept, so its numbering survives a restart")
        String streamStateDirectory,
        @Setting(key = RecordFileSettings.NARROWED_DIRECTORY, defaultValue = "kakehashi-data/narrowed-sources",
                description = "Where a bulk transfer of an asset that holds personal data keeps its source narrowed to the consented records, until it ends")
        String narrowedDirectory,
        @Setting(key = RecordFileSettings.STREAM_FILE_POLL, defaultValue = "PT0.01S",
                description = "How often a record-file stream that has read everything looks for new lines (ISO-8601 duration)")
        String streamFilePoll,
        @Setting(key = RecordFileSettings.STREAM_FILE_WATCH, defaultValue = "true",
                description = "Whether a record-file stream is woken by the file system's change notifications besides polling; false on file systems whose notifications miss writes (network file systems)")
        boolean streamFileWatch) {

    public static final String STREAM_DIRECTORY = "kakehashi.transfer.stream.directory";
    public static final String STREAM_STATE_DIRECTORY = "kakehashi.transfer.stream.state-directory";
    public static final String STREAM_FILE_POLL = "kakehashi.transfer.stream.file-poll";
    public static final String NARROWED_DIRECTORY = "kakehashi.transfer.narrowed-directory";
    public static final String STREAM_FILE_WATCH = "kakehashi.transfer.stream.file-watch";

    /** The record files these settings serve; an exception that names the key when the directory does not exist. */
    public RecordFiles recordFiles() {
        Path directory = null;
        if (streamDirectory != null && !streamDirectory.isBlank()) {
            directory = Path.of(streamDirectory);
            if (!Files.isDirectory(directory)) {
                throw new EdcException("%s must name an existing directory, was %s".formatted(STREAM_DIRECTORY, streamDirectory));
            }
        }
        return new RecordFiles(directory, Path.of(streamStateDirectory),
                SettingValues.require(SettingValues.positiveDuration(STREAM_FILE_POLL, streamFilePoll)), streamFileWatch, STREAM_DIRECTORY);
    }

    /** Where consent-narrowed bulk sources are kept. */
    public Path narrowedSources() {
        return Path.of(narrowedDirectory);
    }
}
