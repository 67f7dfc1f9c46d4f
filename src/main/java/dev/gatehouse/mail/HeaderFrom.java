// The header From of a message, defined once for the Direct Send check and every From-reading rule.
package dev.gatehouse.mail;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The address set of a message's header From: every mailbox that any reader could find in any
 * {@code From} field ({@link Addresses#scan}): several From fields, several mailboxes, groups, comments,
 * display names that are addresses, a trailing dot, obsolete spacing. {@code RejectDirectSendHeaderFrom}
 * and the rule conditions {@code -From}, {@code -FromScope}, {@code -FromAddress*} and
 * {@code -SenderDomainIs} all read this set, so the check that refuses {@code From: ceo@contoso.com} can't
 * be passed by writing the same claim another way.
 *
 * @param fields    how many {@code From} fields the message has
 * @param addresses the addresses, lower case
 * @param complete  every part of every From field was scanned ({@link Addresses.Scan#complete()})
 */
public record HeaderFrom(int fields, Set<String> addresses, boolean complete) {
    public HeaderFrom {
        addresses = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
    }

    public HeaderFrom(int fields, Set<String> addresses) { this(fields, addresses, true); }

    /** The message has a From field. */
    public boolean present() { return fields > 0; }

    /**
     * The message has a From field in which no address at all can be found, or one too deeply nested or too
     * long to scan: either way, a claim to be someone that can't be ruled out.
     */
    public boolean unparseable() { return fields > 0 && (addresses.isEmpty() || !complete); }

    /** The domains of the addresses (lower case, no trailing dot). */
    public Set<String> domains() {
        Set<String> out = new LinkedHashSet<>();
        for (String a : addresses) out.add(Addresses.domainOf(a));
        return out;
    }
}
