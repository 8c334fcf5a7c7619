package io.kakehashi.catalog.profiles;

import org.apache.jena.riot.Lang;

/**
 * The syntaxes in which dataset metadata is accepted. JSON-LD is what the management API receives; Turtle is
 * for people writing metadata by hand and for tests. Immutable.
 */
public enum MetadataFormat {
    JSON_LD(Lang.JSONLD),
    TURTLE(Lang.TURTLE);

    private final Lang lang;

    MetadataFormat(Lang lang) {
        this.lang = lang;
    }

    Lang lang() {
        return lang;
    }
}
