// ProxyHeader: parses the PROXY protocol v1/v2 header a trusted load balancer puts before SMTP (pure, no sockets).
package dev.gatehouse.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a TCP load balancer sends
 * before anything else, naming the client it relays. Gatehouse judges every connection by its client address
 * (connection limits, connectors' SenderIPAddresses, Received, trace, rules), so behind a balancer that address
 * has to come from here, and only from a peer the operator listed.
 *
 * <p>{@link #parse} is incremental and never guesses: given the octets received so far it says the header is
 * complete (and how long it is), invalid (and why, in words an operator can act on), or that at least
 * {@code needed} more octets belong to it. A reader that asks for at most that many can never consume a byte
 * of the SMTP stream after the header, so pipelined commands and a later STARTTLS handshake are untouched.
 * Addresses are decoded from literals only; no text ever reaches a resolver.
 *
 * <p>Choices (docs/decisions/smtp-proxy-protocol.md): v2 LOCAL, v1 UNKNOWN and v2 PROXY with any valid family other
 * than TCP over IPv4/IPv6 keep the connection's own address, as the specification's UNSPEC fallback says; a v2
 * header may be at most {@value #V2_MAX_LENGTH} octets; TLVs are walked (each must fit) and a CRC32C TLV is checked.
 */
final class ProxyHeader {
    private ProxyHeader() {}

    /** Longest v1 line including CRLF ({@code PROXY UNKNOWN} with two full IPv6 addresses and ports). */
    static final int V1_MAX_LENGTH = 107;
    /** Shortest v1 line ({@code PROXY UNKNOWN\r\n}); no valid header of either version is shorter. */
    static final int V1_MIN_LENGTH = 15;
    /** Longest v2 header accepted: the 16 fixed octets plus addresses and TLVs (a balancer's are a few hundred). */
    static final int V2_MAX_LENGTH = 2048;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_FIXED = 16;
    private static final int TLV_CRC32C = 0x03;

    /** What {@link #parse} found. */
    sealed interface Result permits Header, Incomplete, Invalid {}

    /** A complete, valid header of {@code length} octets. */
    sealed interface Header extends Result permits Proxied, Local {
        int version();

        int length();
    }

    /** The balancer relayed a TCP connection from {@code source} (the real client) to {@code destination}. */
    record Proxied(int version, InetSocketAddress source, InetSocketAddress destination, int length) implements Header {}

    /** v2 LOCAL (health check), v1 UNKNOWN or an address family we don't take: the TCP peer stays the client. */
    record Local(int version, int length) implements Header {}

    /** Not enough octets yet; at least {@code needed} more are part of the header (never more than it has left). */
    record Incomplete(int needed) implements Result {}

    /**
     * Not a valid header; the connection must be dropped. {@code nothingSent}: the peer closed or reset the
     * connection before its first octet, a balancer's plain TCP health check rather than a bad header.
     */
    record Invalid(String reason, boolean nothingSent) implements Result {
        Invalid(String reason) { this(reason, false); }

        static Invalid emptyConnection() { return new Invalid("connection closed before any octet was sent", true); }
    }

    /** A copy of the 12-octet v2 signature (to recognise a header sent where none is allowed). */
    static byte[] v2Signature() { return V2_SIGNATURE.clone(); }

    /** Parses the first {@code length} octets of {@code in}. Never throws for any input. */
    static Result parse(byte[] in, int length) {
        int len = Math.max(0, Math.min(length, in.length));
        if (len == 0) return new Incomplete(V1_MIN_LENGTH);
        if (in[0] == 'P') {
            if (!startsWith(in, len, V1_PREFIX)) return notAHeader(in, len);
            return V1.parse(in, len);
        }
        if (in[0] == 0x0D) {
            if (!startsWith(in, len, V2_SIGNATURE)) return notAHeader(in, len);
            return V2.parse(in, len);
        }
        return notAHeader(in, len);
    }

    /** True when the first {@code min(len, prefix.length)} octets match the prefix. */
    private static boolean startsWith(byte[] in, int len, byte[] prefix) {
        int n = Math.min(len, prefix.length);
        return Arrays.equals(in, 0, n, prefix, 0, n);
    }

    private static Invalid notAHeader(byte[] in, int len) {
        return new Invalid("not a PROXY protocol header (starts with \"" + printable(in, Math.min(len, 24)) + "\")");
    }

    /** The octets as log-safe text: printable ASCII kept, anything else as {@code \xNN}. */
    static String printable(byte[] in, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = in[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    static int u16(byte[] in, int at) { return (in[at] & 0xff) << 8 | (in[at + 1] & 0xff); }

    /** Version 1: one line of US-ASCII, {@code PROXY TCP4|TCP6 src dst sport dport} or {@code PROXY UNKNOWN ...}. */
    private static final class V1 {
        private V1() {}

        static Result parse(byte[] in, int len) {
            int scan = Math.min(len, V1_MAX_LENGTH);
            for (int i = 0; i < scan; i++) {
                int c = in[i] & 0xff;
                if (c == '\n') return line(in, i);
                if (c == '\r' && i + 1 < scan && in[i + 1] != '\n') return new Invalid("v1 header has a CR not followed by LF");
                if (c != '\r' && (c < 0x20 || c > 0x7e)) {
                    return new Invalid("v1 header has a control or non-ASCII octet 0x" + String.format("%02x", c) + " at offset " + i);
                }
            }
            if (len >= V1_MAX_LENGTH) return new Invalid("v1 header has no CRLF within " + V1_MAX_LENGTH + " octets");
            int needed = len < V1_MIN_LENGTH ? V1_MIN_LENGTH - len : in[len - 1] == '\r' ? 1 : shortestRest(in, len);
            return new Incomplete(Math.min(needed, V1_MAX_LENGTH - len));
        }

        /**
         * At least how many more octets a line that has come this far still has (len >= 15, "PROXY " checked): for
         * {@code TCP4}/{@code TCP6}, what the shortest forms of its fields still add (an address at least
         * {@code 0.0.0.0} or {@code ::}, a port one digit, a space before each), then CRLF; 2 otherwise. A
         * reader asking for this much takes {@code PROXY TCP4 203.0.113.50 192.0.2.25 40123 25} in six reads instead of
         * sixteen (one per two octets), and still never a byte past a valid header's end.
         */
        private static int shortestRest(byte[] in, int len) {
            boolean tcp = in[6] == 'T' && in[7] == 'C' && in[8] == 'P' && (in[9] == '4' || in[9] == '6') && in[10] == ' ';
            if (!tcp) return 2;
            int field = 0;   // 0 source address, 1 destination address, 2 source port, 3 destination port
            int fieldStart = 11;
            for (int i = 11; i < len; i++) {
                if (in[i] == ' ') {
                    field++;
                    fieldStart = i + 1;
                }
            }
            if (field > 3) return 2;   // one field too many: invalid once its line ends
            int address = in[9] == '4' ? 7 : 2;
            int[] shortest = {address, address, 1, 1};
            int rest = Math.max(0, shortest[field] - (len - fieldStart));
            for (int k = field + 1; k < shortest.length; k++) rest += 1 + shortest[k];
            return rest + 2;
        }

        /** The whole line, {@code lf} being the index of its LF. */
        private static Result line(byte[] in, int lf) {
            if (lf == 0 || in[lf - 1] != '\r') return new Invalid("v1 header ends in a bare LF, not CRLF");
            String text = new String(in, 0, lf - 1, StandardCharsets.US_ASCII);
            String[] f = text.split(" ", -1);
            if (f.length >= 2 && f[1].equals("UNKNOWN")) return new Local(1, lf + 1);   // the rest is ignored, as specified
            if (f.length != 6) return new Invalid("v1 header \"" + text + "\" is not PROXY TCP4|TCP6|UNKNOWN src dst sport dport");
            boolean v4 = f[1].equals("TCP4");
            if (!v4 && !f[1].equals("TCP6")) return new Invalid("v1 header names protocol \"" + f[1] + "\", not TCP4, TCP6 or UNKNOWN");
            InetAddress src = address(f[2], v4);
            InetAddress dst = address(f[3], v4);
            if (src == null || dst == null) {
                return new Invalid("v1 header address \"" + (src == null ? f[2] : f[3]) + "\" is not a canonical " + (v4 ? "IPv4" : "IPv6") + " address");
            }
            int sport = port(f[4]);
            int dport = port(f[5]);
            if (sport < 0 || dport < 0) return new Invalid("v1 header port \"" + (sport < 0 ? f[4] : f[5]) + "\" is not a number 0-65535");
            return new Proxied(1, new InetSocketAddress(src, sport), new InetSocketAddress(dst, dport), lf + 1);
        }

        /** A dotted quad without leading zeros (no octal confusion), or an IPv6 literal; null otherwise. */
        private static InetAddress address(String s, boolean v4) {
            boolean ok = v4 ? IpLiterals.isIpv4(s) && !hasLeadingZero(s) : s.indexOf(':') >= 0 && IpLiterals.isIpv6(s);
            if (!ok) return null;
            try {
                return InetAddress.ofLiteral(s);   // a literal already checked: never a lookup
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static boolean hasLeadingZero(String dotted) {
            for (String part : dotted.split("\\.", -1)) if (part.length() > 1 && part.charAt(0) == '0') return true;
            return false;
        }

        /** 0-65535 in decimal without leading zeros, else -1. */
        private static int port(String s) {
            if (s.isEmpty() || s.length() > 5 || (s.length() > 1 && s.charAt(0) == '0')) return -1;
            for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
            int p = Integer.parseInt(s);
            return p > 65535 ? -1 : p;
        }
    }

    /** Version 2: the 12-octet signature, version/command, family/transport, a length, then addresses and TLVs. */
    private static final class V2 {
        private V2() {}

        private static final int LOCAL = 0x0;
        private static final int PROXY = 0x1;
        private static final int TCP4 = 0x11;
        private static final int TCP6 = 0x21;

        static Result parse(byte[] in, int len) {
            if (len > 12) {
                int version = (in[12] & 0xff) >>> 4;
                int command = in[12] & 0x0f;
                if (version != 2) return new Invalid("v2 header has version " + version + ", not 2");
                if (command != LOCAL && command != PROXY) return new Invalid("v2 header has unknown command " + command);
            }
            if (len > 13) {
                int family = (in[13] & 0xff) >>> 4;
                int transport = in[13] & 0x0f;
                if (family > 3 || transport > 2) return new Invalid(String.format("v2 header has unknown address family/transport 0x%02x", in[13] & 0xff));
            }
            if (len < V2_FIXED) return new Incomplete(V2_FIXED - len);
            int total = V2_FIXED + u16(in, 14);
            if (total > V2_MAX_LENGTH) return new Invalid("v2 header announces " + total + " octets, more than the " + V2_MAX_LENGTH + " accepted");
            boolean proxy = (in[12] & 0x0f) == PROXY;
            int fam = in[13] & 0xff;
            int addresses = !proxy ? 0 : fam == TCP4 ? 12 : fam == TCP6 ? 36 : 0;
            if (total - V2_FIXED < addresses) {
                return new Invalid("v2 header length " + (total - V2_FIXED) + " is too short for its " + (fam == TCP4 ? "IPv4" : "IPv6")
                        + " addresses (" + addresses + ")");
            }
            if (len < total) return new Incomplete(total - len);
            if (addresses == 0) return new Local(2, total);   // LOCAL, or a family we don't take: the peer stays the client
            Invalid bad = tlvs(in, V2_FIXED + addresses, total);
            if (bad != null) return bad;
            return fam == TCP4 ? proxied(in, 4, total) : proxied(in, 16, total);
        }

        private static Result proxied(byte[] in, int size, int total) {
            try {
                InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(in, V2_FIXED, V2_FIXED + size));   // raw octets: no lookup
                InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(in, V2_FIXED + size, V2_FIXED + 2 * size));
                int ports = V2_FIXED + 2 * size;
                return new Proxied(2, new InetSocketAddress(src, u16(in, ports)), new InetSocketAddress(dst, u16(in, ports + 2)), total);
            } catch (UnknownHostException e) {
                return new Invalid("v2 header address cannot be decoded: " + e.getMessage());   // unreachable: sizes are 4 and 16
            }
        }

        /** Walks the TLVs in [from, to): each must fit; a CRC32C TLV must match. Null when fine. */
        private static Invalid tlvs(byte[] in, int from, int to) {
            int crcAt = -1;
            for (int p = from; p < to; ) {
                if (to - p < 3) return new Invalid("v2 header has " + (to - p) + " stray octets where a TLV should start (offset " + p + ")");
                int type = in[p] & 0xff;
                int size = u16(in, p + 1);
                if (p + 3 + size > to) {
                    return new Invalid(String.format("v2 TLV 0x%02x at offset %d claims %d octets, past the header's end", type, p, size));
                }
                if (type == TLV_CRC32C) {
                    if (size != 4 || crcAt >= 0) return new Invalid("v2 header has a malformed or repeated CRC32C TLV");
                    crcAt = p + 3;
                }
                p += 3 + size;
            }
            return crcAt < 0 || crcMatches(in, to, crcAt) ? null : new Invalid("v2 header CRC32C does not match");
        }

        /** The checksum is over the whole header with its own four octets taken as zero. */
        private static boolean crcMatches(byte[] in, int total, int crcAt) {
            byte[] copy = Arrays.copyOf(in, total);
            Arrays.fill(copy, crcAt, crcAt + 4, (byte) 0);
            CRC32C crc = new CRC32C();
            crc.update(copy, 0, total);
            long stated = (long) u16(in, crcAt) << 16 | u16(in, crcAt + 2);
            return crc.getValue() == stated;
        }
    }
}
