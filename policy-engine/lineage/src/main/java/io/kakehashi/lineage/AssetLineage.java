package io.kakehashi.lineage;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.onward.OnwardTransfer;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.MultiplicityConstraint;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The lineage of an asset this connector publishes, and the onward-transfer restrictions it inherits. An asset
 * derives from what this connector received when it declares so — its property {@value #DERIVED_FROM} names lineage
 * ids (the consumer's transfer process or remote compute job ids) — or when its data address names, as a path or a
 * {@code file:} URI, a file a transfer delivered. Each record leads to the agreement it was received under; every
 * {@code onwardTransfer} constraint in that agreement's permissions restricts who may receive the asset. Thread-safe.
 */
public final class AssetLineage {

    /** The asset property naming the lineage ids an asset derives from: one id or a list of them. */
    public static final String DERIVED_FROM = "https://w3id.org/kakehashi/lineage/derivedFrom";

    private final LineageStore store;
    private final Function<String, ContractAgreement> agreements;
    private final OperandRule<OnwardTransfer> rule;

    /**
     * @param agreements finds this connector's agreement by its id, {@code null} when there is none
     */
    public AssetLineage(LineageStore store, Function<String, ContractAgreement> agreements, OperandRule<OnwardTransfer> rule) {
        this.store = store;
        this.agreements = agreements;
        this.rule = rule;
    }

    /**
     * One restriction an asset inherits.
     *
     * @param source      the lineage record it comes through
     * @param agreementId the agreement that carries it
     * @param providerId  who provided the data under it
     * @param onward      what it allows; {@code null} with {@code malformed} when the agreement's constraint does not read
     * @param malformed   why the agreement's constraint does not read (it then allows nothing)
     */
    public record Restriction(LineageRecord source, String agreementId, String providerId, OnwardTransfer onward, String malformed) {

        /** Why {@code recipient} may not receive the asset, or empty when it may. */
        public Optional<String> refusal(String assetId, VerifiedClaims recipient) {
            var why = onward == null ? Optional.of("the agreement's onwardTransfer constraint does not read (" + malformed + ")") : onward.refusal(recipient);
            return why.map(reason -> "onwardTransfer: asset '%s' derives from %s received under agreement %s with %s: %s"
                    .formatted(assetId, source.id(), agreementId, providerId, reason));
        }

        /** Whom it allows the data to be passed on to, in words. */
        public String allows() {
            return onward == null ? "nobody (" + malformed + ")" : onward.describe();
        }

        public boolean forbidsAll() {
            return onward == null || onward.forbidden();
        }
    }

    /**
     * The lineage of an asset and what it inherits.
     *
     * @param records      what it derives from
     * @param restrictions the onward-transfer constraints of their agreements
     */
    public record Lineage(List<LineageRecord> records, List<Restriction> restrictions) {
    }

    /** The lineage of a stored asset; an id it declares that is not (or no longer) known is left out. */
    public Lineage of(Asset asset) {
        var values = asset.getDataAddress() == null ? List.<Object>of() : new ArrayList<Object>(asset.getDataAddress().getProperties().values());
        return of(declared(asset.getProperty(DERIVED_FROM)), values).orElse(failure -> of(List.of(), values).getContent());
    }

    /**
     * The lineage from declared ids and the values of a data address.
     *
     * @return a failure naming a declared id that is not a lineage record of this connector
     */
    public Result<Lineage> of(List<String> declaredIds, Collection<?> addressValues) {
        var records = new LinkedHashMap<String, LineageRecord>();
        for (var id : declaredIds) {
            var record = store.findById(id);
            if (record.isEmpty()) {
                return Result.failure("derivedFrom: '%s' is not a transfer, compute result or model this connector received".formatted(id));
            }
            records.put(id, record.get());
        }
        for (var value : addressValues) {
            path(value).ifPresent(path -> store.findByDestination(path).forEach(r -> records.putIfAbsent(r.id(), r)));
        }
        var restrictions = new ArrayList<Restriction>();
        for (var record : records.values()) {
            var agreement = agreements.apply(record.agreementId());
            if (agreement != null) {
                onwardConstraints(agreement.getPolicy()).forEach(c -> {
                    var read = rule.read(c.getOperator(), ((LiteralExpression) c.getRightExpression()).getValue());
                    restrictions.add(new Restriction(record, agreement.getId(), agreement.getProviderId(), read.succeeded() ? read.getContent() : null,
                            read.succeeded() ? null : read.getFailureDetail()));
                });
            }
        }
        return Result.success(new Lineage(List.copyOf(records.values()), restrictions));
    }

    /** The lineage ids a {@value #DERIVED_FROM} value names (one, a list, JSON-LD values, or comma-separated). */
    public static List<String> declared(Object value) {
        if (value == null) {
            return List.of();
        }
        return RightOperand.texts(value).orElse(List.of(String.valueOf(value))).stream()
                .flatMap(text -> java.util.Arrays.stream(text.split(",")))
                .map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
    }

    /** The absolute, normalised path a data address value names, as a path or a {@code file:} URI. */
    static Optional<String> path(Object value) {
        var text = RightOperand.text(value);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (text.get().startsWith("file:")) {
                return Optional.of(Path.of(URI.create(text.get())).toAbsolutePath().normalize().toString());
            }
            if (text.get().startsWith("/")) {
                return Optional.of(Path.of(text.get()).normalize().toString());
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The {@code onwardTransfer} constraints of a policy's permissions, wherever they are nested. */
    static List<AtomicConstraint> onwardConstraints(Policy policy) {
        var found = new ArrayList<AtomicConstraint>();
        if (policy != null) {
            policy.getPermissions().forEach(permission -> permission.getConstraints().forEach(c -> collect(c, found)));
        }
        return found;
    }

    private static void collect(Constraint constraint, List<AtomicConstraint> found) {
        if (constraint instanceof AtomicConstraint atomic && atomic.getLeftExpression() instanceof LiteralExpression left
                && OnwardTransfer.LEFT_OPERAND.equals(String.valueOf(left.getValue()))) {
            found.add(atomic);
        } else if (constraint instanceof MultiplicityConstraint multiple) {
            multiple.getConstraints().forEach(c -> collect(c, found));
        }
    }

    /** Reads the agreement map as a lookup, for tests. */
    static Function<String, ContractAgreement> lookup(Map<String, ContractAgreement> agreements) {
        return agreements::get;
    }
}
