package io.kakehashi.ai.models;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.ml.TrainingJobRunner;
import io.kakehashi.ai.spi.Sha256;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The holder's connector's store of vendors' models received for inference only. Each model lives in a directory of
 * its own under the store ({@code <sha256 of the local agreement id>/model.onnx} and {@code model.json}), readable by
 * the connector's user only (0700 / 0600 where the file system has POSIX permissions). Nothing outside this module
 * reads the weights: no API returns them ({@link #weights} is for the runner), and an asset or transfer that names a
 * file under the store is refused ({@link #holds}). One model per agreement; a second one under the same agreement is
 * refused. Thread-safe.
 */
public final class SealedModelStore {

    static final String MODEL = "model.onnx";
    static final String METADATA = "model.json";

    private final Path directory;
    private final ObjectMapper mapper;

    public SealedModelStore(Path directory, ObjectMapper mapper) {
        this.directory = directory.toAbsolutePath().normalize();
        this.mapper = mapper;
        try {
            createPrivateDirectory(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("the sealed model store %s cannot be created".formatted(this.directory), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Whether {@code path} names something inside the store (a model's weights or its run ledger). */
    public boolean holds(Path path) {
        if (path.toAbsolutePath().normalize().startsWith(directory)) {
            return true;
        }
        try {
            // a link elsewhere that leads into the store is the store too
            return Files.exists(path) && path.toRealPath().startsWith(directory.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Seals a received model under its agreement: records its digest and metadata, moving it into place when it
     * arrived elsewhere. A file that is not an ONNX model is refused (and deleted).
     */
    public synchronized Result<SealedModel> seal(ContractAgreement agreement, String vendorAddress, Path received, Instant now) {
        try {
            var bytes = Files.readAllBytes(received);
            OnnxMl.ModelProto proto;
            try {
                proto = OnnxMl.ModelProto.parseFrom(bytes);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                Files.deleteIfExists(received);
                return Result.failure("what was received under agreement %s is not an ONNX model".formatted(agreement.getId()));
            }
            var home = home(agreement.getId());
            if (Files.exists(home.resolve(METADATA))) {
                Files.deleteIfExists(received);
                return Result.failure("a model was received under agreement %s already".formatted(agreement.getId()));
            }
            createPrivateDirectory(home);
            var model = new SealedModel(agreement.getId(), agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId(),
                    agreement.getProviderId(), vendorAddress, agreement.getAssetId(), Sha256.hex(bytes), bytes.length, now,
                    metadata(proto, TrainingJobRunner.FEATURES_METADATA), metadata(proto, TrainingJobRunner.LABELS_METADATA));
            var target = home.resolve(MODEL);
            if (!received.toAbsolutePath().normalize().equals(target)) {
                try {
                    Files.move(received, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.write(target, bytes);
                    Files.delete(received);
                }
            }
            restrict(target);
            var metadata = home.resolve(METADATA);
            Files.write(metadata, mapper.writeValueAsBytes(model), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            restrict(metadata);
            return Result.success(model);
        } catch (IOException e) {
            return Result.failure("the model of agreement %s cannot be sealed: %s".formatted(agreement.getId(), e.getClass().getSimpleName()));
        }
    }

    /**
     * Where the model of an agreement is written when it arrives, and stays: the gRPC data plane writes the transfer
     * beside it and moves it into place when its size and SHA-256 match; {@link #seal} then records it.
     */
    public Path modelFile(String localAgreementId) throws IOException {
        var home = home(localAgreementId);
        createPrivateDirectory(home);
        return home.resolve(MODEL);
    }

    /** Whether the sealed weights are still there (a deletion at the agreement's deadline removes them). */
    public boolean held(SealedModel model) {
        return Files.isRegularFile(home(model.localAgreementId()).resolve(MODEL));
    }

    /** The model received under the agreement with this connector's id {@code localAgreementId}. */
    public Optional<SealedModel> find(String localAgreementId) {
        var metadata = home(localAgreementId).resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(metadata.toFile(), SealedModel.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the sealed model's metadata %s cannot be read".formatted(metadata), e);
        }
    }

    public List<SealedModel> list() {
        var models = new ArrayList<SealedModel>();
        try (Stream<Path> homes = Files.list(directory)) {
            homes.filter(home -> Files.isRegularFile(home.resolve(METADATA))).forEach(home -> {
                try {
                    models.add(mapper.readValue(home.resolve(METADATA).toFile(), SealedModel.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the sealed model store cannot be listed", e);
        }
        return models;
    }

    /** The weights, for the runner inside the connector only; checked against the digest they were sealed with. */
    byte[] weights(SealedModel model) {
        try {
            var bytes = Files.readAllBytes(home(model.localAgreementId()).resolve(MODEL));
            if (!Sha256.hex(bytes).equals(model.sha256())) {
                throw new IllegalStateException("the sealed model of agreement %s no longer has its digest".formatted(model.localAgreementId()));
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("the sealed model of agreement %s cannot be read".formatted(model.localAgreementId()), e);
        }
    }

    /** Where the model of an agreement lives; the name is a digest, so no agreement id can point outside the store. */
    Path home(String localAgreementId) {
        return directory.resolve(Sha256.hex(localAgreementId));
    }

    private static List<String> metadata(OnnxMl.ModelProto proto, String key) {
        return proto.getMetadataPropsList().stream().filter(entry -> entry.getKey().equals(key)).findFirst()
                .map(entry -> Arrays.stream(entry.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    static void createPrivateDirectory(Path path) throws IOException {
        Files.createDirectories(path);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions (Windows): the directory keeps its platform default
        }
    }

    static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // as above
        }
    }
}
