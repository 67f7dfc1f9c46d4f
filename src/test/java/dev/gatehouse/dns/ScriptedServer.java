// A DNS server on real sockets that answers however a test scripts it: garbage, strays, truncation, trickling TCP.
package dev.gatehouse.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Knot only sends well-formed answers; the resolver must also survive servers that do not. This one listens on
 * 127.0.0.1 (UDP, and TCP on the same port) and hands each UDP query to a script that returns the datagrams to
 * send back; TCP connections go to a second script. It counts the UDP queries it receives.
 */
final class ScriptedServer implements AutoCloseable {
    interface TcpScript { void serve(Socket connection) throws IOException, InterruptedException; }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicInteger queries = new AtomicInteger();
    private final Set<Integer> ids = ConcurrentHashMap.newKeySet();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    ScriptedServer(Function<Message, List<byte[]>> udpScript, TcpScript tcpScript) throws IOException {
        tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()));
        Thread.ofVirtual().start(() -> serveUdp(udpScript));
        Thread.ofVirtual().start(() -> serveTcp(tcpScript));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort());
    }

    int queries() {
        return queries.get();
    }

    /** Queries by ID: a resend (the same query after 250 ms without an answer, as on a busy machine) counts once. */
    int distinctQueries() {
        return ids.size();
    }

    /** A response to {@code query} with {@code rcode}, the given answer records, and the flags given set. */
    static Message reply(Message query, int rcode, List<Record> answers, int... flags) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        for (int flag : flags) reply.getHeader().setFlag(flag);
        reply.getHeader().setRcode(rcode);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        for (Record r : answers) reply.addRecord(r, Section.ANSWER);
        return reply;
    }

    static Message reply(Message query, List<Record> answers) {
        return reply(query, Rcode.NOERROR, answers);
    }

    private void serveUdp(Function<Message, List<byte[]>> script) {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                ids.add(query.getHeader().getID());
                for (byte[] datagram : script.apply(query)) {
                    udp.send(new DatagramPacket(datagram, datagram.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // closed, or a query the script did not expect: no answer
            }
        }
    }

    private void serveTcp(TcpScript script) {
        while (!tcp.isClosed()) {
            try {
                Socket connection = tcp.accept();
                connections.add(connection);
                Thread.ofVirtual().start(() -> {
                    try (connection) {
                        script.serve(connection);
                    } catch (IOException | InterruptedException e) {
                        // the resolver went away
                    }
                });
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
        for (Socket connection : connections) connection.close();
    }
}
