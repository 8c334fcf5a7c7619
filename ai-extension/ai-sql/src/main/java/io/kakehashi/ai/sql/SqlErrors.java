package io.kakehashi.ai.sql;

import java.sql.SQLException;
import java.util.List;

/**
 * What of an engine error may be told to the consumer. Errors about the query itself (parser, binder, catalog) name
 * only the query's text and the asset's columns and are passed on; any other error (a conversion, a constraint) may
 * quote a value from the data, so only its kind is passed on.
 */
final class SqlErrors {

    private static final List<String> ABOUT_THE_QUERY = List.of("Parser Error", "Binder Error", "Catalog Error", "Not implemented Error",
            "Permission Error");

    private SqlErrors() {
    }

    static String describe(SQLException e) {
        var message = String.valueOf(e.getMessage()).strip();
        // the JDBC driver wraps a failed pending result: "Invalid Input Error: Attempting to execute … \nError: <the error>"
        var wrapped = message.indexOf("\nError: ");
        if (wrapped >= 0) {
            message = message.substring(wrapped + "\nError: ".length()).strip();
        }
        for (var kind : ABOUT_THE_QUERY) {
            if (message.startsWith(kind)) {
                // the first line is the error; the rest is a caret under the query text
                return message.lines().findFirst().orElse(message);
            }
        }
        if (message.startsWith("Out of Memory Error")) {
            return "Out of Memory Error";
        }
        var colon = message.indexOf(':');
        return colon > 0 && colon < 40 ? message.substring(0, colon) : "the engine refused the query";
    }
}
