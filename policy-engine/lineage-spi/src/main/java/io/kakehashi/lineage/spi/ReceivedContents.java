package io.kakehashi.lineage.spi;

import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a completed consumer transfer process left what it received. The default reads the local file a
 * Kakehashi transfer names in its private property {@value #DESTINATION_PATH} (the gRPC data plane's bulk receiver and
 * record sink write there); an extension whose transfers leave content elsewhere (the compute results of remote
 * jobs, the models of federated rounds) adds a {@link Locator}. The first locator that answers wins. Provided as a
 * service by the lineage extension; an extension injects it optionally and registers its locator. Thread-safe.
 */
public final class ReceivedContents {

    /** The gRPC data plane's private property naming the consumer's local destination file. */
    public static final String DESTINATION_PATH = "https://w3id.org/kakehashi/transfer/destinationPath";

    /** Finds what one kind of transfer received. */
    @FunctionalInterface
    public interface Locator {
        Optional<Received> locate(TransferProcess process);
    }

    /**
     * @param kind what it is
     * @param file where it is
     */
    public record Received(LineageKind kind, Path file) {
    }

    private final List<Locator> locators = new CopyOnWriteArrayList<>();

    /** Adds a locator, asked before the default. */
    public void register(Locator locator) {
        locators.add(locator);
    }

    public Optional<Received> locate(TransferProcess process) {
        for (var locator : locators) {
            var found = locator.locate(process);
            if (found.isPresent()) {
                return found;
            }
        }
        var path = process.getPrivateProperties() == null ? null : process.getPrivateProperties().get(DESTINATION_PATH);
        return path instanceof String text && !text.isBlank()
                ? Optional.of(new Received(LineageKind.FILE, Path.of(text).toAbsolutePath().normalize()))
                : Optional.empty();
    }
}
