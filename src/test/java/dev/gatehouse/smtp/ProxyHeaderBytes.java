// ProxyHeaderBytes: builds PROXY protocol v1 lines and v2 binary headers, as a load balancer would send them, for tests.
package dev.gatehouse.smtp;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Written from the specification's layout, independently of the parser, so the two can disagree. */
public final class ProxyHeaderBytes {
    private ProxyHeaderBytes() {}

    public static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** {@code PROXY TCP4 src dst sport dport\r\n} (TCP6 when the source is IPv6). */
    public static byte[] v1(InetSocketAddress src, InetSocketAddress dst) {
        String proto = src.getAddress() instanceof Inet4Address ? "TCP4" : "TCP6";
        return ascii("PROXY " + proto + " " + src.getAddress().getHostAddress() + " " + dst.getAddress().getHostAddress() + " "
                + src.getPort() + " " + dst.getPort() + "\r\n");
    }

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** A v2 PROXY header over TCP for the given endpoints, then the given TLVs. */
    public static byte[] v2(InetSocketAddress src, InetSocketAddress dst, byte[]... tlvs) {
        boolean v4 = src.getAddress() instanceof Inet4Address;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(src.getAddress().getAddress());
        body.writeBytes(dst.getAddress().getAddress());
        u16(body, src.getPort());
        u16(body, dst.getPort());
        for (byte[] t : tlvs) body.writeBytes(t);
        return v2Raw(0x21, v4 ? 0x11 : 0x21, body.toByteArray());
    }

    /** A v2 LOCAL header (a health check): family UNSPEC, no addresses. */
    public static byte[] v2Local() { return v2Raw(0x20, 0x00, new byte[0]); }

    /** Signature, version/command, family/transport, the body's length, the body. */
    public static byte[] v2Raw(int versionCommand, int familyTransport, byte[] body) {
        return v2Raw(versionCommand, familyTransport, body.length, body);
    }

    /** As {@link #v2Raw(int, int, byte[])} with any announced length, true or not. */
    public static byte[] v2Raw(int versionCommand, int familyTransport, int announced, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionCommand);
        out.write(familyTransport);
        u16(out, announced);
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        u16(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** The header with a CRC32C TLV appended (length fixed up) holding the checksum, big-endian, as HAProxy writes it. */
    public static byte[] withCrc32c(byte[] header) {
        byte[] out = concat(header, tlv(0x03, new byte[4]));
        int len = out.length - 16;
        out[14] = (byte) (len >>> 8);
        out[15] = (byte) len;
        CRC32C crc = new CRC32C();
        crc.update(out);
        long v = crc.getValue();
        for (int i = 0; i < 4; i++) out[out.length - 4 + i] = (byte) (v >>> (24 - 8 * i));
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }
}
