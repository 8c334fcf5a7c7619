package io.kakehashi.ai.sql;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The output guard of {@code ai.minAggregation = k}: a result may only report aggregates over groups of at least k
 * source rows. It does not trust the query to say so; it makes the engine count.
 *
 * <ol>
 * <li>{@link #rewrite} takes DuckDB's own syntax tree of the query and admits only the shape of a grouped aggregate
 * over the asset: one {@code SELECT} from {@code asset} (no join, subquery, set operation, CTE, window, QUALIFY,
 * sample or DISTINCT), whose aggregate functions are among {@link #ALLOWED_AGGREGATES} (no {@code min}, {@code max},
 * {@code list}, {@code first}, {@code quantile}…: they return one row's value), without {@code FILTER} or
 * {@code DISTINCT} (but in {@code count}), and whose
 * arguments are plain columns (no {@code CASE} that singles a row out inside a large group). It then appends to the
 * select list {@code count(*)} and {@code count(c)} for every column c an aggregate reads.</li>
 * <li>The engine runs the rewritten tree, so each output row carries the number of source rows of its own group
 * (after {@code WHERE}) and the number of non-null values each aggregate saw, computed by the engine over exactly
 * the rows that made the row.</li>
 * <li>{@link #check} refuses the whole result when any row's {@code count(*)} is below k, or any {@code count(c)} is
 * between 1 and k−1 (an average over one non-null salary in a group of ten is that salary), and strips the added
 * columns.</li>
 * </ol>
 * Raw rows ({@code SELECT *}, {@code LIMIT 1}) have no aggregate and are refused; {@code GROUP BY} a unique key makes
 * groups of one and is refused by the count; {@code HAVING count(*) < k} only selects the rows the count then refuses.
 * Stateless and thread-safe.
 */
final class AggregateOutputGuard {

    /** Aggregates whose value over a group of k rows does not reveal one row's value. */
    static final Set<String> ALLOWED_AGGREGATES = Set.of("count", "count_star", "sum", "avg", "mean", "stddev", "stddev_samp",
            "stddev_pop", "variance", "var_samp", "var_pop", "corr", "covar_samp", "covar_pop");

    private static final Set<String> ALLOWED_MODIFIERS = Set.of("ORDER_MODIFIER", "LIMIT_MODIFIER");

    /** A checked and rewritten query: its tree and how many count columns were appended. */
    record Rewritten(JsonObject statement, int addedColumns) {
    }

    private AggregateOutputGuard() {
    }

    static Result<Rewritten> rewrite(JsonObject statement, Set<String> aggregateFunctions, long k) {
        var node = statement.getJsonObject("node");
        if (!"SELECT_NODE".equals(JsonTree.text(node, "type"))) {
            return refuse(k, "set operations (UNION, EXCEPT, INTERSECT) are not allowed");
        }
        if (node.get("cte_map") instanceof JsonObject cte && cte.get("map") instanceof JsonArray map && !map.isEmpty()) {
            return refuse(k, "common table expressions (WITH) are not allowed");
        }
        var from = node.getJsonObject("from_table");
        if (!"BASE_TABLE".equals(JsonTree.text(from, "type")) || !AssetOnlyCheck.ASSET_TABLE.equalsIgnoreCase(JsonTree.text(from, "table_name"))) {
            return refuse(k, "the query must read the table 'asset' alone (no join, subquery or table function)");
        }
        if (isSet(from, "sample") || isSet(node, "sample")) {
            return refuse(k, "TABLESAMPLE is not allowed");
        }
        if (isSet(node, "qualify")) {
            return refuse(k, "QUALIFY is not allowed");
        }
        for (var modifier : node.getJsonArray("modifiers")) {
            if (!ALLOWED_MODIFIERS.contains(JsonTree.text(modifier.asJsonObject(), "type"))) {
                return refuse(k, "SELECT DISTINCT is not allowed; group instead");
            }
        }
        var problems = new ArrayList<String>();
        var aggregatedColumns = new LinkedHashMap<String, JsonObject>();
        var aggregates = new int[1];
        JsonTree.forEachObject(node, expression -> {
            var kind = JsonTree.text(expression, "class");
            if (kind.equals("WINDOW")) {
                problems.add("window functions are not allowed");
            } else if (kind.equals("SUBQUERY") || JsonTree.text(expression, "type").equals("SUBQUERY")) {
                problems.add("subqueries are not allowed");
            } else if (kind.equals("FUNCTION")) {
                var name = JsonTree.text(expression, "function_name").toLowerCase(Locale.ROOT);
                if (aggregateFunctions.contains(name)) {
                    aggregates[0]++;
                    if (!ALLOWED_AGGREGATES.contains(name)) {
                        problems.add("the aggregate '%s' can return a single row's value; allowed are %s".formatted(name, new java.util.TreeSet<>(ALLOWED_AGGREGATES)));
                    }
                    if (expression.getBoolean("distinct", false) && !name.equals("count")) {
                        // sum(DISTINCT x) over k rows where k−1 share a value gives away the odd one out
                        problems.add("DISTINCT is allowed only in count(DISTINCT …)");
                    }
                    if (isSet(expression, "filter")) {
                        problems.add("FILTER on an aggregate is not allowed");
                    }
                    if (expression.get("order_bys") instanceof JsonObject orders && !orders.getJsonArray("orders").isEmpty()) {
                        problems.add("ORDER BY inside an aggregate is not allowed");
                    }
                    for (var argument : expression.getJsonArray("children")) {
                        var column = plainColumn(argument.asJsonObject());
                        if (column == null) {
                            problems.add("the argument of '%s' must be a column (an expression could single out a row)".formatted(name));
                        } else {
                            aggregatedColumns.putIfAbsent(column.getJsonArray("column_names").toString(), column);
                        }
                    }
                }
            }
        });
        if (!problems.isEmpty()) {
            return refuse(k, problems.get(0));
        }
        if (aggregates[0] == 0) {
            return refuse(k, "the query returns raw rows; only aggregates (count, sum, avg, …) over groups may leave");
        }
        var selectList = Json.createArrayBuilder(node.getJsonArray("select_list"));
        selectList.add(countStar());
        aggregatedColumns.values().forEach(column -> selectList.add(count(column)));
        var rewrittenNode = Json.createObjectBuilder(node).add("select_list", selectList).build();
        var rewritten = Json.createObjectBuilder(statement).add("node", rewrittenNode).build();
        return Result.success(new Rewritten(rewritten, 1 + aggregatedColumns.size()));
    }

    /**
     * Checks the engine's counts at the end of each row and strips them. Refuses the whole result, with the reason,
     * when a group is smaller than k.
     */
    static Result<List<List<Object>>> check(List<List<Object>> rows, int addedColumns, long k) {
        var kept = new ArrayList<List<Object>>(rows.size());
        for (var row : rows) {
            var first = row.size() - addedColumns;
            var groupRows = ((Number) row.get(first)).longValue();
            if (groupRows < k) {
                return refuse(k, "a result row reports a group of %d source rows".formatted(groupRows));
            }
            for (var i = first + 1; i < row.size(); i++) {
                var values = ((Number) row.get(i)).longValue();
                if (values > 0 && values < k) {
                    return refuse(k, "a result row aggregates %d non-null values of a column".formatted(values));
                }
            }
            kept.add(new ArrayList<>(row.subList(0, first)));
        }
        return Result.success(kept);
    }

    private static <T> Result<T> refuse(long k, String why) {
        return Result.failure("output guard (ai.minAggregation = %d): %s".formatted(k, why));
    }

    private static boolean isSet(JsonObject object, String key) {
        var value = object.get(key);
        return value != null && value.getValueType() != JsonValue.ValueType.NULL;
    }

    /** The column an aggregate reads, when its argument is a column or a cast of one; null otherwise. */
    private static JsonObject plainColumn(JsonObject argument) {
        if ("COLUMN_REF".equals(JsonTree.text(argument, "class"))) {
            return argument;
        }
        if ("CAST".equals(JsonTree.text(argument, "class")) && argument.get("child") instanceof JsonObject child
                && "COLUMN_REF".equals(JsonTree.text(child, "class"))) {
            return child;
        }
        return null;
    }

    private static JsonObject countStar() {
        return function("count_star", Json.createArrayBuilder().build());
    }

    private static JsonObject count(JsonObject column) {
        var plain = Json.createObjectBuilder(column).add("alias", "").build();
        return function("count", Json.createArrayBuilder().add(plain).build());
    }

    private static JsonObject function(String name, JsonArray children) {
        return Json.createObjectBuilder()
                .add("class", "FUNCTION").add("type", "FUNCTION").add("alias", "").add("query_location", 0)
                .add("function_name", name).add("schema", "").add("children", children).addNull("filter")
                .add("order_bys", Json.createObjectBuilder().add("type", "ORDER_MODIFIER").add("orders", Json.createArrayBuilder()))
                .add("distinct", false).add("is_operator", false).add("export_state", false).add("catalog", "")
                .build();
    }
}
