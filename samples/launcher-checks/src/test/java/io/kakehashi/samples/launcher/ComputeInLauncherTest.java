package io.kakehashi.samples.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.samples.launcher.compute.ComputeSeedExtension;
import io.kakehashi.samples.launcher.compute.NativeLibraryProbe;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production launcher jar carries compute-to-data: the extensions are registered, DuckDB's and ONNX Runtime's
 * native libraries for Linux survive the shading and load from it, the provider's jobs endpoint answers behind the
 * management key, and with PostgreSQL a job and the ε spent under an agreement survive a restart, the job's decision
 * and its result's release found in the decision log by their digests. A test-only extension placed beside the jar
 * ({@link ComputeSeedExtension}) submits the job to the connector's own job service, so one connector suffices (jobs
 * between two connectors are tested in ai-extension/compute-transfer and the sample).
 */
@Tag("EndToEndTest")
@Tag("PostgresqlIntegrationTest")
class ComputeInLauncherTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String DATABASE = "kakehashi_launcher_compute";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path workDir = Path.of("target", "launcher-checks").toAbsolutePath();

    private ConnectorSettings settings(String name) {
        // an authority nobody serves: these checks never verify a peer
        return new ConnectorSettings(name, workDir.resolve(name + "-" + System.nanoTime()))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
    }

    @Test
    void jar_shouldCarryComputeWithLinuxNativeLibrariesAndNoTestOnlyExtension() throws IOException {
        try (var jar = new ZipFile(ConnectorProcess.launcherJar().toFile())) {
            var names = jar.stream().map(entry -> entry.getName()).toList();
            assertThat(names).contains("libduckdb_java.so_linux_amd64", "libduckdb_java.so_linux_arm64",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime.so", "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so", "ai/onnxruntime/native/linux-aarch64/libonnxruntime4j_jni.so");
            assertThat(names).as("other platforms' native libraries are filtered out (docs/decisions/0012)")
                    .noneMatch(name -> name.startsWith("libduckdb_java.so_osx") || name.startsWith("libduckdb_java.so_windows"))
                    .noneMatch(name -> name.startsWith("ai/onnxruntime/native/osx-") || name.startsWith("ai/onnxruntime/native/win-"));
            assertThat(names).as("no test-only class of the compute modules")
                    .noneMatch(name -> name.startsWith("io/kakehashi/") && (name.endsWith("TestExtension.class") || name.endsWith("Test.class")
                            || name.contains("TestFixtures") || name.contains("TestBase")));

            var drivers = text(jar, "META-INF/services/java.sql.Driver");
            assertThat(drivers.lines()).as("both JDBC drivers, merged").contains("org.postgresql.Driver", "org.duckdb.DuckDBDriver");
            var extensions = text(jar, "META-INF/services/org.eclipse.edc.spi.system.ServiceExtension").lines().map(String::trim).toList();
            assertThat(extensions).contains("io.kakehashi.ai.extension.ComputeJobsExtension", "io.kakehashi.ai.extension.ComputeStoresExtension",
                    "io.kakehashi.ai.extension.ComputeJobsApiExtension");
            assertThat(extensions).as("no test-only extension is registered").noneMatch(name -> name.contains("Test") || name.contains(".mock."));
        }
    }

    @Test
    void nativeLibraries_shouldLoadFromTheShadedJar() throws Exception {
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(workDir.resolve("native-probe-tmp")),
                "-cp", ConnectorProcess.launcherJar() + java.io.File.pathSeparator + testClasses(),
                NativeLibraryProbe.class.getName());
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("duckdb v").contains("answered 42").contains("CPU").contains("onnxruntime environment true");
    }

    @Test
    void computeJobsEndpoint_shouldAnswerBehindTheManagementKey() throws Exception {
        var settings = settings("compute-endpoint");
        try (var connector = ConnectorProcess.start(settings, START)) {
            var listed = get(settings, "/v3/kakehashi/compute/jobs?agreementId=no-such-agreement", settings.managementKey());
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(MAPPER.readTree(listed.body())).isEmpty();
            assertThat(get(settings, "/v3/kakehashi/compute/jobs?agreementId=x", null).statusCode()).isEqualTo(401);
            assertThat(get(settings, "/v3/kakehashi/compute/jobs", settings.managementKey()).statusCode()).isEqualTo(400);
            assertThat(get(settings, "/v3/kakehashi/compute/jobs/no-such-job", settings.managementKey()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void jobAndEpsilonSpent_whenTheConnectorRestartsOnPostgres_shouldSurvive() throws Exception {
        var postgres = PostgresTestServer.get();
        postgres.recreateDatabase(DATABASE);
        var data = Files.createDirectories(workDir).resolve("compute-machines-" + System.nanoTime() + ".csv");
        var csv = new StringBuilder("region,temperature\n");
        for (var i = 0; i < 30; i++) {
            csv.append(i % 3 == 0 ? "Aichi" : "Osaka").append(',').append(40 + i).append('\n');
        }
        Files.writeString(data, csv);
        var settings = settings("compute-postgres").postgres(postgres.url(DATABASE), postgres.user())
                .with(ComputeSeedExtension.DATA, data.toString());
        var classPath = List.of(ConnectorProcess.launcherJar(), testClasses(), seedServices());

        var submitted = settings.directory().resolve("submitted.properties");
        Properties first;
        try (var connector = ConnectorProcess.start(classPath, settings.with(ComputeSeedExtension.MODE, "submit")
                .with(ComputeSeedExtension.OUT, submitted.toString()), START)) {
            first = properties(submitted);
        }
        assertThat(first.getProperty("error")).as("%s", first).isNull();
        assertThat(first.getProperty("state")).as("%s", first).isEqualTo("COMPLETED");
        assertThat(first.getProperty("firstCharge")).isEqualTo("charged");
        assertThat(first.getProperty("spent")).isEqualTo("0.75");
        var jobId = first.getProperty("jobId");

        var checked = settings.directory().resolve("checked.properties");
        try (var connector = ConnectorProcess.start(classPath, settings.with(ComputeSeedExtension.MODE, "check")
                .with(ComputeSeedExtension.OUT, checked.toString()), START)) {
            var listed = get(settings, "/v3/kakehashi/compute/jobs?agreementId=" + ComputeSeedExtension.AGREEMENT_ID, settings.managementKey());
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            JsonNode jobs = MAPPER.readTree(listed.body());
            var descriptionHash = jobs.path(0).path("descriptionHash").asText();
            assertThat(jobs).singleElement().satisfies(job -> {
                assertThat(job.path("id").asText()).isEqualTo(jobId);
                assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
                assertThat(job.path("resultHash").asText()).isEqualTo(first.getProperty("resultHash"));
                assertThat(job.path("admitted").asBoolean()).isTrue();
            });
            var after = properties(checked);
            assertThat(after.getProperty("error")).as("%s", after).isNull();
            assertThat(after.getProperty("spent")).as("the ε spent before the restart").isEqualTo("0.75");
            assertThat(after.getProperty("secondCharge")).contains("ai.dpEpsilon").contains("exceeds");

            // the job's policy decision names the job's digest: an auditor holding the job finds the decision by it
            var auditor = new AuditorClient(settings.auditorUrl(), settings.auditorKey());
            var decisions = auditor.decisions("scope=compute&digest=" + descriptionHash).path("decisions");
            assertThat(decisions).as("%s", decisions).singleElement().satisfies(decision -> {
                assertThat(decision.at("/entry/scope").asText()).isEqualTo("compute");
                assertThat(decision.at("/entry/outcome").asText()).isEqualTo("PERMIT");
                assertThat(decision.at("/entry/agreementId").asText()).isEqualTo(ComputeSeedExtension.AGREEMENT_ID);
                assertThat(decision.at("/entry/digests/job").asText()).isEqualTo(descriptionHash);
            });
            // and the release of its result is a decision of its own, which names the result's digest
            var releases = auditor.decisions("scope=compute.result&digest=" + first.getProperty("resultHash")).path("decisions");
            assertThat(releases).as("%s", releases).singleElement().satisfies(release -> {
                assertThat(release.at("/entry/outcome").asText()).isEqualTo("PERMIT");
                assertThat(release.at("/entry/digests/job").asText()).isEqualTo(descriptionHash);
                assertThat(release.at("/entry/digests/result").asText()).isEqualTo(first.getProperty("resultHash"));
            });
            assertThat(auditor.verify().path("intact").asBoolean()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM kakehashi_compute_job WHERE id = ?", jobId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM kakehashi_decision_log WHERE scope = ? AND agreement_id = '" + ComputeSeedExtension.AGREEMENT_ID + "'", "compute"))
                .as("the job's policy decision is in the decision log's table").isEqualTo(1);
    }

    private static String text(ZipFile jar, String name) throws IOException {
        var entry = jar.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Path testClasses() {
        try {
            return Path.of(ComputeSeedExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory that registers the seed extension, for this test's class path only. */
    private Path seedServices() throws IOException {
        var dir = Files.createDirectories(workDir.resolve("compute-seed-services/META-INF/services"));
        Files.writeString(dir.resolve("org.eclipse.edc.spi.system.ServiceExtension"), ComputeSeedExtension.class.getName() + "\n");
        return workDir.resolve("compute-seed-services");
    }

    private static Properties properties(Path file) throws IOException {
        assertThat(file).as("the seed extension's report").exists();
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static HttpResponse<String> get(ConnectorSettings settings, String path, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(settings.managementUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (var connection = PostgresTestServer.get().connect(DATABASE); var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
