package io.kakehashi.deletion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.edc.spi.EdcException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletion records in a JSON Lines file ({@value #FILE_NAME} in the configured directory), one line per record,
 * forced to disk before {@link #save} returns; read back at start, the last line per role and agreement winning. A
 * torn last line (a crash mid-write) is skipped. The embedded default: one process owns the file, so replicas need the
 * PostgreSQL store. Thread-safe (one writer at a time).
 */
public final class FileDeletionStore implements DeletionStore {

    public static final String FILE_NAME = "deletions.jsonl";

    private final Path file;
    private final ObjectMapper mapper;
    private final Map<String, DeletionRecord> latest = new LinkedHashMap<>();

    public FileDeletionStore(Path directory, ObjectMapper mapper) {
        this.mapper = mapper;
        try {
            Files.createDirectories(directory);
            this.file = directory.resolve(FILE_NAME);
            if (Files.exists(file)) {
                for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    parse(line).ifPresent(record -> latest.put(key(record.role(), record.agreementId()), record));
                }
            }
        } catch (IOException e) {
            throw new EdcException("Deletion records cannot be read from " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void save(DeletionRecord record) {
        var line = toJson(record) + "\n";
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new EdcException("The deletion record of agreement %s cannot be written: %s".formatted(record.agreementId(), e.getMessage()));
        }
        latest.put(key(record.role(), record.agreementId()), record);
    }

    @Override
    public synchronized DeletionRecord keep(DeletionRecord record) {
        var earlier = latest.get(key(record.role(), record.agreementId()));
        if (earlier != null) {
            return earlier;
        }
        save(record);
        return record;
    }

    @Override
    public synchronized Optional<DeletionRecord> find(DeletionRecord.Role role, String agreementId) {
        return Optional.ofNullable(latest.get(key(role, agreementId)));
    }

    @Override
    public synchronized List<DeletionRecord> all() {
        return new ArrayList<>(latest.values());
    }

    private static String key(DeletionRecord.Role role, String agreementId) {
        return role + " " + agreementId;
    }

    private String toJson(DeletionRecord r) {
        ObjectNode node = mapper.createObjectNode();
        node.put("role", r.role().name());
        node.put("agreementId", r.agreementId());
        node.put("protocolAgreementId", r.protocolAgreementId());
        node.put("counterpartyId", r.counterpartyId());
        node.put("assetId", r.assetId());
        node.put("receipt", r.receipt());
        node.put("receiptSha256", r.receiptSha256());
        node.put("deletedAt", r.deletedAt() == null ? null : r.deletedAt().toString());
        node.put("recordedAt", r.recordedAt() == null ? null : r.recordedAt().toString());
        node.put("delivery", r.delivery().name());
        node.put("detail", r.detail());
        return node.toString();
    }

    private Optional<DeletionRecord> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            var n = mapper.readTree(line);
            return Optional.of(new DeletionRecord(DeletionRecord.Role.valueOf(n.path("role").asText()), n.path("agreementId").asText(),
                    text(n.get("protocolAgreementId")), text(n.get("counterpartyId")), text(n.get("assetId")), n.path("receipt").asText(),
                    text(n.get("receiptSha256")), instant(n.get("deletedAt")), instant(n.get("recordedAt")),
                    DeletionRecord.Delivery.valueOf(n.path("delivery").asText()), text(n.get("detail"))));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instant(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }
}
