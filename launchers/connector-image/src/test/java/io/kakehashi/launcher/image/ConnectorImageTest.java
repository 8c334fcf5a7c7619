package io.kakehashi.launcher.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image tar as a container runtime reads it: who runs, where the data goes, what starts, which ports, and a root
 * file system that holds the runtime, the libraries and the launcher jar. In the end-to-end group with the other tests
 * of the built image: the fast loop makes neither the launcher jar nor the image.
 */
@Tag("EndToEndTest")
class ConnectorImageTest {

    static final String DATA_DIRECTORY = "/var/lib/kakehashi";
    static final String USER = "10001:10001";

    private static ImageArchive image;
    private static Map<String, ImageArchive.Entry> files;

    @BeforeAll
    static void openImage() {
        image = ImageArchive.open(ImageFiles.imageTar());
        files = image.files();
    }

    @Test
    void config_whenRead_shouldRunAsNonRootUser() {
        var user = image.containerConfig().path("User").asText();

        assertThat(user).isEqualTo(USER);
        assertThat(user.split(":")[0]).isNotIn("0", "root", "");
        assertThat(files.get("etc/passwd")).isNotNull();
    }

    @Test
    void config_whenRead_shouldMakeDataDirectoryVolumeAndWorkingDirectory() {
        var config = image.containerConfig();

        assertThat(config.path("Volumes").has(DATA_DIRECTORY)).isTrue();
        assertThat(config.path("WorkingDir").asText()).isEqualTo(DATA_DIRECTORY);
        var directory = files.get(DATA_DIRECTORY.substring(1));
        assertThat(directory.directory()).isTrue();
        assertThat(directory.uid()).isEqualTo(10001);
        assertThat(directory.gid()).isEqualTo(10001);
        assertThat(directory.mode()).isEqualTo(0750);
    }

    @Test
    void config_whenRead_shouldStartLauncherJarWithImageRuntime() {
        var entrypoint = new ArrayList<String>();
        image.containerConfig().path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));

        assertThat(entrypoint).first().isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-Dedc.fs.config=/etc/kakehashi/connector.properties");
        assertThat(entrypoint).endsWith("-jar", "/opt/kakehashi/kakehashi-connector.jar");
        assertThat(files.get("opt/java/bin/java").mode() & 0111).isEqualTo(0111);
        assertThat(files.get("opt/kakehashi/kakehashi-connector.jar").size())
                .isEqualTo(ImageFiles.launcherJar().toFile().length());
    }

    @Test
    void config_whenRead_shouldExposeTemplatePortsButControl() {
        var template = ImageFiles.launcherTemplate();
        var expected = new TreeSet<String>();
        template.stringPropertyNames().stream()
                .filter(key -> key.matches(
                        "web\\.http\\.[a-z]+\\.port|web\\.http\\.port|kakehashi\\.transfer\\.grpc\\.port"))
                .filter(key -> !key.equals("web.http.control.port"))
                .forEach(key -> expected.add(template.getProperty(key) + "/tcp"));
        var exposed = new TreeSet<String>();
        image.containerConfig().path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);

        assertThat(expected).hasSize(8);
        assertThat(exposed).isEqualTo(expected);
    }

    @Test
    void rootFileSystem_whenRead_shouldHoldLoaderLibrariesAndWritableTmp() {
        var loader = "amd64".equals(image.architecture()) ? "lib64/ld-linux-x86-64.so.2" : "lib/ld-linux-aarch64.so.1";
        var libraries = "amd64".equals(image.architecture()) ? "lib/x86_64-linux-gnu/" : "lib/aarch64-linux-gnu/";

        assertThat(files).containsKey(loader);
        // the JVM's, DuckDB's and ONNX Runtime's: C, C++ runtime, math, zlib
        assertThat(files).containsKeys(libraries + "libc.so.6", libraries + "libstdc++.so.6", libraries + "libm.so.6",
                libraries + "libgcc_s.so.1", libraries + "libz.so.1");
        assertThat(files.get("tmp").mode()).isEqualTo(01777);
        assertThat(files.get("opt/java/lib/security/cacerts").size()).isGreaterThan(10_000);
        assertThat(files.values()).filteredOn(entry -> entry.uid() != 0)
                .extracting(ImageArchive.Entry::path).containsExactly(DATA_DIRECTORY.substring(1));
    }
}
