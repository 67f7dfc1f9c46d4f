// Sends one DNS query to one server, UDP first and TCP when the answer is truncated, within a hard deadline.
package dev.gatehouse.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * dnsjava's own resolvers hide the parts a gateway must control: how long a slow server may hold a session,
 * which datagrams count as the answer, and what happens to a TCP server that trickles bytes. This transport
 * owns the sockets: a connected UDP socket on a random port (so stray and forged datagrams are ignored unless
 * they match the query's ID and question), resends after 250 ms, 500 ms and 1 s while the deadline allows, TCP
 * on the TC bit, and every read bounded by the deadline rather than by a per-read timeout. Answers are at most 65,535 octets by the wire
 * format, so nothing a server sends can make it buffer more. It never throws: a failure is an empty answer.
 */
final class Transport {
    private static final int MAX_MESSAGE = 65_535;
    /**
     * A lost datagram is asked again after 250 ms, then after 500 ms, 1 s... (the same query, so any answer counts)
     * while the deadline allows, at most four sends in all: a recursive resolver answers from its cache within
     * milliseconds, and one dropped packet must not hold a message for half the timeout.
     */
    private static final long FIRST_RESEND_NANOS = 250_000_000L;
    private static final int MAX_SENDS = 4;

    private Transport() {}

    /** The server's answer to {@code query}, or empty on timeout, network error or an unreadable answer. */
    static Optional<Message> exchange(Message query, InetSocketAddress server, long deadlineNanos) {
        byte[] wire = query.toWire();
        try {
            Optional<Message> answer = udp(query, wire, server, deadlineNanos);
            if (answer.isPresent() && answer.get().getHeader().getFlag(Flags.TC)) {
                return tcp(query, wire, server, deadlineNanos);
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Message> udp(Message query, byte[] wire, InetSocketAddress server, long deadline) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            DatagramPacket packet = new DatagramPacket(wire, wire.length);
            socket.send(packet);
            long interval = FIRST_RESEND_NANOS;
            long resendAt = System.nanoTime() + interval;
            int sent = 1;
            byte[] buffer = new byte[MAX_MESSAGE];
            while (true) {
                boolean mayResend = sent < MAX_SENDS && resendAt - deadline < 0;
                if (!setTimeout(socket, mayResend ? resendAt : deadline)) {
                    if (!mayResend) return Optional.empty();
                    socket.send(packet);
                    sent++;
                    interval *= 2;
                    resendAt = System.nanoTime() + interval;
                    continue;
                }
                DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(received);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                byte[] bytes = Arrays.copyOf(buffer, received.getLength());
                Optional<Message> message = parse(bytes);
                if (message.isPresent() && answers(message.get(), query)) return message;
                // unreadable but carrying our ID: the server's answer is broken, fail now; anything else is a stray
                if (message.isEmpty() && carriesId(bytes, query.getHeader().getID())) return Optional.empty();
            }
        }
    }

    private static boolean setTimeout(DatagramSocket socket, long until) throws IOException {
        long millis = (until - System.nanoTime()) / 1_000_000;
        if (millis <= 0) return false;
        socket.setSoTimeout((int) Math.min(millis, Integer.MAX_VALUE));
        return true;
    }

    private static Optional<Message> tcp(Message query, byte[] wire, InetSocketAddress server, long deadline) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = remainingMillis(deadline);
            if (millis <= 0) return Optional.empty();
            socket.connect(server, millis);
            OutputStream out = socket.getOutputStream();
            byte[] framed = new byte[wire.length + 2];
            framed[0] = (byte) (wire.length >>> 8);
            framed[1] = (byte) wire.length;
            System.arraycopy(wire, 0, framed, 2, wire.length);
            out.write(framed);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] length = readFully(socket, in, 2, deadline);
            if (length == null) return Optional.empty();
            int size = ((length[0] & 0xff) << 8) | (length[1] & 0xff);
            byte[] message = readFully(socket, in, size, deadline);
            return message == null ? Optional.empty() : parse(message).filter(answer -> answers(answer, query));
        }
    }

    /** Exactly {@code size} octets, or null when the stream ends or the deadline passes first. */
    private static byte[] readFully(Socket socket, InputStream in, int size, long deadline) throws IOException {
        byte[] bytes = new byte[size];
        int read = 0;
        while (read < size) {
            int millis = remainingMillis(deadline);
            if (millis <= 0) return null;
            socket.setSoTimeout(millis);
            int n;
            try {
                n = in.read(bytes, read, size - read);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (n < 0) return null;
            read += n;
        }
        return bytes;
    }

    private static int remainingMillis(long deadline) {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        return (int) Math.max(0, Math.min(millis, Integer.MAX_VALUE));
    }

    private static boolean carriesId(byte[] bytes, int id) {
        return bytes.length >= 2 && (((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff)) == id;
    }

    private static Optional<Message> parse(byte[] bytes) {
        try {
            return Optional.of(new Message(bytes));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code answer} is a response to {@code query}: same ID, QR set, same question. */
    private static boolean answers(Message answer, Message query) {
        Record asked = query.getQuestion();
        Record echoed = answer.getQuestion();
        return answer.getHeader().getID() == query.getHeader().getID()
                && answer.getHeader().getFlag(Flags.QR)
                && echoed != null
                && echoed.getName().equals(asked.getName())
                && echoed.getType() == asked.getType()
                && echoed.getDClass() == asked.getDClass();
    }
}
