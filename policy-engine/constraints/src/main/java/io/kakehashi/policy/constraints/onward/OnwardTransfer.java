package io.kakehashi.policy.constraints.onward;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an {@code onwardTransfer} constraint allows the consumer to do with the data once it holds it: pass it on to
 * nobody ({@code none}), or only to the participants it names (their DIDs), to members of the dataspaces it names
 * ({@code membership:<dataspace>}) and to recipients registered in the jurisdictions it names
 * ({@code jurisdiction:<ISO code or configured group>}); a recipient that satisfies any one of them may receive.
 * Immutable and thread-safe.
 *
 * @param forbidden     {@code none}: nobody may receive
 * @param participants  the DIDs named
 * @param dataspaces    the dataspaces whose members may receive
 * @param jurisdictions the countries and groups as written
 * @param countries     the countries they stand for
 */
public record OnwardTransfer(boolean forbidden, List<String> participants, List<String> dataspaces, List<String> jurisdictions,
                             Set<String> countries) {

    public static final String LEFT_OPERAND = KakehashiPolicy.ONWARD_TRANSFER;
    public static final String SHORT_NAME = "onwardTransfer";
    public static final String NONE = "none";
    public static final String MEMBERSHIP_PREFIX = "membership:";
    public static final String JURISDICTION_PREFIX = "jurisdiction:";
    static final List<Operator> OPERATORS = List.of(Operator.EQ, Operator.IS_ANY_OF);

    // did:<method>:<method-specific id> (W3C DID syntax, without the path, query and fragment a participant's DID has no use for)
    private static final Pattern DID = Pattern.compile("did:[a-z0-9]+:[A-Za-z0-9._%:-]*[A-Za-z0-9._%-]");
    private static final Pattern DATASPACE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,127}");

    public OnwardTransfer {
        participants = List.copyOf(participants);
        dataspaces = List.copyOf(dataspaces);
        jurisdictions = List.copyOf(jurisdictions);
        countries = Set.copyOf(countries);
    }

    /** The operand's rule with the configured jurisdiction groups. */
    public static OperandRule<OnwardTransfer> rule(JurisdictionGroups groups) {
        return new OperandRule<>(LEFT_OPERAND, SHORT_NAME, OPERATORS, (operator, rightValue) -> parse(groups, operator, rightValue));
    }

    /** Reads a right operand: {@code eq} takes one value, {@code isAnyOf} a list (or one). */
    public static Result<OnwardTransfer> parse(JurisdictionGroups groups, Operator operator, Object rightValue) {
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty() || texts.get().isEmpty()) {
            return Result.failure("onwardTransfer: '%s' is not 'none', a DID, 'membership:<dataspace>', 'jurisdiction:<country or group>' or a list of them"
                    .formatted(rightValue));
        }
        var values = texts.get().stream().map(String::trim).toList();
        if (operator == Operator.EQ && values.size() != 1) {
            return Result.failure("onwardTransfer: 'eq' takes one value, not %s; use 'isAnyOf' for a list".formatted(values));
        }
        if (values.contains(NONE)) {
            return values.size() == 1
                    ? Result.success(new OnwardTransfer(true, List.of(), List.of(), List.of(), Set.of()))
                    : Result.failure("onwardTransfer: 'none' cannot be combined with other recipients %s".formatted(values));
        }
        var participants = new ArrayList<String>();
        var dataspaces = new ArrayList<String>();
        var jurisdictions = new ArrayList<String>();
        var countries = new LinkedHashSet<String>();
        for (var value : values) {
            if (value.startsWith(MEMBERSHIP_PREFIX)) {
                var name = value.substring(MEMBERSHIP_PREFIX.length()).trim();
                if (!DATASPACE.matcher(name).matches()) {
                    return Result.failure("onwardTransfer: '%s' does not name a dataspace after 'membership:'".formatted(value));
                }
                dataspaces.add(name);
            } else if (value.startsWith(JURISDICTION_PREFIX)) {
                var name = value.substring(JURISDICTION_PREFIX.length()).trim();
                var resolved = groups.countries(name);
                if (resolved.isEmpty()) {
                    return Result.failure("onwardTransfer: '%s' is neither an ISO 3166-1 alpha-2 country code nor a configured group %s"
                            .formatted(name, groups.names()));
                }
                jurisdictions.add(name);
                countries.addAll(resolved.get());
            } else if (value.startsWith("did:")) {
                if (!DID.matcher(value).matches()) {
                    return Result.failure("onwardTransfer: '%s' is not a well-formed DID".formatted(value));
                }
                participants.add(value);
            } else {
                return Result.failure("onwardTransfer: '%s' is not 'none', a DID, 'membership:<dataspace>' or 'jurisdiction:<country or group>'"
                        .formatted(value));
            }
        }
        return Result.success(new OnwardTransfer(false, participants, dataspaces, jurisdictions, countries));
    }

    /** Why the recipient may not receive the data, or empty when it may. */
    public Optional<String> refusal(VerifiedClaims recipient) {
        if (forbidden) {
            return Optional.of("the data may not be passed on to anyone");
        }
        if (participants.contains(recipient.participantId())
                || dataspaces.stream().anyMatch(recipient.memberships()::contains)
                || recipient.countryOfRegistration().filter(countries::contains).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("'%s' is not among the recipients it may be passed on to (%s)".formatted(recipient.participantId(), describe()));
    }

    /** Whom the data may be passed on to, in words. */
    public String describe() {
        if (forbidden) {
            return "nobody";
        }
        var parts = new ArrayList<String>();
        if (!participants.isEmpty()) {
            parts.add("participants " + String.join(", ", participants));
        }
        if (!dataspaces.isEmpty()) {
            parts.add("members of " + String.join(", ", dataspaces));
        }
        if (!jurisdictions.isEmpty()) {
            parts.add("recipients registered in " + String.join(", ", jurisdictions));
        }
        return String.join("; ", parts);
    }
}
