package io.kakehashi.launcher.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The image's root file system, unpacked as a container runtime would, runs its entrypoint on this host without a
 * container runtime: chroot into it as the image's user, in a mount namespace of its own that has {@code /proc} and
 * {@code /dev} as a runtime provides them, with the image's environment. The connector must start from the image's
 * own Java runtime and libraries alone and answer EDC's health endpoints. Needs root (CI runs as root).
 */
@Tag("EndToEndTest")
class ConnectorImageChrootTest {

    private static final Path WORK = Path.of("target", "image-chroot").toAbsolutePath();
    private static final Path ROOT = WORK.resolve("rootfs");

    private static ImageArchive image;

    @BeforeAll
    static void unpack() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "unpacking the image with its owners and chroot need root");
        for (var tool : List.of("unshare", "chroot", "mount", "tar")) {
            assumeTrue(Tools.find(tool).isPresent(), "no " + tool + " on this machine (util-linux, coreutils, tar)");
        }
        image = ImageArchive.open(ImageFiles.imageTar());
        deleteWork();
        Files.createDirectories(ROOT);
        for (var layer : image.layers()) {
            var tar = new ProcessBuilder(Tools.find("tar").orElseThrow().toString(), "--same-owner", "--numeric-owner",
                    "-xzf", "-", "-C", ROOT.toString())
                    .redirectErrorStream(true).redirectOutput(WORK.resolve("tar.log").toFile()).start();
            try (var in = tar.getOutputStream()) {
                in.write(layer);
            }
            assertThat(tar.waitFor()).as(ImageRun.tail(WORK.resolve("tar.log"))).isZero();
        }
        // a container runtime makes these mount points
        Files.createDirectories(ROOT.resolve("proc"));
        Files.createDirectories(ROOT.resolve("dev"));
    }

    @AfterAll
    static void deleteWork() throws IOException {
        if (Files.exists(ROOT)) {
            try (Stream<Path> paths = Files.walk(ROOT)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void entrypoint_whenRunAsImageUser_shouldAnswerHealthFromImageRuntime() throws Exception {
        var run = new ImageRun("chroot");
        run.writeSettings(ROOT.resolve("etc/kakehashi/connector.properties"));
        var entrypoint = new ArrayList<String>();
        image.containerConfig().path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        var log = WORK.resolve("connector.log");
        var process = chroot(entrypoint, run.environment(), log);
        try {
            var health = run.awaitHealth(process::isAlive);

            assertThat(health).as("no health answer; the connector's log:\n%s", ImageRun.tail(log)).isNotNull();
            assertThat(health.statusCode()).as(ImageRun.tail(log)).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(health.body()).path("isSystemHealthy").asBoolean()).isTrue();
            for (var path : ImageRun.HEALTH_PATHS) {
                assertThat(run.get(path).statusCode()).as(path).isEqualTo(200);
            }
            var java = process.descendants().filter(p -> p.info().command().orElse("").endsWith("/opt/java/bin/java"))
                    .findFirst();
            assertThat(java).isPresent();
            assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(java.get().pid()), "status")))
                    .filteredOn(line -> line.startsWith("Uid:")).singleElement().asString()
                    .matches("Uid:\\s+10001\\s+10001\\s+10001\\s+10001");
            var vault = ROOT.resolve(run.settings().properties().get("kakehashi.vault.path").substring(1));
            assertThat(Files.getAttribute(vault, "unix:uid")).isEqualTo(10001);
        } finally {
            stop(process);
        }
    }

    @Test
    void nativeLibraries_whenLoadedInImage_shouldRunDuckDbAndOnnxRuntime() throws Exception {
        var classFile = NativeLibrariesProbe.class.getName().replace('.', '/') + ".class";
        var probeDirectory = ROOT.resolve("tmp/probe");
        Files.createDirectories(probeDirectory.resolve(classFile).getParent());
        try (var in = NativeLibrariesProbe.class.getClassLoader().getResourceAsStream(classFile)) {
            Files.copy(in, probeDirectory.resolve(classFile));
        }
        var log = WORK.resolve("probe.log");
        var process = chroot(List.of("/opt/java/bin/java", "-Djava.io.tmpdir=/tmp", "-cp",
                        "/opt/kakehashi/kakehashi-connector.jar:/tmp/probe", NativeLibrariesProbe.class.getName()),
                Map.of(), log);
        try {
            assertThat(process.waitFor(ImageRun.START.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(ImageRun.tail(log)).isZero();
            assertThat(Files.readString(log)).contains("duckdb answered 42", "onnxruntime environment true");
        } finally {
            stop(process);
        }
    }

    /**
     * Runs a command in the unpacked image as its user, in a mount namespace of its own with {@code /proc} and
     * {@code /dev}, with the image's environment and then {@code environment}.
     */
    private static Process chroot(List<String> command, Map<String, String> environment, Path log) throws IOException {
        var mount = Tools.find("mount").orElseThrow();
        var full = new ArrayList<>(List.of(Tools.find("unshare").orElseThrow().toString(), "--mount", "--fork",
                "--kill-child=SIGTERM", "/bin/sh", "-c",
                "root=$0; user=$1; shift; "
                        + mount + " -t proc proc \"$root/proc\" && "
                        + mount + " --rbind /dev \"$root/dev\" && "
                        + "exec " + Tools.find("chroot").orElseThrow() + " --userspec=\"$user\" \"$root\" \"$@\"",
                ROOT.toString(), image.containerConfig().path("User").asText()));
        full.addAll(command);
        var builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        image.containerConfig().path("Env").forEach(entry -> {
            var pair = entry.asText().split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        });
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    /** The host's tools, looked up where Debian keeps them. */
    static final class Tools {
        private Tools() {
        }

        static Optional<Path> find(String name) {
            return Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").map(dir -> Path.of(dir, name))
                    .filter(Files::isExecutable).findFirst();
        }
    }
}
