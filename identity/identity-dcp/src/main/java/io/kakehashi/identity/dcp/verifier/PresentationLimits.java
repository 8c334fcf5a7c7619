package io.kakehashi.identity.dcp.verifier;

/**
 * What one presentation query may make this connector read and verify: the size of the credential service's answer,
 * the number of presentations in it and of credentials in each. An answer beyond any of them is refused before any
 * signature is checked or any key resolved. Immutable.
 *
 * @param maxResponseBytes              the most bytes of the answer read; a longer one is refused
 * @param maxPresentations              the most presentations in the answer
 * @param maxCredentialsPerPresentation the most credentials in one presentation
 */
public record PresentationLimits(long maxResponseBytes, int maxPresentations, int maxCredentialsPerPresentation) {

    public static final String MAX_RESPONSE_BYTES = "kakehashi.identity.dcp.max-response-bytes";
    public static final String MAX_PRESENTATIONS = "kakehashi.identity.dcp.max-presentations";
    public static final String MAX_CREDENTIALS_PER_PRESENTATION = "kakehashi.identity.dcp.max-credentials-per-presentation";

    /** Credentials of one requested type a holder may present at once (a renewed one beside its predecessor, several certifications). */
    public static final int CREDENTIALS_PER_SCOPE = 4;
    /** Room for one credential's JWT in an answer: a credential of a few claims with its status entry is 1–4 KiB. */
    public static final long BYTES_PER_CREDENTIAL = 16 * 1024;

    public PresentationLimits {
        if (maxResponseBytes < 1 || maxPresentations < 1 || maxCredentialsPerPresentation < 1) {
            throw new IllegalArgumentException("presentation limits must be positive");
        }
    }

    /**
     * The limits a query for {@code scopes} scopes needs: DCP answers with one presentation per credential format or
     * per scope (so as many presentations as scopes, and at least two: a VC 1.1 and a VC 2.0 one), each with at most
     * {@value #CREDENTIALS_PER_SCOPE} credentials per scope asked for, and room for {@value #BYTES_PER_CREDENTIAL}
     * bytes per credential that may come.
     */
    public static PresentationLimits forScopes(int scopes) {
        var asked = Math.max(1, scopes);
        var presentations = Math.max(2, asked);
        var credentials = CREDENTIALS_PER_SCOPE * asked;
        return new PresentationLimits(BYTES_PER_CREDENTIAL * presentations * credentials, presentations, credentials);
    }

    /** These limits with the values given (null keeps the one here). */
    public PresentationLimits with(Long responseBytes, Integer presentations, Integer credentialsPerPresentation) {
        return new PresentationLimits(responseBytes == null ? maxResponseBytes : responseBytes,
                presentations == null ? maxPresentations : presentations,
                credentialsPerPresentation == null ? maxCredentialsPerPresentation : credentialsPerPresentation);
    }
}
