package io.kakehashi.catalog.profiles;

import java.util.Objects;

/**
 * A concept label and its language tag ({@code ja} or {@code en}). Immutable.
 *
 * @param text     the label as written in the vocabulary
 * @param language the BCP 47 language tag, lower case
 */
public record Label(String text, String language) {
    public Label {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(language, "language");
    }
}
