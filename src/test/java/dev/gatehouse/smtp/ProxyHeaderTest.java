// ProxyHeaderTest: the PROXY protocol v1/v2 parser on bytes alone: valid headers, every refusal, and incremental reading.
package dev.gatehouse.smtp;

import static dev.gatehouse.smtp.ProxyHeaderBytes.ascii;
import static dev.gatehouse.smtp.ProxyHeaderBytes.concat;
import static dev.gatehouse.smtp.ProxyHeaderBytes.tlv;
import static dev.gatehouse.smtp.ProxyHeaderBytes.v1;
import static dev.gatehouse.smtp.ProxyHeaderBytes.v2;
import static dev.gatehouse.smtp.ProxyHeaderBytes.v2Local;
import static dev.gatehouse.smtp.ProxyHeaderBytes.v2Raw;
import static dev.gatehouse.smtp.ProxyHeaderBytes.withCrc32c;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyHeaderTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.50", 40123);
    static final InetSocketAddress US = new InetSocketAddress("192.0.2.25", 25);
    static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:db8::50", 51000);
    static final InetSocketAddress US6 = new InetSocketAddress("2001:db8::25", 25);

    static ProxyHeader.Result parse(byte[] b) { return ProxyHeader.parse(b, b.length); }

    static String reason(byte[] b) {
        ProxyHeader.Result r = parse(b);
        assertThat(r).as("%s", r).isInstanceOf(ProxyHeader.Invalid.class);
        return ((ProxyHeader.Invalid) r).reason();
    }

    @Test void v1Tcp4NamesTheClientAndItsLength() {
        byte[] h = v1(CLIENT, US);
        assertThat(parse(h)).isEqualTo(new ProxyHeader.Proxied(1, CLIENT, US, h.length));
    }

    @Test void v1Tcp6NamesAnIpv6Client() {
        byte[] h = ascii("PROXY TCP6 2001:db8::50 2001:db8::25 51000 25\r\n");
        assertThat(parse(h)).isEqualTo(new ProxyHeader.Proxied(1, CLIENT6, US6, h.length));
    }

    @Test void v1UnknownKeepsThePeerWhateverFollowsIt() {
        assertThat(parse(ascii("PROXY UNKNOWN\r\n"))).isEqualTo(new ProxyHeader.Local(1, 15));
        String longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        assertThat(longest).hasSize(107);
        assertThat(parse(ascii(longest))).isEqualTo(new ProxyHeader.Local(1, 107));
    }

    @Test void v1WithoutCrlfInTheFirst107OctetsIsRefusedWithoutWaitingForMore() {
        byte[] h = ascii("PROXY UNKNOWN " + "x".repeat(93));
        assertThat(h).hasSize(107);
        assertThat(reason(h)).contains("no CRLF within 107 octets");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", textBlock = """
            PROXY TCP4 203.0.113.50 192.0.2.25 40123 25\\n                => bare LF
            PROXY TCP4 203.0.113.50 192.0.2.25 40123 25\\r\\r\\n          => CR not followed by LF
            PROXY TCP4 010.0.113.50 192.0.2.25 40123 25\\r\\n             => not a canonical IPv4
            PROXY TCP4 203.0.113.50 192.0.2.25 040123 25\\r\\n            => port "040123"
            PROXY TCP4 203.0.113.50 192.0.2.25 40123 65536\\r\\n          => port "65536"
            PROXY TCP4 203.0.113.50 192.0.2.25 -1 25\\r\\n                => port "-1"
            PROXY TCP4 2001:db8::50 192.0.2.25 40123 25\\r\\n             => not a canonical IPv4
            PROXY TCP6 203.0.113.50 2001:db8::25 40123 25\\r\\n           => not a canonical IPv6
            PROXY TCP4 localhost 192.0.2.25 40123 25\\r\\n                => "localhost" is not a canonical IPv4
            PROXY TCP6 fe80::1%eth0 2001:db8::25 40123 25\\r\\n           => not a canonical IPv6
            PROXY TCP4 203.0.113.50 192.0.2.25 40123\\r\\n                => is not PROXY TCP4|TCP6|UNKNOWN
            PROXY TCP4 203.0.113.50 192.0.2.25 40123 25 x\\r\\n           => is not PROXY TCP4|TCP6|UNKNOWN
            PROXY TCP4  203.0.113.50 192.0.2.25 40123 25\\r\\n            => is not PROXY TCP4|TCP6|UNKNOWN
            PROXY UDP4 203.0.113.50 192.0.2.25 40123 25\\r\\n             => protocol "UDP4"
            PROXY UNKNOWNX\\r\\n                                          => is not PROXY
            PROXY TCP4 203.0.113.50\\t192.0.2.25 40123 25\\r\\n           => control or non-ASCII octet 0x09
            proxy TCP4 203.0.113.50 192.0.2.25 40123 25\\r\\n             => not a PROXY protocol header
            EHLO mail.example.org\\r\\n                                   => not a PROXY protocol header (starts with "EHLO mail.example.org\\x0d\\x0a")
            """)
    void malformedV1IsRefusedWithAReasonAnOperatorCanRead(String line, String why) {
        byte[] b = ascii(line.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t"));
        assertThat(reason(b)).contains(why);
    }

    @Test void v1AddressesAreLiteralsNeverLookedUp() {
        assertThat(reason(ascii("PROXY TCP4 mx.example.org 192.0.2.25 40123 25\r\n"))).contains("mx.example.org");
        assertThat(reason(ascii("PROXY TCP4 1.2.3 192.0.2.25 40123 25\r\n"))).contains("\"1.2.3\" is not a canonical IPv4");
    }

    @Test void v2Ipv4AndIpv6NameTheClient() {
        byte[] h4 = v2(CLIENT, US);
        assertThat(h4).hasSize(28);
        assertThat(parse(h4)).isEqualTo(new ProxyHeader.Proxied(2, CLIENT, US, 28));
        byte[] h6 = v2(CLIENT6, US6);
        assertThat(h6).hasSize(52);
        assertThat(parse(h6)).isEqualTo(new ProxyHeader.Proxied(2, CLIENT6, US6, 52));
    }

    @Test void v2LocalKeepsThePeerAndSkipsWhateverItCarries() {
        assertThat(parse(v2Local())).isEqualTo(new ProxyHeader.Local(2, 16));
        byte[] withAddresses = v2Raw(0x20, 0x11, Arrays.copyOfRange(v2(CLIENT, US), 16, 28));
        assertThat(parse(withAddresses)).isEqualTo(new ProxyHeader.Local(2, 28));
    }

    @Test void v2FamiliesWeDoNotTakeFallBackToThePeerAsTheSpecificationSays() {
        assertThat(parse(v2Raw(0x21, 0x00, new byte[0]))).isEqualTo(new ProxyHeader.Local(2, 16));               // UNSPEC
        assertThat(parse(v2Raw(0x21, 0x12, new byte[12]))).isEqualTo(new ProxyHeader.Local(2, 28));              // UDP over IPv4
        assertThat(parse(v2Raw(0x21, 0x31, new byte[216]))).isEqualTo(new ProxyHeader.Local(2, 232));            // UNIX stream
    }

    @Test void v2TlvsAreSkipped() {
        byte[] aws = concat(new byte[] {0x01}, ascii("vpce-0123456789abcdef0"));
        byte[] h = v2(CLIENT, US, tlv(0x04, new byte[5]), tlv(0x05, new byte[128]), tlv(0xEA, aws), tlv(0x20, new byte[0]));
        assertThat(parse(h)).isEqualTo(new ProxyHeader.Proxied(2, CLIENT, US, h.length));
    }

    @Test void v2TlvThatOverrunsTheHeaderOrStrayOctetsAreRefused() {
        byte[] body = concat(Arrays.copyOfRange(v2(CLIENT, US), 16, 28), new byte[] {0x05, 0x00, 0x09, 1, 2, 3});
        assertThat(reason(v2Raw(0x21, 0x11, body))).contains("TLV 0x05 at offset 28 claims 9 octets, past the header's end");
        byte[] stray = concat(Arrays.copyOfRange(v2(CLIENT, US), 16, 28), new byte[] {0x04, 0x00});
        assertThat(reason(v2Raw(0x21, 0x11, stray))).contains("2 stray octets");
    }

    @Test void v2Crc32cIsCheckedWhenPresent() {
        byte[] good = withCrc32c(v2(CLIENT, US, tlv(0x05, ascii("abc"))));
        assertThat(parse(good)).isEqualTo(new ProxyHeader.Proxied(2, CLIENT, US, good.length));
        byte[] forged = good.clone();
        forged[19] = 51;   // the client address, changed after the checksum was computed
        assertThat(reason(forged)).contains("CRC32C does not match");
    }

    /** Headers whose checksum other implementations computed: a Python generator's, and HAProxy 2.6's own bytes. */
    @Test void v2Crc32cAgreesWithIndependentImplementations() throws IOException {
        byte[] seed = seed("v2-tcp6-tlvs-crc32c");
        assertThat(parse(seed)).isEqualTo(new ProxyHeader.Proxied(2, CLIENT6, US6, seed.length));
        byte[] haproxy = seed("v2-haproxy-crc32c-unique-id-pipelined");   // captured from send-proxy-v2 crc32c,unique-id, then "hi\n"
        assertThat(parse(haproxy)).isEqualTo(new ProxyHeader.Proxied(2, new InetSocketAddress("127.0.0.80", 56051),
                new InetSocketAddress("127.0.0.1", 39411), haproxy.length - 3));
    }

    private byte[] seed(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("ProxyHeaderFuzzTestInputs/parse/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test void v2WhoseLengthIsTooShortForItsAddressesIsRefusedAtOnce() {
        byte[] lying = v2Raw(0x21, 0x11, 8, new byte[0]);   // 16 octets: the refusal must not wait for the 8 announced
        assertThat(reason(lying)).contains("length 8 is too short for its IPv4 addresses (12)");
        assertThat(reason(v2Raw(0x21, 0x21, 12, new byte[0]))).contains("too short for its IPv6 addresses (36)");
    }

    @Test void v2AnnouncingMoreThanTheLimitIsRefusedBeforeAnyOfItIsRead() {
        assertThat(reason(v2Raw(0x21, 0x11, 0xFFFF, new byte[0]))).contains("announces 65551 octets, more than the 2048 accepted");
        byte[] atLimit = v2(CLIENT, US, tlv(0x04, new byte[2048 - 28 - 3]));
        assertThat(atLimit).hasSize(2048);
        assertThat(parse(atLimit)).isInstanceOf(ProxyHeader.Proxied.class);
    }

    @Test void v2UnknownVersionCommandOrFamilyIsRefusedAsSoonAsItsOctetArrives() {
        assertThat(reason(Arrays.copyOf(v2Raw(0x11, 0x11, new byte[12]), 13))).contains("version 1, not 2");
        assertThat(reason(Arrays.copyOf(v2Raw(0x22, 0x11, new byte[12]), 13))).contains("unknown command 2");
        assertThat(reason(Arrays.copyOf(v2Raw(0x21, 0x41, new byte[12]), 14))).contains("family/transport 0x41");
        assertThat(reason(Arrays.copyOf(v2Raw(0x21, 0x13, new byte[12]), 14))).contains("family/transport 0x13");
    }

    @Test void aBrokenSignatureIsNotAHeader() {
        byte[] h = v2(CLIENT, US);
        h[11] = 'X';
        assertThat(reason(h)).startsWith("not a PROXY protocol header");
    }

    /** The reader relies on this: a prefix never looks invalid, and asking for "needed" never reads past the header. */
    @Test void everyPrefixOfAValidHeaderIsIncompleteAndNeverAsksPastItsEnd() {
        for (byte[] h : samples()) {
            for (int p = 0; p < h.length; p++) {
                ProxyHeader.Result r = ProxyHeader.parse(h, p);
                assertThat(r).as("prefix %d of %s", p, ProxyHeader.printable(h, h.length)).isInstanceOf(ProxyHeader.Incomplete.class);
                int needed = ((ProxyHeader.Incomplete) r).needed();
                assertThat(needed).isPositive().isLessThanOrEqualTo(h.length - p);
            }
        }
    }

    @Test void whatFollowsTheHeaderIsNotPartOfIt() {
        for (byte[] h : samples()) {
            ProxyHeader.Result alone = parse(h);
            assertThat(parse(concat(h, ascii("EHLO client.example\r\n")))).isEqualTo(alone);
            assertThat(((ProxyHeader.Header) alone).length()).isEqualTo(h.length);
        }
    }

    @Test void theReaderConsumesExactlyTheHeaderEvenWhenTheCommandsArriveInTheSamePacket() throws IOException {
        for (byte[] h : samples()) {
            for (boolean trickle : new boolean[] {false, true}) {
                byte[] wire = concat(h, ascii("EHLO client.example\r\n"));
                InputStream in = trickle ? Transcripts.oneByteAtATime(wire) : new ByteArrayInputStream(wire);
                MemoryTransport t = new MemoryTransport(in, null);
                assertThat(ProxyHeaderReader.read(t, Duration.ofSeconds(5))).isEqualTo(parse(h));
                assertThat(new String(t.in().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("EHLO client.example\r\n");
            }
        }
    }

    /** One read is one system call on a real socket: these v1 headers in 6, 9 and 8 reads, not one per two octets (16, 26 and 22). */
    @Test void theReaderTakesAVersion1HeaderInAFewReads() throws IOException {
        for (byte[] h : List.of(v1(CLIENT, US), v1(CLIENT6, US6), ascii("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"))) {
            int[] reads = {0};
            InputStream wire = new ByteArrayInputStream(concat(h, ascii("EHLO client.example\r\n"))) {
                @Override public synchronized int read(byte[] b, int off, int len) {
                    reads[0]++;
                    return super.read(b, off, len);
                }
            };
            MemoryTransport t = new MemoryTransport(wire, null);
            assertThat(ProxyHeaderReader.read(t, Duration.ofSeconds(5))).isEqualTo(parse(h));
            assertThat(reads[0]).as("reads for %s", ProxyHeader.printable(h, h.length)).isLessThanOrEqualTo(9);
            assertThat(new String(t.in().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("EHLO client.example\r\n");
        }
    }

    @Test void theReaderReportsAConnectionThatEndsMidHeader() {
        byte[] h = v1(CLIENT, US);
        MemoryTransport t = new MemoryTransport(new ByteArrayInputStream(Arrays.copyOf(h, 20)), null);
        assertThat(ProxyHeaderReader.read(t, Duration.ofSeconds(5)))
                .isEqualTo(new ProxyHeader.Invalid("connection closed after 20 octets of the PROXY header"));
    }

    @Test void emptyInputAsksForTheShortestPossibleHeader() {
        assertThat(ProxyHeader.parse(new byte[0], 0)).isEqualTo(new ProxyHeader.Incomplete(15));
    }

    static List<byte[]> samples() {
        return List.of(v1(CLIENT, US), v1(CLIENT6, US6), ascii("PROXY UNKNOWN\r\n"), ascii("PROXY UNKNOWN 1 2 3\r\n"),
                ascii("PROXY TCP4 0.0.0.0 0.0.0.0 0 0\r\n"), ascii("PROXY TCP6 :: :: 0 0\r\n"),   // the shortest forms
                v2(CLIENT, US), v2(CLIENT6, US6), v2Local(), withCrc32c(v2(CLIENT6, US6, tlv(0x05, new byte[128]))),
                v2Raw(0x21, 0x31, new byte[216]));
    }
}
