package io.kakehashi.launcher.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the build put the image and where the launcher's files are, from the module's surefire settings. */
final class ImageFiles {

    private ImageFiles() {
    }

    static Path imageTar() {
        return Path.of(System.getProperty("kakehashi.image.tar", "target/kakehashi-connector-image.tar"))
                .toAbsolutePath();
    }

    static Path launcherJar() {
        return Path.of(System.getProperty("kakehashi.launcher.jar", "../connector/target/kakehashi-connector.jar"))
                .toAbsolutePath();
    }

    static Path kubernetesDirectory() {
        return Path.of("kubernetes").toAbsolutePath();
    }

    static Properties launcherTemplate() {
        var properties = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("../connector/config/connector.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
