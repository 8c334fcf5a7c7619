package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a stored line that is exactly in the form the stores write ({@link DecisionJson#storedLine(StoredDecision)}:
 * RFC 8785 canonical JSON, members in code-point order, no whitespace, the shortest escapes) straight from its UTF-8
 * bytes, in one pass, without a tree.
 *
 * <p>Anything else gives null: a line in another but equivalent form (whitespace, members in another order, other
 * escapes, a number written {@code 1.0}), a malformed line, an entry the model refuses (unknown scope, outcome or
 * member, a time not in its canonical form, a bad digest), invalid UTF-8. The caller then reads the line with the strict
 * tree parse ({@link DecisionJson#stored(String)}), which accepts the equivalent form or says what is wrong. So every line
 * this accepts is one the tree parse accepts too, read into the same entry; and since the text it accepted is the
 * entry's canonical JSON, the verifier may hash that text as it stands.
 *
 * <p>Stateless and thread-safe.
 */
final class CanonicalStoredLine {

    /**
     * The stored entry read from the line, and where the entry's canonical JSON ({@code {...}}) sits in the bytes
     * ({@code entryStart} inclusive, {@code entryEnd} exclusive).
     */
    record Parsed(StoredDecision stored, int entryStart, int entryEnd) {
    }

    // the entry's members in code-point order, the only order the canonical form has
    private static final String[] MEMBERS = {"agreementId", "assetId", "claimsDigest", "counterpartyId", "counterpartyLegalId", "digests",
            "localAgreementId", "negotiationId", "outcome", "policyHash", "policyId", "reasons", "scope", "time", "transferId"};
    private static final int AGREEMENT_ID = 0;
    private static final int ASSET_ID = 1;
    private static final int CLAIMS_DIGEST = 2;
    private static final int COUNTERPARTY_ID = 3;
    private static final int COUNTERPARTY_LEGAL_ID = 4;
    private static final int DIGESTS = 5;
    private static final int LOCAL_AGREEMENT_ID = 6;
    private static final int NEGOTIATION_ID = 7;
    private static final int OUTCOME = 8;
    private static final int POLICY_HASH = 9;
    private static final int POLICY_ID = 10;
    private static final int REASONS = 11;
    private static final int SCOPE = 12;
    private static final int TIME = 13;
    private static final int TRANSFER_ID = 14;
    private static final byte[][] MEMBER_BYTES = Arrays.stream(MEMBERS).map(name -> ascii(name + "\":")).toArray(byte[][]::new);
    private static final byte[] ENTRY = ascii("{\"entry\":{");
    private static final byte[] HASH = ascii(",\"hash\":");
    private static final byte[] PREVIOUS_HASH = ascii(",\"previousHash\":");
    private static final byte[] SEQUENCE = ascii(",\"sequence\":");
    private static final byte[] CONSTRAINT = ascii("{\"constraint\":");
    private static final byte[] REASON_OUTCOME = ascii(",\"outcome\":");
    private static final byte[] REASON = ascii(",\"reason\":");
    private static final DecisionScope[] SCOPES = DecisionScope.values();
    // thrown (without a stack trace) as soon as the line leaves the canonical form; caught in parse
    private static final NotCanonical NOT_CANONICAL = new NotCanonical();

    private CanonicalStoredLine() {
    }

    /**
     * The stored entry of the line {@code bytes[start, end)} (without its newline), or null when the line is not
     * exactly in the canonical stored form or its entry is not one the model accepts.
     */
    static Parsed parse(byte[] bytes, int start, int end) {
        try {
            return new Reader(bytes, start, end).stored();
        } catch (NotCanonical | IllegalArgumentException | NullPointerException | DateTimeException | IndexOutOfBoundsException e) {
            // IndexOutOfBounds cannot happen (every read is checked against end); caught so that it could only ever send the
            // line to the strict parse
            return null;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class NotCanonical extends RuntimeException {
        NotCanonical() {
            super("not in the canonical stored form", null, false, false);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int position;

        Reader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        Parsed stored() {
            expect(ENTRY);
            var entryStart = position - 1;
            var values = new String[MEMBERS.length];
            TreeMap<String, String> digests = null;
            List<ConstraintReason> reasons = null;
            if (!(position < end && bytes[position] == '}')) {
                var next = 0;
                do {
                    expect('"');
                    var member = member(next);
                    next = member + 1;
                    if (member == DIGESTS) {
                        digests = digests();
                    } else if (member == REASONS) {
                        reasons = reasons();
                    } else {
                        values[member] = string();
                    }
                } while (accept(','));
            }
            expect('}');
            var entryEnd = position;
            expect(HASH);
            var hash = string();
            expect(PREVIOUS_HASH);
            var previousHash = string();
            expect(SEQUENCE);
            var sequence = integer();
            expect('}');
            if (position != end || values[COUNTERPARTY_ID] == null || values[OUTCOME] == null || reasons == null || values[SCOPE] == null
                    || values[TIME] == null) {
                throw NOT_CANONICAL;
            }
            var entry = DecisionEntry.builder()
                    .time(time(values[TIME]))
                    .scope(scope(values[SCOPE]))
                    .counterpartyId(values[COUNTERPARTY_ID])
                    .counterpartyLegalId(values[COUNTERPARTY_LEGAL_ID])
                    .negotiationId(values[NEGOTIATION_ID])
                    .agreementId(values[AGREEMENT_ID])
                    .localAgreementId(values[LOCAL_AGREEMENT_ID])
                    .transferId(values[TRANSFER_ID])
                    .assetId(values[ASSET_ID])
                    .policyId(values[POLICY_ID])
                    .policyHash(values[POLICY_HASH])
                    .claimsDigest(values[CLAIMS_DIGEST])
                    .outcome(DecisionOutcome.valueOf(values[OUTCOME]))
                    .reasons(reasons)
                    .digests(digests)
                    .build();
            return new Parsed(new StoredDecision(sequence, previousHash, hash, entry), entryStart, entryEnd);
        }

        /**
         * The index of the member whose name (and {@code ":}) follows, at {@code from} or after it in code-point order:
         * so the members are known, none twice, and in order.
         */
        private int member(int from) {
            for (int i = from; i < MEMBER_BYTES.length; i++) {
                var name = MEMBER_BYTES[i];
                if (Arrays.equals(bytes, position, Math.min(end, position + name.length), name, 0, name.length)) {
                    position += name.length;
                    return i;
                }
            }
            throw NOT_CANONICAL;
        }

        private TreeMap<String, String> digests() {
            var digests = new TreeMap<String, String>();
            expect('{');
            String previous = null;
            do {
                var name = string();
                if (previous != null && name.compareTo(previous) <= 0) {
                    throw NOT_CANONICAL;
                }
                expect(':');
                digests.put(name, string());
                previous = name;
            } while (accept(','));
            expect('}');
            return digests;
        }

        private List<ConstraintReason> reasons() {
            var reasons = new ArrayList<ConstraintReason>(2);
            expect('[');
            if (accept(']')) {
                return reasons;
            }
            do {
                expect(CONSTRAINT);
                var constraint = string();
                expect(REASON_OUTCOME);
                var outcome = DecisionOutcome.valueOf(string());
                expect(REASON);
                reasons.add(new ConstraintReason(constraint, outcome, string()));
                expect('}');
            } while (accept(','));
            expect(']');
            return reasons;
        }

        /**
         * A string in its RFC 8785 form: no raw control character, only the escapes JCS writes ({@code \"}, {@code \\},
         * {@code \b \f \n \r \t}, and for the other controls a backslash, {@code u00} and two lowercase hex digits), valid UTF-8.
         */
        private String string() {
            expect('"');
            var start = position;
            var ascii = true;
            while (true) {
                var c = next();
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    return escaped(start, ascii);
                }
                if (c < 0x20) {
                    throw NOT_CANONICAL;
                }
                ascii &= c < 0x80;
            }
            return decode(bytes, start, position - 1, ascii);
        }

        /** The rest of {@link #string()} from its first escape on, unescaped into a copy. */
        private String escaped(int start, boolean asciiSoFar) {
            var text = new byte[end - start];
            var length = position - 1 - start;
            System.arraycopy(bytes, start, text, 0, length);
            var ascii = asciiSoFar;
            position--;
            while (true) {
                var c = next();
                if (c == '"') {
                    return decode(text, 0, length, ascii);
                }
                if (c == '\\') {
                    c = unescape(next());
                } else if (c < 0x20) {
                    throw NOT_CANONICAL;
                }
                ascii &= c < 0x80;
                text[length++] = (byte) c;
            }
        }

        private int unescape(int c) {
            return switch (c) {
                case '"', '\\' -> c;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> {
                    if (next() != '0' || next() != '0') {
                        throw NOT_CANONICAL;
                    }
                    var value = hex(next()) << 4 | hex(next());
                    // JCS writes the six-character escape only for the controls that have no short escape
                    if (value >= 0x20 || value == '\b' || value == '\f' || value == '\n' || value == '\r' || value == '\t') {
                        throw NOT_CANONICAL;
                    }
                    yield value;
                }
                default -> throw NOT_CANONICAL;
            };
        }

        private static int hex(int c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            throw NOT_CANONICAL;
        }

        private static String decode(byte[] text, int from, int to, boolean ascii) {
            if (ascii) {
                return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
            }
            var decoded = new String(text, from, to - from, StandardCharsets.UTF_8);
            // invalid UTF-8 decodes to replacement characters, which encode to other bytes
            var encoded = decoded.getBytes(StandardCharsets.UTF_8);
            if (!Arrays.equals(encoded, 0, encoded.length, text, from, to)) {
                throw NOT_CANONICAL;
            }
            return decoded;
        }

        /** A non-negative integer without leading zeros, at most 18 digits. */
        private long integer() {
            var start = position;
            long value = 0;
            while (position < end && bytes[position] >= '0' && bytes[position] <= '9') {
                value = value * 10 + (bytes[position++] - '0');
            }
            var digits = position - start;
            if (digits == 0 || digits > 18 || (digits > 1 && bytes[start] == '0')) {
                throw NOT_CANONICAL;
            }
            return value;
        }

        /**
         * An instant as {@link Instant#toString()} writes one to the millisecond: {@code yyyy-MM-ddTHH:mm:ssZ}, or with
         * {@code .SSS} when the milliseconds are not zero.
         */
        private static Instant time(String text) {
            var length = text.length();
            if ((length != 20 && length != 24) || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                    || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
                throw NOT_CANONICAL;
            }
            var millis = 0;
            if (length == 24) {
                if (text.charAt(19) != '.') {
                    throw NOT_CANONICAL;
                }
                millis = digits(text, 20, 23);
                if (millis == 0) {
                    throw NOT_CANONICAL;
                }
            }
            return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16),
                    digits(text, 17, 19), millis * 1_000_000).toInstant(ZoneOffset.UTC);
        }

        private static int digits(String text, int from, int to) {
            var value = 0;
            for (int i = from; i < to; i++) {
                var c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw NOT_CANONICAL;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }

        private static DecisionScope scope(String wireName) {
            for (var scope : SCOPES) {
                if (scope.wireName().equals(wireName)) {
                    return scope;
                }
            }
            throw NOT_CANONICAL;
        }

        private int next() {
            if (position >= end) {
                throw NOT_CANONICAL;
            }
            return bytes[position++] & 0xff;
        }

        private boolean accept(char c) {
            if (position < end && bytes[position] == c) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw NOT_CANONICAL;
            }
        }

        private void expect(byte[] text) {
            if (!Arrays.equals(bytes, position, Math.min(end, position + text.length), text, 0, text.length)) {
                throw NOT_CANONICAL;
            }
            position += text.length;
        }
    }
}
