// The fixture's own DNS client: one question over UDP or TCP, to tell when Knot is ready and serving the zones.
package dev.gatehouse.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Deliberately independent of the resolver under test (main code), so a bug there cannot make the fixture
 * report a server that is not ready as ready, or the other way round.
 */
final class Probe {
    private static final int TIMEOUT_MS = 200;

    private Probe() {}

    /** The answer to one question, or empty when the server did not answer in time or not readably. */
    static Optional<Message> ask(InetSocketAddress server, String name, int type, int dclass, boolean tcp) {
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, dclass));
            byte[] wire = query.toWire();
            byte[] reply = tcp ? overTcp(server, wire) : overUdp(server, wire);
            Message response = new Message(reply);
            return response.getHeader().getID() == query.getHeader().getID() ? Optional.of(response) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Message> ask(InetSocketAddress server, String name, int type, boolean tcp) {
        return ask(server, name, type, DClass.IN, tcp);
    }

    private static byte[] overUdp(InetSocketAddress server, byte[] wire) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(server); // so a closed port fails at once (ICMP) instead of after the timeout
            socket.send(new DatagramPacket(wire, wire.length));
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            socket.receive(packet);
            return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }

    private static byte[] overTcp(InetSocketAddress server, byte[] wire) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            return in.readNBytes(in.readUnsignedShort());
        }
    }
}
