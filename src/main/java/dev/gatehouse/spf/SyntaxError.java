// A record that is not valid RFC 7208 syntax: the permerror, with the position and the reason.
package dev.gatehouse.spf;

/**
 * Why a record is a permerror (RFC 7208 §4.6: syntax errors anywhere in the record are detected before any
 * mechanism is evaluated).
 *
 * @param record   the record text as published
 * @param position the 0-based index into {@code record} where the error was found
 * @param reason   what is wrong, naming the offending term
 */
record SyntaxError(String record, int position, String reason) implements Parsed {

    /** For the admin: the reason and where, with the record shortened and made printable. */
    String message() {
        return reason + " at position " + position + " of \"" + SpfHeaders.printable(record, 200) + "\"";
    }

    /** Thrown inside the parsers only; {@link SpfRecord#parse} turns it into a {@link SyntaxError}. */
    static final class Failure extends Exception {
        final int position;

        Failure(int position, String reason) {
            super(reason, null, false, false);
            this.position = position;
        }
    }
}
