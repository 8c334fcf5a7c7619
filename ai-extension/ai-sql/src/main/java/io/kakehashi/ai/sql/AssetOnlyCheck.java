package io.kakehashi.ai.sql;

import jakarta.json.JsonObject;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a query that names anything but the job's asset: every table it reads must be the table {@code asset} (or
 * a common table expression the query defines), and the only table functions are generators that read nothing
 * ({@code range}, {@code generate_series}, {@code unnest}) — no {@code read_csv}, {@code read_parquet}, {@code glob},
 * {@code duckdb_settings()} or a table of another database. The engine is locked down as well
 * ({@code enable_external_access=false}); this check gives a clear reason before anything runs. Thread-safe.
 */
final class AssetOnlyCheck {

    static final String ASSET_TABLE = "asset";
    private static final Set<String> GENERATORS = Set.of("range", "generate_series", "unnest");

    private AssetOnlyCheck() {
    }

    static Result<Void> check(JsonObject statement) {
        var cteNames = new HashSet<String>();
        JsonTree.forEachObject(statement, node -> {
            var map = node.get("cte_map");
            if (map instanceof JsonObject cteMap && cteMap.get("map") instanceof jakarta.json.JsonArray entries) {
                entries.forEach(entry -> {
                    if (entry instanceof JsonObject e) {
                        cteNames.add(JsonTree.text(e, "key").toLowerCase(Locale.ROOT));
                    }
                });
            }
        });
        var problems = new ArrayList<String>();
        JsonTree.forEachObject(statement, node -> {
            var type = JsonTree.text(node, "type");
            if (type.equals("BASE_TABLE")) {
                var name = JsonTree.text(node, "table_name").toLowerCase(Locale.ROOT);
                var qualified = !JsonTree.text(node, "schema_name").isEmpty() || !JsonTree.text(node, "catalog_name").isEmpty();
                if (qualified || !(name.equals(ASSET_TABLE) || cteNames.contains(name))) {
                    problems.add("the query may read only the table 'asset', not '%s'".formatted(qualifiedName(node)));
                }
                if (node.get("at_clause") instanceof JsonObject) {
                    problems.add("the query may not read another version of the table (AT clause)");
                }
            } else if (type.equals("TABLE_FUNCTION")) {
                var function = node.get("function") instanceof JsonObject f ? JsonTree.text(f, "function_name").toLowerCase(Locale.ROOT) : "";
                if (!GENERATORS.contains(function)) {
                    problems.add("the query may not call the table function '%s' (it reads no files, settings or other databases)".formatted(function));
                }
            }
        });
        return problems.isEmpty() ? Result.success() : Result.failure(problems.get(0));
    }

    private static String qualifiedName(JsonObject node) {
        var parts = new ArrayList<String>();
        for (var key : new String[]{"catalog_name", "schema_name", "table_name"}) {
            var part = JsonTree.text(node, key);
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return String.join(".", parts);
    }
}
