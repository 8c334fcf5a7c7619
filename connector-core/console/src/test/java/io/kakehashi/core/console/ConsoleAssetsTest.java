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
        for (var name : new String[]{ "index.html", "console.css", "js/app.js", "js/api.js", "js/i18n.js", "js/dom.js", "js/operator.js", "js/auditor.js" }) {
            var text = new String(assets.find(name).orElseThrow().content(), StandardCharsets.UTF_8);
            assertThat(Pattern.compile("(src|href)=\"(https?:)?//|import[^;]*from\\s*'(https?:)?//|fetch\\('http").matcher(text).find()).as(name).isFalse();
        }
    }

    @Test
    void dictionaries_shouldHoldTheSameKeysInBothLanguages() {
        var text = new String(assets.find("js/i18n.js").orElseThrow().content(), StandardCharsets.UTF_8);
        var english = keys(text.substring(text.indexOf("const en = {"), text.indexOf("const ja = {")));
        var japanese = keys(text.substring(text.indexOf("const ja = {"), text.indexOf("export const dictionaries")));

        assertThat(english).hasSizeGreaterThan(100);
        assertThat(japanese).containsExactlyInAnyOrderElementsOf(english);
    }

    private static java.util.List<String> keys(String block) {
        var matcher = Pattern.compile("^\\s*'([a-zA-Z0-9.]+)':", Pattern.MULTILINE).matcher(block);
        var keys = new java.util.ArrayList<String>();
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
