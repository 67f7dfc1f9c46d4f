// The closed set of rule predicates (spec §5.2): each answers for the message, or for one recipient.
package dev.gatehouse.rules;

import dev.gatehouse.mail.DomainNames;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A compiled condition, immutable and thread-safe. Message conditions ({@link #perRecipient()} false) are
 * evaluated once and hold for every recipient; recipient conditions ({@code SentTo}, {@code SentToScope},
 * {@code RecipientDomainIs}, {@code RecipientAddressContainsWords}) are evaluated per recipient, so a rule
 * acts only on the recipients they match (the James matcher model). The {@code AnyOf*} conditions read
 * the To/Cc headers and therefore hold for all recipients.
 */
public sealed interface Condition {

    /** What a condition sees: the message, the tenant, the recipient (null for message conditions). */
    record Input(MessageFacts message, long tenantId, String recipient, Organization org, Deadline deadline, int scl) {}

    boolean test(Input in);

    default boolean perRecipient() { return false; }

    enum Location { Header, Envelope, HeaderOrEnvelope }

    /** The sender addresses a From-type condition reads, per SenderAddressLocation. */
    private static List<String> senders(Input in, Location loc) {
        return switch (loc) {
            case Header -> in.message().fromAddresses();
            case Envelope -> List.of(in.message().envelopeFrom());
            case HeaderOrEnvelope -> {
                List<String> all = new java.util.ArrayList<>(in.message().fromAddresses());
                all.add(in.message().envelopeFrom());
                yield all;
            }
        };
    }

    /** {@code domains} in {@link #asciiDomain} form. */
    static boolean domainIs(String address, List<String> domains) {
        int at = address.lastIndexOf('@');
        String d = asciiDomain(at < 0 ? address : address.substring(at + 1));
        for (String x : domains) if (d.equals(x) || d.endsWith("." + x)) return true; // subdomains match (spec §5.2, 2026 doc)
        return false;
    }

    /**
     * A domain as the DNS names it and mail clients show it (A-labels, {@link DomainNames}), so a rule naming
     * {@code bücher.example} also matches {@code xn--bcher-kva.example}, which a client shows as bücher.example,
     * and {@code con\u200Dtoso.com}, which a client shows as contoso.com (read without its format characters, as
     * {@link dev.gatehouse.directory.Directory#isAcceptedDomain} does); lower case as given when it is no domain name.
     */
    static String asciiDomain(String domain) {
        String a = DomainNames.toAsciiAsShown(domain);
        return a != null ? a : domain.toLowerCase(Locale.ROOT);
    }

    record From(Set<String> addresses, Location loc) implements Condition {
        public boolean test(Input in) { return senders(in, loc).stream().anyMatch(addresses::contains); }
    }

    record FromScope(boolean inOrganization) implements Condition {
        /** Spec §5.2 (inferred reading): InOrganization needs an Originating message AND an in-org sender. */
        public boolean test(Input in) {
            boolean inside = in.message().originating() && in.message().fromAddresses().stream()
                    .anyMatch(a -> in.org().inOrganization(in.tenantId(), a));
            return inside == inOrganization;
        }
    }

    record FromAddressWords(Words words, Location loc) implements Condition {
        public boolean test(Input in) {
            for (String s : senders(in, loc)) if (words.inLower(s)) return true;
            return false;
        }
    }

    record FromAddressPatterns(Patterns patterns, Location loc) implements Condition {
        public boolean test(Input in) {
            for (String s : senders(in, loc)) if (!s.isEmpty() && patterns.in(s, in.deadline())) return true;
            return false;
        }
    }

    record SenderDomainIs(List<String> domains, Location loc) implements Condition {
        public boolean test(Input in) { return senders(in, loc).stream().anyMatch(s -> !s.isEmpty() && domainIs(s, domains)); }
    }

    record SenderIpRanges(List<IpRange> ranges) implements Condition {
        public boolean test(Input in) {
            byte[] ip = in.message().clientIpBytes();
            if (ip == null) return false;
            for (IpRange r : ranges) if (r.contains(ip)) return true;
            return false;
        }
    }

    record HeaderContainsWords(String header, Words words) implements Condition {
        public boolean test(Input in) {
            for (String v : in.message().header(header)) if (words.inLower(in.message().lower(v))) return true;
            return false;
        }
    }

    record HeaderMatchesPatterns(String header, Patterns patterns) implements Condition {
        public boolean test(Input in) {
            for (String v : in.message().header(header)) if (patterns.in(v, in.deadline())) return true;
            return false;
        }
    }

    record SentTo(Set<String> addresses) implements Condition {
        public boolean test(Input in) { return addresses.contains(in.recipient().toLowerCase(Locale.ROOT)); }
        public boolean perRecipient() { return true; }
    }

    /** The recipient side of scope: every recipient attributed to the tenant is in the organization. */
    record SentToScope(boolean inOrganization) implements Condition {
        public boolean test(Input in) { return in.org().inOrganization(in.tenantId(), in.recipient()) == inOrganization; }
        public boolean perRecipient() { return true; }
    }

    record RecipientDomainIs(List<String> domains) implements Condition {
        public boolean test(Input in) { return domainIs(in.recipient().toLowerCase(Locale.ROOT), domains); }
        public boolean perRecipient() { return true; }
    }

    record RecipientAddressWords(Words words) implements Condition {
        public boolean test(Input in) { return words.inLower(in.message().lower(in.recipient())); }
        public boolean perRecipient() { return true; }
    }

    record AnyOfHeader(List<String> headers, Set<String> addresses) implements Condition {
        public boolean test(Input in) {
            for (String h : headers) for (String a : in.message().addresses(h)) if (addresses.contains(a)) return true;
            return false;
        }
    }

    /** Every Subject field counts: a message with two can't hide the second from the rules. */
    private static boolean anySubject(Input in, Words words) {
        for (String s : in.message().subjects()) if (words.inLower(in.message().lower(s))) return true;
        return false;
    }

    record SubjectWords(Words words) implements Condition {
        public boolean test(Input in) { return anySubject(in, words); }
    }

    record SubjectOrBodyWords(Words words) implements Condition {
        public boolean test(Input in) { return anySubject(in, words) || words.inLower(in.message().lower(in.message().body())); }
    }

    record SubjectPatterns(Patterns patterns) implements Condition {
        public boolean test(Input in) {
            for (String s : in.message().subjects()) if (patterns.in(s, in.deadline())) return true;
            return false;
        }
    }

    record AttachmentExtension(Set<String> extensions) implements Condition {
        public boolean test(Input in) {
            for (String n : in.message().attachmentNames()) {
                int dot = n.lastIndexOf('.');
                if (dot >= 0 && extensions.contains(n.substring(dot + 1).strip().toLowerCase(Locale.ROOT))) return true;
            }
            return false;
        }
    }

    record AttachmentNamePatterns(Patterns patterns) implements Condition {
        public boolean test(Input in) {
            for (String n : in.message().attachmentNames()) if (patterns.in(n, in.deadline())) return true;
            return false;
        }
    }

    record MessageSizeOver(long bytes) implements Condition {
        public boolean test(Input in) { return in.message().size() > bytes; }
    }

    /** SCL ≥ value, per recipient; SCL is -1 unless a rule's SetSCL set it for that recipient (no anti-spam stage yet). */
    record SclOver(int value) implements Condition {
        public boolean test(Input in) { return in.scl() >= value; }
        public boolean perRecipient() { return true; }
    }

    record WithImportance(String importance) implements Condition {
        public boolean test(Input in) { return in.message().importance().equalsIgnoreCase(importance); }
    }
}
