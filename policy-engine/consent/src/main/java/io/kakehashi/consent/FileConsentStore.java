package io.kakehashi.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.edc.spi.EdcException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: consents, deliveries and withdrawal notices in a JSON Lines file ({@value #FILE_NAME} in the configured
 * directory), one line per saved consent, delivery or notice, forced to disk before the call returns, read back at start (the
 * last line of a consent's id wins). A torn last line (a crash mid-write) is skipped. Thread-safe (one writer at a time).
 */
public final class FileConsentStore implements ConsentStore {

    public static final String FILE_NAME = "consents.jsonl";

    private final Path file;
    private final ObjectMapper mapper;
    private final Map<String, Consent> consents = new LinkedHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, Notice> notices = new LinkedHashMap<>();

    public FileConsentStore(Path directory, ObjectMapper mapper) {
        this.mapper = mapper;
        try {
            Files.createDirectories(directory);
            this.file = directory.resolve(FILE_NAME);
            if (Files.exists(file)) {
                for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    read(line);
                }
            }
        } catch (IOException e) {
            throw new EdcException("Consents cannot be read from " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void save(Consent consent) {
        append(consentJson(consent), "consent " + consent.id());
        consents.put(consent.id(), consent);
    }

    @Override
    public synchronized Optional<Consent> find(String id) {
        return Optional.ofNullable(consents.get(id));
    }

    @Override
    public synchronized List<Consent> findBySubject(String subjectId) {
        return consents.values().stream().filter(c -> c.subjectId().equals(subjectId)).sorted(Comparator.comparing(Consent::grantedAt)).toList();
    }

    @Override
    public synchronized List<Consent> findByAsset(String assetId) {
        return consents.values().stream().filter(c -> c.concerns(assetId)).sorted(Comparator.comparing(Consent::grantedAt)).toList();
    }

    @Override
    public synchronized void delivered(Delivery delivery) {
        append(deliveryJson(delivery), "delivery " + delivery.useId());
        deliveries.add(delivery);
    }

    @Override
    public synchronized List<Delivery> deliveriesOf(String subjectId) {
        return deliveries.stream().filter(d -> d.subjects().contains(subjectId)).toList();
    }

    @Override
    public synchronized void noticed(Notice notice) {
        append(noticeJson(notice), "notice of consent " + notice.consentId());
        notices.put(notice.consentId() + " " + notice.agreementId(), notice);
    }

    @Override
    public synchronized List<Notice> notices(String consentId) {
        return notices.values().stream().filter(n -> n.consentId().equals(consentId)).toList();
    }

    @Override
    public synchronized List<Notice> pendingNotices() {
        return notices.values().stream().filter(n -> n.state() == Notice.State.PENDING).sorted(Comparator.comparing(Notice::at)).toList();
    }

    private void append(ObjectNode node, String what) {
        var line = node + "\n";
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new EdcException("The %s cannot be written: %s".formatted(what, e.getMessage()));
        }
    }

    private ObjectNode consentJson(Consent c) {
        var node = mapper.createObjectNode().put("type", "consent").put("id", c.id()).put("subjectId", c.subjectId()).put("assetId", c.assetId());
        var purposes = node.putArray("purposes");
        c.purposes().forEach(purposes::add);
        return node.put("recipient", c.recipient()).put("grantedAt", text(c.grantedAt())).put("expiresAt", text(c.expiresAt()))
                .put("withdrawnAt", text(c.withdrawnAt()));
    }

    private ObjectNode deliveryJson(Delivery d) {
        var node = mapper.createObjectNode().put("type", "delivery").put("agreementId", d.agreementId()).put("consumerId", d.consumerId())
                .put("assetId", d.assetId()).put("useId", d.useId()).put("kind", d.kind()).put("at", d.at().toString());
        var subjects = node.putArray("subjects");
        d.subjects().stream().sorted().forEach(subjects::add);
        return node;
    }

    private ObjectNode noticeJson(Notice n) {
        return mapper.createObjectNode().put("type", "notice").put("consentId", n.consentId()).put("agreementId", n.agreementId())
                .put("consumerId", n.consumerId()).put("state", n.state().name()).put("detail", n.detail()).put("receipt", n.receipt())
                .put("at", n.at().toString());
    }

    private void read(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            var n = mapper.readTree(line);
            if ("consent".equals(n.path("type").asText())) {
                var purposes = new ArrayList<String>();
                n.path("purposes").forEach(p -> purposes.add(p.asText()));
                var consent = new Consent(n.path("id").asText(), n.path("subjectId").asText(), optional(n.get("assetId")), purposes,
                        n.path("recipient").asText(), instant(n.get("grantedAt")), instant(n.get("expiresAt")), instant(n.get("withdrawnAt")));
                consents.put(consent.id(), consent);
            } else if ("delivery".equals(n.path("type").asText())) {
                var subjects = new LinkedHashSet<String>();
                n.path("subjects").forEach(s -> subjects.add(s.asText()));
                deliveries.add(new Delivery(n.path("agreementId").asText(), optional(n.get("consumerId")), optional(n.get("assetId")),
                        n.path("useId").asText(), n.path("kind").asText(), subjects, instant(n.get("at"))));
            } else if ("notice".equals(n.path("type").asText())) {
                var notice = new Notice(n.path("consentId").asText(), n.path("agreementId").asText(), optional(n.get("consumerId")),
                        Notice.State.valueOf(n.path("state").asText()), optional(n.get("detail")), optional(n.get("receipt")), instant(n.get("at")));
                notices.put(notice.consentId() + " " + notice.agreementId(), notice);
            }
        } catch (IOException | RuntimeException e) {
            // a torn last line: what it would have said was not acknowledged to anyone
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String optional(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }
}
