// A UDP+TCP relay in front of Knot that never answers questions for chosen names, so timeouts are real.
package dev.gatehouse.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.xbill.DNS.Message;

/**
 * Knot answers every question it can; a resolver's timeout handling can only be tested against a server
 * that stays silent. This relay listens on its own port (UDP and TCP, the same number) and forwards every
 * datagram and every length-prefixed TCP message to Knot byte for byte, except those whose question name is
 * in the drop set: those are read and forgotten (the TCP connection stays open, silent). Anything it cannot
 * parse is forwarded unchanged, so malformed queries still reach Knot.
 */
final class DropRelay implements AutoCloseable {
    private static final int UPSTREAM_TIMEOUT_MS = 5_000;

    private final InetSocketAddress upstream;
    private final Set<String> drop;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private DropRelay(InetSocketAddress upstream, Set<String> drop, DatagramSocket udp, ServerSocket tcp) {
        this.upstream = upstream;
        this.drop = drop;
        this.udp = udp;
        this.tcp = tcp;
    }

    static DropRelay start(InetSocketAddress upstream, Set<String> dropNames) throws IOException {
        Set<String> drop = dropNames.stream().map(DropRelay::normalise).collect(Collectors.toUnmodifiableSet());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            ServerSocket tcp = null;
            try {
                tcp = new ServerSocket(port, 50, loopback);
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
                DropRelay relay = new DropRelay(upstream, drop, udp, tcp);
                Thread.ofVirtual().name("dns-relay-udp").start(relay::serveUdp);
                Thread.ofVirtual().name("dns-relay-tcp").start(relay::serveTcp);
                return relay;
            } catch (IOException e) {
                last = e;
                if (tcp != null) tcp.close();
            }
        }
        throw last;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    private boolean dropped(byte[] query) {
        try {
            Message message = new Message(query);
            return message.getQuestion() != null && drop.contains(normalise(message.getQuestion().getName().toString()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                continue; // closed (the loop ends) or a stray ICMP error
            }
            byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            if (!dropped(query)) Thread.ofVirtual().start(() -> forwardUdp(query, client));
        }
    }

    private void forwardUdp(byte[] query, InetSocketAddress client) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(UPSTREAM_TIMEOUT_MS);
            socket.send(new DatagramPacket(query, query.length, upstream));
            DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
            socket.receive(reply);
            udp.send(new DatagramPacket(reply.getData(), reply.getLength(), client));
        } catch (IOException e) {
            // Knot did not answer: neither does the relay
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket client = tcp.accept();
                connections.add(client);
                Thread.ofVirtual().name("dns-relay-conn").start(() -> serveConnection(client));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private void serveConnection(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                if (dropped(query)) continue;
                byte[] reply = forwardTcp(query);
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or Knot did not answer: the connection ends
        } finally {
            connections.remove(client);
        }
    }

    private byte[] forwardTcp(byte[] query) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, UPSTREAM_TIMEOUT_MS);
            socket.setSoTimeout(UPSTREAM_TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return reply;
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // nothing left to release
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
