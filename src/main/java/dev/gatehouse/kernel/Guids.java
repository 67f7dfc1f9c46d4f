// A GUID parameter (MessageTraceId, JobId), read the one way every cmdlet reads it.
package dev.gatehouse.kernel;

import java.util.Locale;
import java.util.UUID;

/** Exchange prints GUIDs in the 8-4-4-4-12 form; that form alone is accepted, any case, surrounding blanks ignored. */
public final class Guids {
    private Guids() {}

    /**
     * The GUID in lower case, or a {@link ValidationException} naming {@code -parameter}, the value and where to find
     * a right one ({@code hint}). {@link UUID#fromString} alone also takes "1-2-3-4-5", hence the length check.
     */
    public static String parse(String parameter, String value, String hint) {
        String v = value == null ? "" : value.trim();
        try {
            if (v.length() != 36) throw new IllegalArgumentException();
            UUID.fromString(v);
            return v.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("-" + parameter + " '" + value + "' is not a GUID" + hint);
        }
    }
}
