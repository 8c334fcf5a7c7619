package io.kakehashi.samples.console;

import io.kakehashi.samples.support.AuditorClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in Debian's headless Chromium, driven by Selenium, on a provider and a consumer that negotiated and
 * transferred once ({@link ConsoleDataspace}): an operator publishes an asset whose metadata first breaks its profile,
 * sees the negotiation and the transfer, builds a policy the connector first refuses and a contract definition; the
 * consumer's operator finds datasets in the federated catalog, negotiates and pulls one, sees another refused with its
 * reason, queries the catalog with SPARQL and sends a compute job; the usability check times the task list; an auditor
 * filters the decision log, opens an agreement's timeline and verifies the chain; each role's key is refused for the
 * other. The forwarder's answers are checked over plain HTTP
 * too, which needs no browser. Screenshots go to {@code target/screenshots/}.
 * <p>
 * The browser and its driver come from Debian ({@code chromium}, {@code chromium-driver}; {@code .ci/run} installs
 * them); both paths are given, so Selenium Manager never looks for, let alone downloads, anything. Without them the
 * browser tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("EndToEndTest")
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ConsoleDataspace dataspace;
    private ChromeDriver browser;

    @BeforeAll
    void start() {
        dataspace = ConsoleDataspace.start(Path.of("target", "console-e2e"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dataspace != null) {
            dataspace.close();
        }
    }

    // --- the console context over HTTP ---------------------------------------------------------------------------

    @Test
    @Order(1)
    void console_shouldServeItsPageWithAPolicyThatKeepsEverythingOnItsOrigin() throws Exception {
        var console = dataspace.providerSettings.consoleUrl();
        var page = send("GET", console, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("js/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'none'", "script-src 'self'");
        var withoutSlash = send("GET", console.substring(0, console.length() - 1), null, null);
        assertThat(withoutSlash.statusCode()).isEqualTo(303);
        assertThat(send("GET", console + "js/nothing.js", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void forwarder_shouldPassEachKeyToItsOwnApiOnly() throws Exception {
        var settings = dataspace.providerSettings;
        var console = settings.consoleUrl();
        var query = "{\"@context\":{\"@vocab\":\"https://w3id.org/edc/v0.0.1/ns/\"},\"@type\":\"QuerySpec\"}";

        assertThat(send("POST", console + "api/management/v3/assets/request", settings.managementKey(), query).body()).contains(ConsoleDataspace.ASSET);
        assertThat(send("GET", console + "api/auditor/v1/verify", settings.auditorKey(), null).body()).contains("\"intact\":true");
        assertThat(send("GET", console + "api/auditor/v1/verify", settings.managementKey(), null).statusCode()).isEqualTo(401);
        assertThat(send("POST", console + "api/management/v3/assets/request", settings.auditorKey(), query).statusCode()).isEqualTo(401);
        assertThat(send("POST", console + "api/management/v3/assets/request", null, query).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void forwarder_whenTheRequestIsBad_shouldAnswer4xx() throws Exception {
        var settings = dataspace.providerSettings;
        var console = settings.consoleUrl();

        assertThat(send("GET", console + "api/metrics/metrics", settings.managementKey(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", console + "api/control/v1/dataflows", settings.managementKey(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", console + "api/management/v3/%2e%2e/x", settings.managementKey(), null).statusCode()).isBetween(400, 499);
        assertThat(send("GET", console + "api/management/v3/a%2Fb", settings.managementKey(), null).statusCode()).isBetween(400, 499);
        assertThat(send("POST", console + "api/management/v3/assets", settings.managementKey(), "x".repeat(5 * 1024 * 1024)).statusCode()).isEqualTo(413);
        assertThat(send("PATCH", console + "api/management/v3/assets", settings.managementKey(), "{}").statusCode()).isBetween(400, 499);
    }

    // --- in the browser -------------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void operator_publishesAnAssetThatFirstBreaksItsProfile_shouldSeeTheMessageOnTheFieldThenPublishIt() throws IOException {
        var settings = dataspace.providerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "ja");
        waitFor(By.id("count-assets"));
        var listed = dataspace.provider.management().post("/v3/assets/request", io.kakehashi.samples.support.ManagementClient.body("QuerySpec")).size();
        assertThat(text(By.id("count-assets"))).startsWith(listed + "\n");
        assertThat(text(By.id("nav-dashboard"))).isEqualTo("ダッシュボード");
        screenshot("operator-dashboard-ja");
        language("en");
        waitFor(By.id("count-assets"));
        assertThat(text(By.id("nav-dashboard"))).isEqualTo("Dashboard");
        screenshot("operator-dashboard-en");

        browser.findElement(By.id("nav-assets")).click();
        waitFor(By.id("asset-form"));
        var values = Map.ofEntries(Map.entry("id", "console-spindle-2026"), Map.entry("name", "spindle load 2026"),
                Map.entry("titleJa", "主軸負荷データ"), Map.entry("descriptionJa", "マシニングセンタ3台の主軸負荷。"),
                Map.entry("descriptionEn", "Spindle load of three machining centres."), Map.entry("keywords", "主軸負荷, spindle load"),
                Map.entry("publisher", "Example Machining K.K."), Map.entry("mediaType", "text/csv"), Map.entry("byteSize", "1048576"),
                Map.entry("machineType", "machining centre"), Map.entry("machineCount", "3"), Map.entry("temporalResolution", "PT1S"),
                Map.entry("baseUrl", "http://127.0.0.1:9/spindle.csv"));
        values.forEach((field, value) -> browser.findElement(By.id("asset-" + field)).sendKeys(value));
        browser.findElement(By.id("asset-submit")).click();

        // no English title: the profile's SHACL message is shown on that field, and nothing else is marked
        new WebDriverWait(browser, WAIT).until(d -> !d.findElement(By.id("asset-titleEn-error")).getText().isBlank());
        assertThat(text(By.id("asset-titleEn-error"))).contains("English (@en)");
        assertThat(browser.findElement(By.id("asset-titleEn-field")).getAttribute("class")).contains("invalid");
        assertThat(browser.findElements(By.cssSelector("label.field.invalid"))).hasSize(1);
        screenshot("operator-asset-refused-en");
        language("ja");
        waitFor(By.id("asset-form"));
        values.forEach((field, value) -> browser.findElement(By.id("asset-" + field)).sendKeys(value));
        browser.findElement(By.id("asset-submit")).click();
        new WebDriverWait(browser, WAIT).until(d -> !d.findElement(By.id("asset-titleEn-error")).getText().isBlank());
        assertThat(text(By.id("asset-titleEn-error"))).contains("英語（@en）");
        assertThat(text(By.id("asset-notice"))).contains("コネクタがメタデータを受け付けませんでした");
        screenshot("operator-asset-refused-ja");
        assertThat(dataspace.provider.management().post("/v3/assets/request", io.kakehashi.samples.support.ManagementClient.body("QuerySpec")).toString())
                .doesNotContain("console-spindle-2026");

        browser.findElement(By.id("asset-titleEn")).sendKeys("Spindle load data");
        browser.findElement(By.id("asset-submit")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeContains(By.id("asset-notice"), "class", "ok"));
        waitFor(By.cssSelector("tr[data-asset='console-spindle-2026']"));
        assertThat(text(By.cssSelector("tr[data-asset='console-spindle-2026']"))).contains("主軸負荷データ");
        assertThat(browser.findElements(By.cssSelector("label.field.invalid"))).isEmpty();
        assertThat(dataspace.provider.management().get("/v3/assets/console-spindle-2026").path("@id").asText()).isEqualTo("console-spindle-2026");
        logout();
    }

    @Test
    @Order(11)
    void operator_shouldSeeTheNegotiationAndTheCompletedTransfer() throws IOException {
        var settings = dataspace.consumerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "en");
        waitFor(By.id("negotiations-FINALIZED"));
        assertThat(text(By.id("transfers-COMPLETED"))).startsWith("1");
        // the crawler's peer, reachable: its catalog was fetched and its last attempt did not fail
        assertThat(browser.findElement(By.cssSelector("#peers-table tr[data-peer='%s']".formatted(dataspace.providerSettings.did())))
                .getAttribute("data-reachable")).isEqualTo("true");

        browser.findElement(By.id("nav-negotiations")).click();
        var negotiation = By.cssSelector("tr[data-negotiation='%s']".formatted(dataspace.negotiationId));
        waitFor(negotiation);
        assertThat(text(negotiation)).contains("FINALIZED", dataspace.agreementId, "consumer");

        browser.findElement(By.id("nav-transfers")).click();
        var transfer = By.cssSelector("tr[data-transfer='%s']".formatted(dataspace.transferId));
        waitFor(transfer);
        assertThat(text(transfer)).contains("COMPLETED", "GrpcStream-PULL");

        // the live stream: suspended, resumed and terminated from its row, each state seen in the list
        var stream = "tr[data-transfer='%s']".formatted(dataspace.streamTransferId);
        waitFor(By.cssSelector(stream + "[data-state='STARTED']"));
        screenshot("operator-transfers-en");
        for (var step : new String[][]{ { "suspend", "SUSPENDED" }, { "resume", "STARTED" }, { "terminate", "TERMINATED" } }) {
            click(By.cssSelector(stream + " button[data-action='%s']".formatted(step[0])));
            waitFor(By.cssSelector(stream + "[data-state='%s']".formatted(step[1])));
            assertThat(dataspace.consumer.management().transfer(dataspace.streamTransferId).path("state").asText()).isEqualTo(step[1]);
        }
        assertThat(browser.findElements(By.cssSelector(stream + " button"))).isEmpty();
        logout();
    }

    @Test
    @Order(12)
    void auditor_filtersTheLogOpensTheTimelineAndVerifiesTheChain() throws IOException {
        var settings = dataspace.providerSettings;
        var consumer = dataspace.consumerSettings.participantId();
        login(settings.consoleUrl(), "auditor", settings.auditorKey(), "en");
        waitFor(By.id("decisions-today"));
        assertThat(browser.findElements(By.id("nav-assets"))).as("no operator view for an auditor").isEmpty();

        browser.findElement(By.id("filter-counterparty")).sendKeys(consumer);
        new Select(browser.findElement(By.id("filter-outcome"))).selectByValue("PERMIT");
        browser.findElement(By.id("filter-submit")).click();
        var expected = new AuditorClient(settings.auditorUrl(), settings.auditorKey())
                .decisions("counterparty=" + java.net.URLEncoder.encode(consumer, java.nio.charset.StandardCharsets.UTF_8) + "&outcome=PERMIT&limit=200");
        var count = expected.path("count").asInt();
        assertThat(count).isPositive();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("decisions-count")).getText().startsWith(count + " "));
        var rows = browser.findElements(By.cssSelector("#decisions-table tbody tr"));
        assertThat(rows).hasSize(count).allSatisfy(row -> assertThat(row.getText()).contains(consumer, "permitted"));
        screenshot("auditor-decisions-en");

        // every decision about the agreement names it by the DSP agreement id both parties share, the policy's and the
        // receipts' (decision 0039) alike; its link opens the agreement's timeline
        var links = browser.findElements(By.cssSelector("#decisions-table tbody tr")).stream()
                .filter(row -> row.getText().contains(ConsoleDataspace.ASSET))
                .flatMap(row -> row.findElements(By.cssSelector("a[href^='#/timeline/']")).stream()).toList();
        assertThat(links).isNotEmpty().allSatisfy(candidate -> assertThat(candidate.getText()).isEqualTo(dataspace.sharedAgreementId));
        links.get(0).click();
        waitFor(By.id("timeline-list"));
        var entries = browser.findElements(By.cssSelector("#timeline-list li"));
        var auditor = new AuditorClient(settings.auditorUrl(), settings.auditorKey());
        var forAgreement = auditor.decisions("agreement=" + dataspace.sharedAgreementId + "&limit=1000");
        assertThat(entries).hasSize(forAgreement.path("count").asInt()).isNotEmpty();
        // the transfer's policy decision and the receipt entry of its start, under the one id
        var transferEntries = new java.util.ArrayList<String>();
        forAgreement.path("decisions").forEach(decision -> {
            if ("transfer.process".equals(decision.at("/entry/scope").asText())) {
                transferEntries.add(decision.at("/entry/reasons").toString());
            }
        });
        assertThat(transferEntries).anySatisfy(reasons -> assertThat(reasons).contains("transfer.started"))
                .anySatisfy(reasons -> assertThat(reasons).doesNotContain("transfer.started"));
        // the provider's own id of the agreement finds the same entries
        assertThat(auditor.decisions("agreement=" + dataspace.providerAgreementId + "&limit=1000").path("count").asInt())
                .isEqualTo(forAgreement.path("count").asInt());
        assertThat(text(By.id("timeline-list"))).contains("transfer process", "negotiation.agreed");
        screenshot("auditor-timeline-en");
        language("ja");
        waitFor(By.id("timeline-list"));
        assertThat(text(By.id("timeline-list"))).contains("転送プロセス", "許可");
        screenshot("auditor-timeline-ja");

        browser.findElement(By.id("nav-verify")).click();
        waitFor(By.id("verify-run")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("verdict")).isDisplayed());
        assertThat(browser.findElement(By.id("verdict")).getAttribute("data-intact")).isEqualTo("true");
        assertThat(text(By.id("verdict"))).startsWith("改ざんなし");
        screenshot("auditor-verify-ja");

        // the evidence export: the whole log, as the auditor API's own export has it. The connectors keep deciding
        // (receipts, checks), so the log may grow while the console exports: between the API's count before and after
        var before = auditor.exportDecisions().lines().filter(line -> !line.isBlank()).count();
        browser.findElement(By.id("export-decisions")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("export-status")).getAttribute("data-lines") != null);
        var after = auditor.exportDecisions().lines().filter(line -> !line.isBlank()).count();
        assertThat(Long.parseLong(browser.findElement(By.id("export-status")).getAttribute("data-lines"))).isBetween(before, after);
        assertThat(text(By.id("export-status"))).contains("decisions.jsonl");
        logout();
    }

    @Test
    @Order(13)
    void login_whenAKeyOfTheOtherRole_shouldBeRefused() {
        var settings = dataspace.providerSettings;
        for (var attempt : Map.of("operator", settings.auditorKey(), "auditor", settings.managementKey()).entrySet()) {
            login(settings.consoleUrl(), attempt.getKey(), attempt.getValue(), "en");
            new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("login-error")).isDisplayed());
            assertThat(text(By.id("login-error"))).isEqualTo("The key was refused for this role.");
            assertThat(browser.findElements(By.id("nav-dashboard"))).isEmpty();
            assertThat(browser.findElements(By.id("nav-decisions"))).isEmpty();
        }
    }

    @Test
    @Order(14)
    void operator_buildsAPolicyTheConnectorRefusesThenCreatesItAndOffersAnAssetUnderIt() throws IOException {
        var settings = dataspace.providerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "en");
        waitFor(By.id("nav-policies")).click();
        waitFor(By.id("policy-form"));
        browser.findElement(By.id("policy-id")).sendKeys("console-fy2026");
        new Select(browser.findElement(By.id("constraint-0-name"))).selectByValue("dateTime");
        new Select(browser.findElement(By.id("constraint-0-operator"))).selectByValue("lteq");
        browser.findElement(By.id("constraint-0-value")).sendKeys("next spring");
        browser.findElement(By.id("policy-add-constraint")).click();
        new Select(waitFor(By.id("constraint-1-name"))).selectByValue("jurisdiction");
        new Select(browser.findElement(By.id("constraint-1-operator"))).selectByValue("isAnyOf");
        browser.findElement(By.id("constraint-1-value")).sendKeys("JP, DE");
        browser.findElement(By.id("policy-submit")).click();

        // the API's reason is shown on the constraint it names, the other one is not marked
        new WebDriverWait(browser, WAIT).until(d -> !d.findElement(By.id("constraint-0-error")).getText().isBlank());
        assertThat(text(By.id("constraint-0-error"))).contains("dateTime: 'next spring' is not an ISO 8601 date-time");
        assertThat(text(By.id("constraint-1-error"))).isEmpty();
        assertThat(text(By.id("policy-notice"))).contains("The connector refused the policy");
        scrollTo(By.id("policy-notice"));
        screenshot("operator-policy-refused-en");
        assertThat(dataspace.provider.management().post("/v3/policydefinitions/request", io.kakehashi.samples.support.ManagementClient.body("QuerySpec")).toString())
                .doesNotContain("console-fy2026");

        var value = browser.findElement(By.id("constraint-0-value"));
        value.clear();
        value.sendKeys("2027-03-31T23:59:59+09:00");
        browser.findElement(By.id("policy-submit")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeContains(By.id("policy-notice"), "class", "ok"));
        waitFor(By.cssSelector("tr[data-policy='console-fy2026']"));
        assertThat(text(By.cssSelector("tr[data-policy='console-fy2026']"))).contains("dateTime", "2027-03-31T23:59:59+09:00", "consumerJurisdiction", "JP", "DE");
        var stored = dataspace.provider.management().get("/v3/policydefinitions/console-fy2026").toString();
        assertThat(stored).contains("2027-03-31T23:59:59+09:00", "DE");
        language("ja");
        waitFor(By.cssSelector("tr[data-policy='console-fy2026']"));
        assertThat(text(By.id("policy-add-constraint"))).isEqualTo("制約を追加");
        screenshot("operator-policies-ja");

        browser.findElement(By.id("nav-definitions")).click();
        waitFor(By.id("definition-form"));
        browser.findElement(By.id("definition-id")).sendKeys("console-fy2026-offer");
        new Select(browser.findElement(By.id("definition-access"))).selectByValue("console-open");
        new Select(browser.findElement(By.id("definition-contract"))).selectByValue("console-fy2026");
        new Select(browser.findElement(By.id("definition-asset"))).selectByValue(ConsoleDataspace.ASSET);
        browser.findElement(By.id("definition-submit")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeContains(By.id("definition-notice"), "class", "ok"));
        var row = By.cssSelector("tr[data-definition='console-fy2026-offer']");
        waitFor(row);
        assertThat(text(row)).contains("console-open", "console-fy2026", ConsoleDataspace.ASSET);
        screenshot("operator-definitions-ja");
        var definition = dataspace.provider.management().get("/v3/contractdefinitions/console-fy2026-offer");
        assertThat(definition.path("contractPolicyId").asText()).isEqualTo("console-fy2026");
        assertThat(definition.toString()).contains(ConsoleDataspace.ASSET);
        logout();
    }

    @Test
    @Order(15)
    void operator_findsADatasetInJapaneseNegotiatesAndWatchesItsTransferToTheEnd() throws IOException {
        var settings = dataspace.consumerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "ja");
        waitFor(By.id("nav-catalog")).click();
        var found = search("工作機械稼働", ConsoleDataspace.FOUND);
        assertThat(found.getText()).contains(ConsoleDataspace.FOUND_TITLE_JA, dataspace.providerSettings.participantId());
        screenshot("operator-catalog-ja");
        found.findElement(By.cssSelector("button[data-action='offers']")).click();
        waitFor(By.id("negotiate-0")).click();
        new WebDriverWait(browser, WAIT).until(d -> "FINALIZED".equals(d.findElement(By.id("negotiation-status")).getAttribute("data-state")));
        var negotiationId = browser.findElement(By.id("negotiation-status")).getAttribute("data-negotiation");
        var agreement = text(By.id("negotiation-agreement"));
        assertThat(dataspace.consumer.management().negotiation(negotiationId).path("contractAgreementId").asText()).isEqualTo(agreement);

        var destination = Path.of("target", "console-e2e", "found-received.csv").toAbsolutePath();
        browser.findElement(By.id("transfer-destination")).sendKeys(destination.toString());
        browser.findElement(By.id("transfer-submit")).click();
        new WebDriverWait(browser, WAIT).until(d -> "COMPLETED".equals(d.findElement(By.id("transfer-status")).getAttribute("data-state")));
        assertThat(text(By.id("transfer-status"))).contains("完了");
        scrollTo(By.id("transfer-status"));
        screenshot("operator-catalog-transfer-ja");
        assertThat(Files.mismatch(dataspace.foundSource, destination)).isEqualTo(-1L);
        logout();
    }

    @Test
    @Order(16)
    void operator_whenTheProviderRefusesTheNegotiation_shouldSeeItsReason() throws IOException {
        var settings = dataspace.consumerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "en");
        waitFor(By.id("nav-catalog")).click();
        var found = search("Members-only", ConsoleDataspace.MEMBERS_ONLY);
        assertThat(found.getText()).contains(ConsoleDataspace.MEMBERS_ONLY_TITLE_EN);
        found.findElement(By.cssSelector("button[data-action='offers']")).click();
        waitFor(By.id("negotiate-0")).click();
        new WebDriverWait(browser, WAIT).until(d -> "TERMINATED".equals(d.findElement(By.id("negotiation-status")).getAttribute("data-state")));
        var negotiationId = browser.findElement(By.id("negotiation-status")).getAttribute("data-negotiation");
        var reason = dataspace.consumer.management().negotiation(negotiationId).path("errorDetail").asText();
        assertThat(reason).isNotBlank();
        assertThat(text(By.id("negotiation-status"))).contains("The provider refused the negotiation");
        assertThat(text(By.id("negotiation-reason"))).isEqualTo(reason).contains("membership");
        assertThat(browser.findElements(By.id("transfer-form"))).isEmpty();
        scrollTo(By.id("negotiation-status"));
        screenshot("operator-negotiation-refused-en");
        logout();
    }

    @Test
    @Order(17)
    void operator_queriesTheCatalogWithSparql_shouldSeeTheRowsOrTheRefusal() {
        var settings = dataspace.consumerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "en");
        waitFor(By.id("nav-sparql")).click();
        waitFor(By.id("sparql-run")).click();
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.id("sparql-table")).isEmpty());
        assertThat(text(By.id("sparql-table"))).contains(ConsoleDataspace.FOUND_TITLE_JA + "@ja", dataspace.providerSettings.participantId());
        var query = browser.findElement(By.id("sparql-query"));
        query.clear();
        query.sendKeys("DELETE WHERE { ?s ?p ?o }");
        browser.findElement(By.id("sparql-run")).click();
        waitFor(By.id("sparql-error"));
        assertThat(browser.findElements(By.id("sparql-table"))).isEmpty();
        logout();
    }

    @Test
    @Order(18)
    void operator_sendsAComputeJob_shouldSeeItsResult() throws IOException {
        var settings = dataspace.consumerSettings;
        login(settings.consoleUrl(), "operator", settings.managementKey(), "en");
        waitFor(By.id("nav-compute")).click();
        new Select(waitFor(By.id("compute-agreement"))).selectByValue(dataspace.computeAgreementId);
        var query = browser.findElement(By.id("compute-query"));
        query.clear();
        query.sendKeys("SELECT plant, count(*) AS machines FROM asset GROUP BY plant ORDER BY plant");
        browser.findElement(By.id("compute-submit")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeContains(By.id("compute-notice"), "class", "ok"));
        var job = text(By.id("compute-notice")).replaceAll("^Job (\\S+) sent\\.$", "$1");
        var done = "tr[data-job='%s'][data-state='COMPLETED']".formatted(job);
        waitFor(By.cssSelector(done));
        click(By.cssSelector(done + " button[data-action='result']"));
        new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.id("compute-result-table")).isEmpty());
        assertThat(text(By.id("compute-result-table"))).contains("Nagoya 10", "Osaka 20");
        var document = dataspace.consumer.management().computeResult(job);
        assertThat(text(By.id("compute-result"))).contains(document.path("resultHash").asText());
        scrollTo(By.id("compute-result"));
        screenshot("operator-compute-en");
        logout();
    }

    /**
     * The usability check: the task list walked through as a user would, each task from where the previous one left
     * the user, counting the clicks and the fields typed into and measuring the time each took (printed and written to
     * {@code target/usability.md}; the console's README keeps the figures with their date). Only the outcomes are
     * asserted.
     */
    @Test
    @Order(19)
    void usability_theTaskListIsDoneInTheConsole() throws IOException {
        var provider = dataspace.providerSettings;
        var consumer = dataspace.consumerSettings;
        var tasks = new java.util.ArrayList<Task>();

        openLoginPage(provider.consoleUrl(), "en");
        var publish = start(tasks, "publish an asset (log in, fill the profile's fields, publish)");
        logIn(publish, "operator", provider.managementKey());
        publish.tap(By.id("nav-assets"));
        var values = new java.util.LinkedHashMap<String, String>();
        values.put("id", "console-usability-asset");
        values.put("titleJa", "切削条件データ");
        values.put("titleEn", "Cutting condition data");
        values.put("descriptionJa", "旋盤2台の切削条件。");
        values.put("descriptionEn", "Cutting conditions of two lathes.");
        values.put("keywords", "切削, cutting");
        values.put("publisher", "Example Machining K.K.");
        values.put("mediaType", "text/csv");
        values.put("byteSize", "2048");
        values.put("machineType", "CNC lathe");
        values.put("machineCount", "2");
        values.put("temporalResolution", "PT1S");
        values.put("baseUrl", "http://127.0.0.1:9/cutting.csv");
        values.forEach((field, value) -> publish.type(By.id("asset-" + field), value));
        publish.tap(By.id("asset-submit"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeContains(By.id("asset-notice"), "class", "ok"));
        publish.done();
        assertThat(dataspace.provider.management().get("/v3/assets/console-usability-asset").path("@id").asText()).isEqualTo("console-usability-asset");
        logout();

        openLoginPage(consumer.consoleUrl(), "en");
        var find = start(tasks, "find a dataset (log in, search in English, see the Japanese-titled dataset)");
        logIn(find, "operator", consumer.managementKey());
        find.tap(By.id("nav-catalog"));
        find.type(By.id("catalog-q"), "machine operation");
        find.tap(By.id("catalog-submit"));
        var row = By.cssSelector("#catalog-table tr[data-dataset$='/catalog/datasets/%s']".formatted(ConsoleDataspace.FOUND));
        waitFor(row);
        find.done();

        var negotiate = start(tasks, "negotiate (open the dataset's offers, negotiate, see the agreement)");
        negotiate.tap(By.cssSelector("#catalog-table tr[data-dataset$='/catalog/datasets/%s'] button[data-action='offers']".formatted(ConsoleDataspace.FOUND)));
        negotiate.tap(By.id("negotiate-0"));
        new WebDriverWait(browser, WAIT).until(d -> "FINALIZED".equals(d.findElement(By.id("negotiation-status")).getAttribute("data-state")));
        negotiate.done();
        logout();

        openLoginPage(provider.consoleUrl(), "en");
        var audit = start(tasks, "audit an agreement (log in, filter the log by asset, open the timeline, verify the chain)");
        logIn(audit, "auditor", provider.auditorKey());
        audit.type(By.id("filter-asset"), ConsoleDataspace.ASSET);
        audit.tap(By.id("filter-submit"));
        audit.tap(By.cssSelector("#decisions-table a[href='#/timeline/%s']".formatted(java.net.URLEncoder.encode(dataspace.sharedAgreementId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))));
        waitFor(By.id("timeline-list"));
        audit.tap(By.id("nav-verify"));
        audit.tap(By.id("verify-run"));
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("verdict")).isDisplayed());
        audit.done();
        assertThat(browser.findElement(By.id("verdict")).getAttribute("data-intact")).isEqualTo("true");
        logout();

        var report = new StringBuilder("| task | clicks | fields typed | seconds |\n| --- | ---: | ---: | ---: |\n");
        tasks.forEach(task -> report.append("| %s | %d | %d | %.1f |%n".formatted(task.name, task.clicks, task.fields, task.seconds)));
        System.out.print("console usability check, " + java.time.LocalDate.now() + ":\n" + report);
        Files.writeString(Path.of("target", "usability.md"), report);
        assertThat(tasks).hasSize(4).allSatisfy(task -> assertThat(task.clicks).isPositive());
    }

    @Test
    @Order(20)
    void auditor_whenAnEntryWasEditedOnDisk_shouldSeeTheChainBrokenAtThatEntry() throws IOException {
        var settings = dataspace.consumerSettings;
        var log = settings.decisionLogDirectory().resolve("decisions.jsonl");
        var lines = Files.readAllLines(log);
        var position = 0;
        for (var i = 0; i < lines.size() && position == 0; i++) {
            if (lines.get(i).contains("\"PERMIT\"")) {
                position = i + 1;
            }
        }
        assertThat(position).as("a permitted decision in the consumer's log").isPositive();
        // the same length, in place, as someone editing the file would
        var edited = lines.get(position - 1).replace("\"PERMIT\"", "\"DENY\"  ");
        try (var file = new java.io.RandomAccessFile(log.toFile(), "rw")) {
            long offset = 0;
            for (var i = 0; i < position - 1; i++) {
                offset += lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            }
            file.seek(offset);
            file.write(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        login(settings.consoleUrl(), "auditor", settings.auditorKey(), "en");
        waitFor(By.id("nav-verify")).click();
        waitFor(By.id("verify-run")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("verdict")).isDisplayed());
        assertThat(browser.findElement(By.id("verdict")).getAttribute("data-intact")).isEqualTo("false");
        assertThat(text(By.id("verdict"))).startsWith("Broken at entry %d: HASH_MISMATCH".formatted(position));
        screenshot("auditor-verify-broken-en");
        logout();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** One task of the usability check: what the user clicked and typed into, and how long it took. */
    private final class Task {
        final String name;
        final long started = System.nanoTime();
        int clicks;
        int fields;
        double seconds;

        Task(String name) {
            this.name = name;
        }

        void tap(By by) {
            new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(ExpectedConditions.elementToBeClickable(by)).click();
            clicks++;
        }

        void type(By by, String text) {
            waitFor(by).sendKeys(text);
            fields++;
        }

        void done() {
            seconds = (System.nanoTime() - started) / 1e9;
        }
    }

    private Task start(java.util.List<Task> tasks, String name) {
        var task = new Task(name);
        tasks.add(task);
        return task;
    }

    private void openLoginPage(String consoleUrl, String language) {
        var driver = browser();
        driver.get(consoleUrl);
        driver.executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        waitFor(By.id("login-key"));
        language(language);
    }

    private void logIn(Task task, String role, String key) {
        task.tap(By.id("login-role-" + role));
        task.type(By.id("login-key"), key);
        task.tap(By.id("login-submit"));
        waitFor(By.id("logout"));
    }

    /** Searches the federated catalog until the crawler has brought the dataset (it asks the provider every 2 s). */
    private WebElement search(String words, String assetId) {
        var row = By.cssSelector("#catalog-table tr[data-dataset$='/catalog/datasets/%s']".formatted(assetId));
        waitFor(By.id("catalog-q")).sendKeys(words);
        return new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofMillis(500)).until(d -> {
            // each answer is waited for, so the row found is not replaced by an answer still on its way
            browser.executeScript("document.getElementById('catalog-results').replaceChildren()");
            d.findElement(By.id("catalog-submit")).click();
            new WebDriverWait(d, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#catalog-count, #catalog-results .notice")));
            var rows = d.findElements(row);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    private ChromeDriver browser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them");
        if (browser == null) {
            System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
            try {
                var profile = Files.createTempDirectory("kakehashi-console-chromium");
                var options = new ChromeOptions();
                options.setBinary(CHROMIUM.toFile());
                options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1200,860", "--user-data-dir=" + profile);
                var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
                browser = new ChromeDriver(service, options);
                browser.manage().window().setSize(new Dimension(1200, 860));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return browser;
    }

    private void login(String consoleUrl, String role, String key, String language) {
        var driver = browser();
        driver.get(consoleUrl);
        // a fresh session on this origin, whatever a test before left
        driver.executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        waitFor(By.id("login-key"));
        language(language);
        waitFor(By.id("login-role-" + role)).click();
        driver.findElement(By.id("login-key")).sendKeys(key);
        driver.findElement(By.id("login-submit")).click();
    }

    private void logout() {
        browser.findElement(By.id("logout")).click();
        waitFor(By.id("login-key"));
    }

    private void language(String language) {
        new Select(browser.findElement(By.id("lang-switch"))).selectByValue(language);
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks once the element is there; the transfers list is drawn again every two seconds, so a stale one is looked up again. */
    private void click(By by) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    var found = d.findElements(by);
                    if (found.isEmpty()) {
                        return false;
                    }
                    found.get(0).click();
                    return true;
                });
    }

    /** Brings the element to the middle of the window, so that a screenshot shows it. */
    private void scrollTo(By by) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", browser.findElement(by));
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        var file = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<String> send(String method, String url, String key, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
