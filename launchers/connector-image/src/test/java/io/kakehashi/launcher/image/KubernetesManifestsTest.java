package io.kakehashi.launcher.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under {@code kubernetes/}: valid YAML, and every port, path, setting and file they name is
 * one the launcher and the image really use; secrets come from Secrets only.
 */
class KubernetesManifestsTest {

    private static final Set<String> SECRET_VARIABLES = Set.of("KAKEHASHI_VAULT_PASSWORD",
            "KAKEHASHI_TLS_KEYSTORE_PASSWORD", "WEB_HTTP_MANAGEMENT_AUTH_KEY", "WEB_HTTP_AUDITOR_AUTH_KEY",
            "WEB_HTTP_METRICS_AUTH_KEY", "EDC_DATASOURCE_DEFAULT_PASSWORD");

    private static final List<Map<String, Object>> DOCUMENTS = new ArrayList<>();
    private static Properties settings;
    private static Map<String, Object> pod;
    private static Map<String, Object> container;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(ImageFiles.kubernetesDirectory())) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (var file : files) {
            for (var document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                DOCUMENTS.add((Map<String, Object>) document);
            }
        }
        settings = new Properties();
        settings.load(new StringReader((String) map(the("ConfigMap"), "data").get("connector.properties")));
        pod = map(map(the("StatefulSet"), "spec"), "template", "spec");
        container = list(pod, "containers").get(0);
    }

    @Test
    void manifests_whenParsed_shouldEachNameKindAndVersion() {
        assertThat(DOCUMENTS).extracting(d -> d.get("kind"))
                .containsExactlyInAnyOrder("ConfigMap", "Service", "Service", "StatefulSet");
        assertThat(DOCUMENTS).allSatisfy(d -> {
            assertThat(d.get("apiVersion")).isNotNull();
            assertThat(map(d, "metadata").get("name")).isNotNull();
        });
    }

    @Test
    void settings_whenRead_shouldBeKeysOfLauncherTemplateWithItsPorts() throws IOException {
        var template = Files.readString(Path.of("../connector/config/connector.properties"));
        var known = new TreeSet<String>();
        var key = Pattern.compile("(?m)^#?([a-z][a-zA-Z0-9.-]+)=");
        key.matcher(template).results().forEach(m -> known.add(m.group(1)));
        var launcherTemplate = ImageFiles.launcherTemplate();

        assertThat(known).containsAll(settings.stringPropertyNames());
        settings.stringPropertyNames().stream().filter(k -> k.endsWith(".port") || k.endsWith(".path"))
                .forEach(k -> assertThat(settings.getProperty(k)).as(k).isEqualTo(launcherTemplate.getProperty(k)));
        assertThat(settings.stringPropertyNames()).noneMatch(k -> k.contains("password") || k.endsWith("auth.key"));
        assertThat(settings.getProperty("edc.datasource.default.url")).startsWith("jdbc:postgresql://");
    }

    @Test
    @Tag("EndToEndTest") // reads the built image, which the fast loop does not make
    void container_whenRead_shouldUseImageWithItsUserPortsAndFiles() {
        var image = ImageArchive.open(ImageFiles.imageTar());
        var exposed = new TreeSet<Integer>();
        image.containerConfig().path("ExposedPorts").fieldNames()
                .forEachRemaining(p -> exposed.add(Integer.parseInt(p.replace("/tcp", ""))));
        var security = map(pod, "securityContext");

        assertThat((String) container.get("image")).startsWith("kakehashi/connector:");
        assertThat(security).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
                .containsEntry("fsGroup", 10001);
        assertThat(new TreeSet<>(containerPorts().values())).isEqualTo(exposed);
        containerPorts().forEach((name, port) -> {
            var settingKey = switch (name) {
                case "default" -> "web.http.port";
                case "grpc" -> "kakehashi.transfer.grpc.port";
                default -> "web.http." + name + ".port";
            };
            assertThat(settings.getProperty(settingKey)).as(name).isEqualTo(String.valueOf(port));
        });
        var mounts = new HashMap<String, String>();
        list(container, "volumeMounts").forEach(m -> mounts.put((String) m.get("mountPath"), (String) m.get("name")));
        assertThat(mounts).containsEntry(ConnectorImageTest.DATA_DIRECTORY, "data")
                .containsEntry("/etc/kakehashi/connector.properties", "settings")
                .containsEntry("/tmp", "tmp");
        assertThat(image.containerConfig().path("Entrypoint").toString())
                .contains("-Dedc.fs.config=/etc/kakehashi/connector.properties");
        assertThat(settings.getProperty("kakehashi.tls.keystore")).startsWith("/etc/kakehashi/tls/");
        assertThat(mounts).containsEntry("/etc/kakehashi/tls", "tls");
    }

    @Test
    void probes_whenRead_shouldAskEdcHealthOnDefaultContextWithItsScheme() {
        var scheme = settings.getProperty("kakehashi.tls.keystore") != null
                && !settings.getProperty("kakehashi.tls.plain-contexts", "").contains("default") ? "HTTPS" : "HTTP";
        var expected = Map.of("startupProbe", "/check/startup", "livenessProbe", "/check/liveness",
                "readinessProbe", "/check/readiness");

        expected.forEach((probe, path) -> {
            var get = map(container, probe, "httpGet");
            assertThat(get.get("path")).as(probe).isEqualTo(settings.getProperty("web.http.path") + path);
            assertThat(containerPorts().get((String) get.get("port"))).as(probe)
                    .isEqualTo(Integer.parseInt(settings.getProperty("web.http.port")));
            assertThat(get.get("scheme")).as(probe).isEqualTo(scheme);
        });
        assertThat(ImageRun.HEALTH_PATHS).containsAll(expected.values().stream().map(p -> "/api" + p).toList());
    }

    @Test
    void environment_whenRead_shouldTakeEverySecretFromSecret() {
        var secretNames = new TreeSet<String>();
        list(container, "env").forEach(variable -> {
            var name = (String) variable.get("name");
            assertThat(variable.get("value")).as(name).isNull();
            if (SECRET_VARIABLES.contains(name)) {
                var reference = map(variable, "valueFrom", "secretKeyRef");
                assertThat(reference.get("name")).as(name).isEqualTo("kakehashi-connector");
                assertThat(reference.get("key")).as(name).isNotNull();
                secretNames.add(name);
            }
        });

        assertThat(secretNames).isEqualTo(new TreeSet<>(SECRET_VARIABLES));
    }

    @Test
    void services_whenRead_shouldTargetNamedContainerPortsAndKeepManagementInside() {
        var services = DOCUMENTS.stream().filter(d -> "Service".equals(d.get("kind"))).toList();
        var selector = map(map(the("StatefulSet"), "spec"), "selector", "matchLabels");

        services.forEach(service -> {
            assertThat(map(service, "spec", "selector")).isEqualTo(selector);
            list(map(service, "spec"), "ports").forEach(port ->
                    assertThat(containerPorts()).containsKey((String) port.get("targetPort")));
        });
        var external = services.stream().filter(s -> "LoadBalancer".equals(map(s, "spec").get("type"))).toList();
        assertThat(external).singleElement().satisfies(service -> assertThat(list(map(service, "spec"), "ports"))
                .extracting(p -> p.get("targetPort")).containsExactlyInAnyOrder("protocol", "identity", "grpc"));
    }

    private static Map<String, Integer> containerPorts() {
        var ports = new HashMap<String, Integer>();
        list(container, "ports").forEach(p -> ports.put((String) p.get("name"), (Integer) p.get("containerPort")));
        return ports;
    }

    private static Map<String, Object> the(String kind) {
        return DOCUMENTS.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> node, String... path) {
        var current = node;
        for (var step : path) {
            current = (Map<String, Object>) current.get(step);
            assertThat(current).as(String.join(".", path)).isNotNull();
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        var value = (List<Map<String, Object>>) node.get(key);
        assertThat(value).as(key).isNotNull();
        return value;
    }
}
