package io.kakehashi.core.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleAssetsTest {

    private final ConsoleAssets assets = new ConsoleAssets(ConsoleAssets.class.getClassLoader());

    @Test
    void find_whenEmpty_shouldGiveTheIndexPage() {
        var index = assets.find("/").orElseThrow();

        assertThat(index.mediaType()).startsWith("text/html");
        assertThat(new String(index.content(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"js/app.js\">");
    }

    @Test
    void find_whenAModule_shouldGiveItAsJavaScript() {
        assertThat(assets.find("js/app.js")).get().extracting(ConsoleAssets.Asset::mediaType).asString().startsWith("text/javascript");
    }

    @ParameterizedTest
    @ValueSource(strings = { "../kakehashi-console/index.html", "js/../index.html", "META-INF/services/org.eclipse.edc.spi.system.ServiceExtension",
            "io/kakehashi/core/console/ConsoleExtension.class", "missing.js", "js/", "INDEX.HTML", "index.html%00.js", "js//app.js" })
    void find_whenNotAShippedConsoleFile_shouldFindNothing(String path) {
        assertThat(assets.find(path)).isEmpty();
    }

    @Test
    void shippedFiles_shouldFetchNothingFromElsewhere() {
        for (var name : new String[]{ "index.html", "console.css", "js/app.js", "js/api.js", "js/i18n.js", "js/dom.js", "js/operator.js", "js/auditor.js",
                "js/policies.js", "js/catalog.js", "js/compute.js" }) {
            var text = new String(assets.find(name).orElseThrow().content(), StandardCharsets.UTF_8);
            assertThat(Pattern.compile("(src|href)=\"(https?:)?//|import[^;]*from\\s*'(https?:)?//|fetch\\('http").matcher(text).find()).as(name).isFalse();
        }
    }

    @Test
    void dictionaries_shouldHoldTheSameKeysInBothLanguages() {
        var text = new String(assets.find("js/i18n.js").orElseThrow().content(), StandardCharsets.UTF_8);
        var english = keys(text.substring(text.indexOf("const en = {"), text.indexOf("const ja = {")));
        var japanese = keys(text.substring(text.indexOf("const ja = {"), text.indexOf("export const dictionaries")));

        assertThat(english).hasSizeGreaterThan(250);
        assertThat(japanese).containsExactlyInAnyOrderElementsOf(english);
    }

    @ParameterizedTest
    @ValueSource(strings = { "js/app.js", "js/operator.js", "js/auditor.js", "js/policies.js", "js/catalog.js", "js/compute.js" })
    void views_whenTheyNameATextByItsKey_shouldFindItInBothDictionaries(String view) {
        var dictionaries = new String(assets.find("js/i18n.js").orElseThrow().content(), StandardCharsets.UTF_8);
        var english = keys(dictionaries.substring(dictionaries.indexOf("const en = {"), dictionaries.indexOf("const ja = {")));
        var japanese = keys(dictionaries.substring(dictionaries.indexOf("const ja = {"), dictionaries.indexOf("export const dictionaries")));
        var source = new String(assets.find(view).orElseThrow().content(), StandardCharsets.UTF_8);
        // t('key'), and the fixed part of t(`prefix.${…}`) — some key must start with it
        var literal = Pattern.compile("\\bt\\('([a-zA-Z0-9.-]+)'").matcher(source);
        var used = new java.util.ArrayList<String>();
        while (literal.find()) {
            used.add(literal.group(1));
        }
        var prefixed = Pattern.compile("\\bt\\(`([a-zA-Z0-9.-]+)\\$\\{").matcher(source);
        var prefixes = new java.util.ArrayList<String>();
        while (prefixed.find()) {
            prefixes.add(prefixed.group(1));
        }

        assertThat(used).as("texts of %s", view).isNotEmpty();
        assertThat(english).as("English").containsAll(used);
        assertThat(japanese).as("Japanese").containsAll(used);
        for (var prefix : prefixes) {
            assertThat(english).as("a text starting with %s", prefix).anyMatch(key -> key.startsWith(prefix));
        }
    }

    @Test
    void policyBuilder_shouldOfferEveryConstraintTheConnectorKnowsInBothLanguages() {
        var builder = new String(assets.find("js/policies.js").orElseThrow().content(), StandardCharsets.UTF_8);
        var dictionaries = new String(assets.find("js/i18n.js").orElseThrow().content(), StandardCharsets.UTF_8);
        var names = Pattern.compile("\\{ name: '([a-zA-Z.]+)', operand: ").matcher(builder);
        var found = new java.util.ArrayList<String>();
        while (names.find()) {
            found.add(names.group(1));
        }

        assertThat(found).containsExactlyInAnyOrder("purpose", "jurisdiction", "dateTime", "elapsedTime", "count", "transfer.maxBytes",
                "transfer.maxMessages", "compute.jobCount", "ai.modelExport", "ai.minAggregation", "ai.dpEpsilon", "membership",
                "certification", "onwardTransfer", "counterpartyLegalId");
        for (var name : found) {
            assertThat(dictionaries.split("'constraint\\." + java.util.regex.Pattern.quote(name) + "':", -1)).as(name).hasSize(3);
            assertThat(dictionaries.split("'constraintHint\\." + java.util.regex.Pattern.quote(name) + "':", -1)).as(name).hasSize(3);
        }
    }

    private static java.util.List<String> keys(String block) {
        var matcher = Pattern.compile("^\\s*'([a-zA-Z0-9.-]+)':", Pattern.MULTILINE).matcher(block);
        var keys = new java.util.ArrayList<String>();
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
