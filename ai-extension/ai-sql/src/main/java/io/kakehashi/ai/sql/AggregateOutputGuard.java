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
import java.util.Optional;
import java.util.Set;

/**
 * The output guard of {@code ai.minAggregation = k}: a result may only report aggregates over groups of at least k
 * source rows — or, when the asset holds personal data and names its data-subject column, of at least k distinct data
 * subjects. It does not trust the query to say so; it makes the engine count.
 *
 * <ol>
 * <li>{@link #rewrite} takes DuckDB's own syntax tree of the query and admits only the shape of a grouped aggregate
 * over the asset: one {@code SELECT} from {@code asset} (no join, subquery, set operation, CTE, window, QUALIFY,
 * sample or DISTINCT), whose aggregate functions are among {@link #ALLOWED_AGGREGATES} (no {@code min}, {@code max},
 * {@code list}, {@code first}, {@code quantile}…: they return one row's value), without {@code FILTER} or
 * {@code DISTINCT} (but in {@code count}), and whose
 * arguments are plain columns (no {@code CASE} that singles a row out inside a large group). It then appends to the
 * select list the group's size and, for every column c an aggregate reads, how much of the group c's non-null values
 * cover: {@code count(*)} and {@code count(c)} counting rows; with a subject column s,
 * {@code count(DISTINCT s)} and {@code count(DISTINCT s) FILTER (WHERE c IS NOT NULL)}.</li>
 * <li>The engine runs the rewritten tree, so each output row carries these counts for its own group (after
 * {@code WHERE}), computed by the engine over exactly the rows that made the row.</li>
 * <li>{@link #check} refuses the whole result when any row's group size is below k, or any column count is between 1
 * and k−1 (an average over one non-null salary in a group of ten is that salary; an average over ten fares of one
 * passenger is that passenger's), and strips the added columns.</li>
 * </ol>
 * Raw rows ({@code SELECT *}, {@code LIMIT 1}) have no aggregate and are refused; {@code GROUP BY} a unique key — or
 * the subject column — makes groups of one and is refused by the count; {@code HAVING count(*) < k} only selects the
 * rows the count then refuses. Over personal data, an aggregate of the subject column other than {@code count} is
 * refused (a sum of identifiers gives away the one a consumer does not already know), and renaming the asset's columns
 * in {@code FROM} is refused (it would make the guard count another column). Stateless and thread-safe.
 */
final class AggregateOutputGuard {

    /** Aggregates whose value over a group of k rows does not reveal one row's value. */
    static final Set<String> ALLOWED_AGGREGATES = Set.of("count", "count_star", "sum", "avg", "mean", "stddev", "stddev_samp",
            "stddev_pop", "variance", "var_samp", "var_pop", "corr", "covar_samp", "covar_pop");

    private static final Set<String> ALLOWED_MODIFIERS = Set.of("ORDER_MODIFIER", "LIMIT_MODIFIER");

    /** Aggregates that may read the subject column of personal data: they say how many, never who. */
    private static final Set<String> SUBJECT_AGGREGATES = Set.of("count", "count_star");

    /**
     * A checked and rewritten query: its tree, how many count columns were appended, and the subject column they
     * count (null when they count rows).
     */
    record Rewritten(JsonObject statement, int addedColumns, String subjectColumn) {
    }

    private AggregateOutputGuard() {
    }

    /**
     * Checks the query's shape and appends the counts {@link #check} reads.
     *
     * @param subjectColumn the asset's data-subject column, empty for an asset without personal data (rows are counted)
     */
    static Result<Rewritten> rewrite(JsonObject statement, Set<String> aggregateFunctions, long k, Optional<String> subjectColumn) {
        var subject = subjectColumn.orElse(null);
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
        if (subject != null && from.get("column_name_alias") instanceof JsonArray renamed && !renamed.isEmpty()) {
            // asset t(a, b, …) renames columns by position: another column could be named like the subject column
            return refuse(k, "the asset holds personal data; its columns may not be renamed in FROM");
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
                        } else if (subject != null && !SUBJECT_AGGREGATES.contains(name) && names(column, subject)) {
                            problems.add("the aggregate '%s' reads the data-subject column '%s'; only count may".formatted(name, subject));
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
        if (subject == null) {
            selectList.add(countStar());
            aggregatedColumns.values().forEach(column -> selectList.add(count(column)));
        } else {
            var subjectRef = columnRef(subject);
            selectList.add(countDistinct(subjectRef, null));
            aggregatedColumns.values().forEach(column -> selectList.add(countDistinct(subjectRef, column)));
        }
        var rewrittenNode = Json.createObjectBuilder(node).add("select_list", selectList).build();
        var rewritten = Json.createObjectBuilder(statement).add("node", rewrittenNode).build();
        return Result.success(new Rewritten(rewritten, 1 + aggregatedColumns.size(), subject));
    }

    /**
     * Checks the engine's counts at the end of each row and strips them. Refuses the whole result, with the reason,
     * when a group is smaller than k.
     */
    static Result<List<List<Object>>> check(List<List<Object>> rows, Rewritten rewritten, long k) {
        var addedColumns = rewritten.addedColumns();
        var subject = rewritten.subjectColumn();
        var kept = new ArrayList<List<Object>>(rows.size());
        for (var row : rows) {
            var first = row.size() - addedColumns;
            var group = ((Number) row.get(first)).longValue();
            if (group < k) {
                return refuse(k, subject == null ? "a result row reports a group of %d source rows".formatted(group)
                        : "a group covers %s (%s); ai.minAggregation requires at least %d".formatted(subjects(group), subject, k));
            }
            for (var i = first + 1; i < row.size(); i++) {
                var values = ((Number) row.get(i)).longValue();
                if (values > 0 && values < k) {
                    return refuse(k, subject == null ? "a result row aggregates %d non-null values of a column".formatted(values)
                            : "a result row aggregates the non-null values of a column of %s (%s); ai.minAggregation requires at least %d"
                            .formatted(subjects(values), subject, k));
                }
            }
            kept.add(new ArrayList<>(row.subList(0, first)));
        }
        return Result.success(kept);
    }

    private static String subjects(long count) {
        return count == 1 ? "1 data subject" : count + " data subjects";
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

    /** Whether a column reference names the subject column (its last part; DuckDB's identifiers ignore case). */
    private static boolean names(JsonObject column, String subject) {
        var parts = column.getJsonArray("column_names");
        return !parts.isEmpty() && parts.getString(parts.size() - 1).equalsIgnoreCase(subject);
    }

    private static JsonObject columnRef(String name) {
        return Json.createObjectBuilder()
                .add("class", "COLUMN_REF").add("type", "COLUMN_REF").add("alias", "").add("query_location", 0)
                .add("column_names", Json.createArrayBuilder().add(name))
                .build();
    }

    /** {@code count(DISTINCT subject)}, with {@code FILTER (WHERE column IS NOT NULL)} when a column is given. */
    private static JsonObject countDistinct(JsonObject subject, JsonObject nonNull) {
        var count = Json.createObjectBuilder(function("count", Json.createArrayBuilder().add(subject).build())).add("distinct", true);
        if (nonNull != null) {
            var plain = Json.createObjectBuilder(nonNull).add("alias", "").build();
            count.add("filter", Json.createObjectBuilder()
                    .add("class", "OPERATOR").add("type", "OPERATOR_IS_NOT_NULL").add("alias", "").add("query_location", 0)
                    .add("children", Json.createArrayBuilder().add(plain)));
        }
        return count.build();
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
