// Thrown by the tag-list parser for text that is not an RFC 6376 §3.2 tag list.
package dev.gatehouse.dkim;

/** A tag list that breaks the grammar or names a tag twice; the message says where, in words fit for a log. */
public final class TagSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public TagSyntaxException(String message) {
        super(message, null, false, false); // hostile input is common: no stack trace to fill
    }
}
