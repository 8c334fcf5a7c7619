package io.kakehashi.launcher.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The image in podman, as an operator runs it: loaded from the tar, its data on a named volume, the settings file
 * mounted read-only, the secrets in the environment. Skipped, with the reason podman gives, where podman is not
 * installed or cannot run a container on this machine.
 */
@Tag("EndToEndTest")
class ConnectorImagePodmanTest {

    private static final Path WORK = Path.of("target", "image-podman").toAbsolutePath();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String VOLUME = "kakehashi-image-test-" + SUFFIX;
    private static final String CONTAINER = "kakehashi-image-test-" + SUFFIX;

    private static String podman;
    private static String image;

    @BeforeAll
    static void load() throws Exception {
        podman = ConnectorImageChrootTest.Tools.find("podman").map(Path::toString)
                .orElseGet(() -> abort("podman is not installed (Debian package podman)"));
        Files.createDirectories(WORK);
        var loaded = run(List.of(podman, "load", "-i", ImageFiles.imageTar().toString()));
        assertThat(loaded.exit()).as(loaded.output()).isZero();
        image = loaded.output().lines().filter(line -> line.startsWith("Loaded image"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        var probe = new ArrayList<>(List.of(podman));
        probe.addAll(runOptions());
        probe.addAll(List.of("--rm", "--entrypoint", "/opt/java/bin/java", image, "-version"));
        var version = run(probe);
        if (version.exit() != 0) {
            abort("podman cannot run a container on this machine: " + version.output().strip());
        }
    }

    @AfterAll
    static void remove() throws Exception {
        if (podman != null) {
            run(List.of(podman, "rm", "-f", CONTAINER));
            run(List.of(podman, "volume", "rm", "-f", VOLUME));
            if (image != null) {
                run(List.of(podman, "rmi", "-f", image));
            }
        }
    }

    @Test
    void container_whenStartedWithVolumeAndSecrets_shouldAnswerHealth() throws Exception {
        var imageRun = new ImageRun("podman");
        var settingsFile = WORK.resolve("connector.properties");
        imageRun.writeSettings(settingsFile);
        var envFile = WORK.resolve("connector.env");
        Files.writeString(envFile, imageRun.environment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")),
                StandardCharsets.UTF_8);
        var command = new ArrayList<>(List.of(podman));
        command.addAll(runOptions());
        command.addAll(List.of("-d", "--name", CONTAINER, "--env-file", envFile.toString(),
                "-v", VOLUME + ":" + ConnectorImageTest.DATA_DIRECTORY,
                "-v", settingsFile + ":/etc/kakehashi/connector.properties:ro", image));
        var started = run(command);
        assertThat(started.exit()).as(started.output()).isZero();

        var health = imageRun.awaitHealth(() -> running());

        assertThat(health).as("no health answer; the container's log:\n%s", logs()).isNotNull();
        assertThat(health.statusCode()).as(logs()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(health.body()).path("isSystemHealthy").asBoolean()).isTrue();
        for (var path : ImageRun.HEALTH_PATHS) {
            assertThat(imageRun.get(path).statusCode()).as(path).isEqualTo(200);
        }
        var user = run(List.of(podman, "top", CONTAINER, "huser"));
        assertThat(user.output().lines().skip(1).toList()).isNotEmpty().allMatch(line -> line.strip().equals("10001"));
        var javaProperties = run(List.of(podman, "exec", CONTAINER, "/opt/java/bin/java",
                "-XshowSettings:properties", "-version"));
        assertThat(javaProperties.output()).contains("user.name = kakehashi");
    }

    /**
     * The host network (the test reaches the container on loopback through free ports), the open-files and process
     * limits below the host's (podman's defaults lie above what a sandbox without CAP_SYS_RESOURCE may set), and runc
     * where it is installed (crun refuses hosts whose cgroups are mounted in hybrid mode).
     */
    private static List<String> runOptions() {
        var options = new ArrayList<String>();
        if (ConnectorImageChrootTest.Tools.find("runc").isPresent()) {
            options.addAll(List.of("--runtime", "runc"));
        }
        options.addAll(List.of("run", "--network", "host", "--ulimit", "nofile=16384:16384",
                "--ulimit", "nproc=16384:16384"));
        return options;
    }

    private static boolean running() {
        try {
            var state = run(List.of(podman, "inspect", "-f", "{{.State.Running}}", CONTAINER));
            return state.exit() == 0 && state.output().strip().equals("true");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String logs() {
        try {
            var logs = run(List.of(podman, "logs", "--tail", "40", CONTAINER));
            return logs.output();
        } catch (IOException | InterruptedException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        var output = Files.createTempFile(WORK, "podman", ".log");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        var text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        return new Result(process.exitValue(), text);
    }
}
