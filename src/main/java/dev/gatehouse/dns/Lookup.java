// One DNS answer: the records found, or why there are none.
package dev.gatehouse.dns;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one {@link Dns} question.
 *
 * @param result  {@code FOUND} when {@code records} holds at least one record of the type asked; {@code NO_DATA}
 *                when the name exists with no record of that type (NOERROR, empty answer); {@code NX_DOMAIN}
 *                when the name does not exist; {@code TEMP_FAIL} for a timeout, SERVFAIL, REFUSED or an answer
 *                that could not be read. SPF counts {@code NO_DATA} and {@code NX_DOMAIN} alike as a void lookup.
 * @param records the records, empty unless {@code FOUND}
 */
public record Lookup<T>(Result result, List<T> records) {
    public enum Result { FOUND, NO_DATA, NX_DOMAIN, TEMP_FAIL }

    public Lookup {
        Objects.requireNonNull(result, "result");
        records = List.copyOf(records);
        if ((result == Result.FOUND) == records.isEmpty()) {
            throw new IllegalArgumentException(result + " with " + records.size() + " records");
        }
    }

    public static <T> Lookup<T> found(List<T> records) { return new Lookup<>(records.isEmpty() ? Result.NO_DATA : Result.FOUND, records); }

    public static <T> Lookup<T> of(Result result) { return new Lookup<>(result, List.of()); }

    public boolean found() { return result == Result.FOUND; }

    public boolean tempFail() { return result == Result.TEMP_FAIL; }

    /** NO_DATA or NX_DOMAIN: a "void lookup" in RFC 7208 §4.6.4's words. */
    public boolean isVoid() { return result == Result.NO_DATA || result == Result.NX_DOMAIN; }
}
