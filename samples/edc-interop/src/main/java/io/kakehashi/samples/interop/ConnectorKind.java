package io.kakehashi.samples.interop;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The connectors this module runs, each as its own JVM, and the class path each one runs on.
 * <ul>
 *     <li>{@link #KAKEHASHI}: the production launcher jar as built, with its DCP identity (did:web and credentials).</li>
 *     <li>{@link #STOCK_EDC}: EDC 0.15.1 as published on Maven Central (control-plane and data-plane base BOMs,
 *     {@code iam-mock}), unmodified; only configured. The benchmarks' stock pair, which talks only to itself; with
 *     Kakehashi, stock EDC runs as a DCP participant ({@link io.kakehashi.samples.interop.dcp.StockDcpParticipant}).</li>
 * </ul>
 * The build writes the stock class path to a file and names it in the system property
 * {@value #STOCK_EDC_CLASSPATH_PROPERTY}.
 * <p>
 * Thread-safe.
 */
public enum ConnectorKind {

    KAKEHASHI("Kakehashi (launcher jar, DCP identity)"),
    STOCK_EDC("stock EDC 0.15.1 (Maven Central base BOMs + iam-mock)");

    public static final String STOCK_EDC_CLASSPATH_PROPERTY = "kakehashi.interop.stock-edc.classpath";
    /** The stock runtime's test harness: the extension that keeps it on loopback, and its registration. */
    public static final String STOCK_EDC_HARNESS_PROPERTY = "kakehashi.interop.stock-edc.harness";

    private final String description;

    ConnectorKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The jars this kind of connector runs on. */
    public List<Path> classPath() {
        return switch (this) {
            case KAKEHASHI -> List.of(ConnectorProcess.launcherJar());
            case STOCK_EDC -> {
                var entries = new ArrayList<Path>(classPathFile(STOCK_EDC_CLASSPATH_PROPERTY));
                entries.addAll(pathList(STOCK_EDC_HARNESS_PROPERTY, System.getProperty(STOCK_EDC_HARNESS_PROPERTY)));
                yield List.copyOf(entries);
            }
        };
    }

    /**
     * Starts a connector of this kind and waits until it is ready.
     */
    public ConnectorProcess start(ConnectorSettings settings, Duration timeout) {
        if (this == STOCK_EDC) {
            settings.withoutKakehashiContexts();
        }
        return ConnectorProcess.start(classPath(), settings, timeout);
    }

    private static List<Path> pathList(String source, String paths) {
        if (paths == null) {
            throw new IllegalStateException("%s is not set: run through Maven (see samples/edc-interop/README.md)".formatted(source));
        }
        var entries = Arrays.stream(paths.trim().split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
        if (entries.isEmpty()) {
            throw new IllegalStateException("%s names no class path entry".formatted(source));
        }
        return entries;
    }

    private static List<Path> classPathFile(String property) {
        var file = System.getProperty(property);
        if (file == null) {
            throw new IllegalStateException("system property '%s' is not set: run through Maven (see samples/edc-interop/README.md)".formatted(property));
        }
        try {
            return pathList(file + " (" + property + ")", Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("class path file %s (%s) cannot be read; build the module first".formatted(file, property), e);
        }
    }
}
