// Why one signature did not pass: the RFC 8601 result word and the reason, thrown out of the verification steps.
package dev.gatehouse.dkim;

/**
 * The steps of verifying one signature (parse, key, body hash, signature) each either return or throw this; the
 * verifier turns it into a {@link DkimResult}. Checked, so no step forgets a failure path; without a stack trace,
 * since hostile input makes it common.
 */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    private final DkimResult.Result result;

    private Failure(DkimResult.Result result, String reason) {
        super(reason, null, false, false);
        this.result = result;
    }

    DkimResult.Result result() { return result; }

    String reason() { return getMessage(); }

    /** RFC 6376 PERMFAIL: the signature or key can never verify as written. */
    static Failure permerror(String reason) { return new Failure(DkimResult.Result.PERMERROR, reason); }

    /** RFC 6376 TEMPFAIL: the key could not be fetched now; a later try may succeed. */
    static Failure temperror(String reason) { return new Failure(DkimResult.Result.TEMPERROR, reason); }

    /** The signature was well formed and the key found, but the hashes or the signature did not match. */
    static Failure fail(String reason) { return new Failure(DkimResult.Result.FAIL, reason); }

    /** Verified, but refused by local policy (an {@code l=} that leaves body content unsigned). */
    static Failure policy(String reason) { return new Failure(DkimResult.Result.POLICY, reason); }
}
