// One connector's Enhanced Filtering skip list and the walk down the Received fields that finds the original client.
package dev.gatehouse.connector;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.gatehouse.mail.ReceivedFrom;
import dev.gatehouse.rules.IpRange;

/**
 * Skip listing (spec §3.1, [R29]): the hops the admin vouches for are skipped, and the first hop that isn't is the
 * original client. Trust runs down the chain and never further: a {@code Received} field is read only when the
 * server that wrote it was skipped (the connecting server for the top field, the hop the field above named for
 * each next one), so the sender's own fields, below the first hop that isn't skipped, are never read. A field that
 * can't be read ends the walk, as does {@link #MAX_FIELDS}; then, or when every hop is skipped, no original client
 * is found and the connecting address stays.
 *
 * <p>{@code EFSkipLastIP $true} skips the connecting server only; {@code $false} skips the addresses of
 * {@code EFSkipIPs} (Exchange: "the specific IP addresses to skip when EFSkipLastIP is $false"). Private, loopback and
 * link-local addresses are skipped in both modes ({@link PrivateAddresses}).
 *
 * @param connector   the connector's name, for the trace
 * @param skipLastHop {@code EFSkipLastIP}
 * @param ranges      {@code EFSkipIPs} parsed; not used when {@code skipLastHop}
 */
record SkipList(String connector, boolean skipLastHop, List<IpRange> ranges) {
    /** Received fields read at most, from the top: more skipped hops than this is not a real relay chain. */
    static final int MAX_FIELDS = 20;

    SkipList {
        ranges = List.copyOf(ranges);
    }

    /** The connector's skip list, or empty when Enhanced Filtering is off on it. */
    static Optional<SkipList> of(InboundConnector c) {
        if (!c.enhancedFiltering()) return Optional.empty();
        return Optional.of(new SkipList(c.Name(), c.EFSkipLastIP(), c.EFSkipLastIP() ? List.of() : EnhancedFilteringValues.ranges(c.EFSkipIPs())));
    }

    /** Whether a hop at this address is skipped (other than the connecting one under {@code EFSkipLastIP}). */
    boolean skips(InetAddress ip) {
        if (PrivateAddresses.contains(ip)) return true;
        for (IpRange r : ranges) if (r.contains(ip)) return true;
        return false;
    }

    /** Why the walk ended. */
    enum End {
        /** A hop that isn't skipped: the original client. */
        FOUND,
        /** The connecting server itself isn't skipped: it is the original client, nothing to look for. */
        CONNECTING_NOT_SKIPPED,
        /** A Received field names no address that can be read, or names no usable address. */
        UNREADABLE,
        /** Every Received field names a skipped hop. */
        ALL_SKIPPED,
        /** More than {@link #MAX_FIELDS} fields name skipped hops. */
        TOO_MANY
    }

    /**
     * The outcome of one walk.
     *
     * @param original the original client when {@link End#FOUND}, else the connecting address
     * @param name     the name the original client gave (its Received field's {@code from}), or null
     * @param skipped  the skipped hops, from the connecting one down
     * @param field    the 1-based Received field that ended the walk (0 when none was read)
     */
    record Finding(InetAddress original, String name, List<InetAddress> skipped, End end, int field) {
        Finding {
            skipped = List.copyOf(skipped);
        }

        boolean found() { return end == End.FOUND; }

        /** The trace text: what was found, what was skipped, or why nothing was. */
        String describe(String connectorName) {
            String on = " (connector '" + connectorName + "')";
            String skippedText = skipped.isEmpty() ? "" : ", skipped " + skipped.stream().map(SkipList::text).collect(Collectors.joining(", "));
            return switch (end) {
                case FOUND -> "Enhanced Filtering: original client " + text(original) + skippedText + on;
                case CONNECTING_NOT_SKIPPED -> "Enhanced Filtering: the connecting server " + text(original)
                        + " isn't in EFSkipIPs, so it is the original client" + on;
                case UNREADABLE -> "Enhanced Filtering: no original client found, Received field " + field
                        + " names no usable sending address" + skippedText + "; the connecting address " + text(skipped.getFirst()) + " is used" + on;
                case ALL_SKIPPED -> "Enhanced Filtering: no original client found, no Received field names a hop that isn't skipped" + skippedText
                        + "; the connecting address " + text(skipped.getFirst()) + " is used" + on;
                case TOO_MANY -> "Enhanced Filtering: no original client found in the first " + MAX_FIELDS + " Received fields" + skippedText
                        + "; the connecting address " + text(skipped.getFirst()) + " is used" + on;
            };
        }
    }

    /**
     * Walks from the connecting server down the Received fields (given top first, as the message carries them).
     * Only the first {@link #MAX_FIELDS} + 1 values are ever looked at.
     */
    Finding find(InetAddress connecting, List<String> received) {
        List<InetAddress> skipped = new ArrayList<>();
        if (!skipLastHop && !skips(connecting)) return new Finding(connecting, null, skipped, End.CONNECTING_NOT_SKIPPED, 0);
        skipped.add(connecting);
        int n = Math.min(received.size(), MAX_FIELDS);
        for (int i = 0; i < n; i++) {
            Optional<ReceivedFrom> hop = ReceivedFrom.parse(received.get(i));
            if (hop.isEmpty() || !usable(hop.get().ip())) return new Finding(connecting, null, skipped, End.UNREADABLE, i + 1);
            InetAddress ip = hop.get().ip();
            if (!skips(ip)) return new Finding(ip, hop.get().name(), skipped, End.FOUND, i + 1);
            skipped.add(ip);
        }
        return new Finding(connecting, null, skipped, received.size() > MAX_FIELDS ? End.TOO_MANY : End.ALL_SKIPPED, n);
    }

    /** Not an address a message can come from: unspecified (0.0.0.0, ::), multicast, broadcast. */
    private static boolean usable(InetAddress ip) {
        byte[] b = ip.getAddress();
        boolean broadcast = b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
        return !ip.isAnyLocalAddress() && !ip.isMulticastAddress() && !broadcast;
    }

    /** An address as people write it: dotted quad, or IPv6 in the RFC 5952 short form. */
    static String text(InetAddress ip) {
        return dev.gatehouse.kernel.IpText.of(ip);
    }
}
