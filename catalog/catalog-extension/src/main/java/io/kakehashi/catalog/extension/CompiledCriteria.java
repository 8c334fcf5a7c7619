package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.extension.OrderedAssetIndex.IndexedAsset;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A conjunction of EDC {@link Criterion}s (a contract definition's asset selector, a catalog request's filter) made
 * ready to test against {@link IndexedAsset}s, with EDC's semantics: the operator is EDC's own (from its
 * {@link CriterionOperatorRegistry}), and the left operand is looked up as EDC's asset property lookup does — public
 * properties, then private ones, then the asset's fields — but straight from the entry's maps instead of by
 * reflection. An empty list matches every asset.
 * <p>
 * A criterion whose left operand is a path into a structured value, an array index, or a property the entry left out
 * is decided on the full asset (fetched only then) with EDC's predicate. Thread-safe (immutable).
 */
final class CompiledCriteria {

    private static final Object ABSENT = new Object();
    private static final Object UNDECIDED = new Object();
    private static final String VALUE = "value";
    private static final Set<String> ASSET_FIELDS = assetFields();

    private final List<Compiled> criteria;

    private CompiledCriteria(List<Compiled> criteria) {
        this.criteria = criteria;
    }

    /**
     * Compiles the criteria, or fails (naming the criterion) if one uses an operator EDC's registry does not know or a
     * left operand that is not a property name.
     */
    static Result<CompiledCriteria> compile(List<Criterion> criteria, CriterionOperatorRegistry registry) {
        var compiled = new ArrayList<Compiled>();
        for (var criterion : criteria) {
            if (!(criterion.getOperandLeft() instanceof String left) || left.isEmpty()) {
                return Result.failure("criterion %s: the left operand is not a property name".formatted(criterion));
            }
            if (criterion.getOperator() == null || !registry.isSupported(criterion.getOperator())) {
                return Result.failure("criterion %s: operator not supported".formatted(criterion));
            }
            Predicate<Object> onAsset = registry.toPredicate(criterion);
            Predicate<Object> onValue = registry.toPredicate(new Criterion(VALUE, criterion.getOperator(), criterion.getOperandRight()));
            compiled.add(new Compiled(criterion, left, onAsset, onValue));
        }
        return Result.success(new CompiledCriteria(List.copyOf(compiled)));
    }

    boolean isEmpty() {
        return criteria.isEmpty();
    }

    /**
     * Whether the asset satisfies every criterion.
     *
     * @param fullAsset the asset as EDC's index holds it, asked for only if the entry cannot decide
     */
    boolean test(IndexedAsset entry, Supplier<Asset> fullAsset) {
        for (var criterion : criteria) {
            var value = criterion.lookUp(entry);
            boolean matches;
            if (value == UNDECIDED) {
                var asset = fullAsset.get();
                matches = asset != null && criterion.onAsset.test(asset);
            } else {
                matches = value != ABSENT && criterion.test(value);
            }
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    /** EDC's predicates on the full asset, for a page's own assets. */
    boolean test(Asset asset) {
        return criteria.stream().allMatch(c -> c.onAsset.test(asset));
    }

    private record Compiled(Criterion criterion, String left, Predicate<Object> onAsset, Predicate<Object> onValue) {

        // '=' on two strings or two numbers and 'in' are EDC's default operators decided without its registry's
        // per-call property lookup (the same comparisons as EqualOperatorPredicate and InOperatorPredicate); the rest
        // goes through the registry with the value as the property
        boolean test(Object value) {
            var operator = criterion.getOperator();
            var right = criterion.getOperandRight();
            if ("=".equals(operator)) {
                if (value instanceof String text && right instanceof String expected) {
                    return text.equals(expected);
                }
                if (value instanceof Number number && right instanceof Number expected) {
                    return Double.compare(number.doubleValue(), expected.doubleValue()) == 0;
                }
            } else if ("in".equalsIgnoreCase(operator) && right instanceof Iterable<?> candidates) {
                for (var candidate : candidates) {
                    if (candidate != null && candidate.equals(value)) {
                        return true;
                    }
                }
                return false;
            }
            return onValue.test(Map.of(VALUE, value));
        }

        Object lookUp(IndexedAsset entry) {
            String key;
            String first;
            if (left.indexOf('[') >= 0) {
                return UNDECIDED;
            }
            if (left.length() > 2 && left.startsWith("'") && left.endsWith("'") && left.indexOf('\'', 1) == left.length() - 1) {
                // one quoted name: EDC reads it as a single key
                key = left.substring(1, left.length() - 1);
                first = key;
            } else if (left.indexOf('\'') >= 0) {
                return UNDECIDED;
            } else {
                key = left;
                var dot = left.indexOf('.');
                first = dot < 0 ? left : left.substring(0, dot);
                if (dot >= 0 && (entry.properties().containsKey(first) || entry.privateProperties().containsKey(first)
                        || entry.leftOut().contains(first))) {
                    // EDC would first follow the path into that property's value
                    return UNDECIDED;
                }
            }
            if (entry.leftOut().contains(key)) {
                return UNDECIDED;
            }
            var value = entry.properties().get(key);
            if (value == null) {
                value = entry.privateProperties().get(key);
            }
            if (value != null) {
                return value;
            }
            // EDC falls back to the asset's fields by reflection
            if (!ASSET_FIELDS.contains(first)) {
                return ABSENT;
            }
            if (key.equals("id")) {
                return entry.id();
            }
            if (key.equals("participantContextId")) {
                return entry.participantContextId() == null ? ABSENT : entry.participantContextId();
            }
            return UNDECIDED;
        }
    }

    private static Set<String> assetFields() {
        var names = new HashSet<String>();
        for (Class<?> type = Asset.class; type != null && type != Object.class; type = type.getSuperclass()) {
            for (var field : type.getDeclaredFields()) {
                names.add(field.getName());
            }
        }
        return Set.copyOf(names);
    }
}
