// DnsResolver against servers that misbehave on purpose: what they send must never crash, stall or mislead it.
package dev.gatehouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

import dev.gatehouse.dns.Lookup.Result;

class DnsHostileServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final ScriptedServer.TcpScript NO_TCP = connection -> {};

    private static Name name(String text) {
        return Name.fromConstantString(text);
    }

    private static InetAddress ip(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) bytes[i] = (byte) octets[i];
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Lookup<String> txt(ScriptedServer server, String name) {
        return new DnsResolver(List.of(server.address()), TIMEOUT).txt(name);
    }

    @Test
    void garbageCarryingTheQueryIdIsATemporaryFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> {
            int id = q.getHeader().getID();
            return List.of(new byte[] {(byte) (id >> 8), (byte) id, (byte) 0x81, 0, 0, 1, 0, 9, (byte) 0xff, (byte) 0xff});
        }, NO_TCP)) {
            assertThat(txt(server, "example.com").result()).isEqualTo(Result.TEMP_FAIL);
        }
    }

    @Test
    void straysAndForgedAnswersAreIgnoredAndTheRealAnswerCounts() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> {
            Message wrongId = ScriptedServer.reply(q, List.of(new TXTRecord(name("example.com."), DClass.IN, 60, "forged")));
            wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
            Message wrongQuestion = new Message(q.getHeader().getID());
            wrongQuestion.getHeader().setFlag(Flags.QR);
            wrongQuestion.addRecord(Record.newRecord(name("other.example."), q.getQuestion().getType(), DClass.IN), org.xbill.DNS.Section.QUESTION);
            Message real = ScriptedServer.reply(q, List.of(
                    new TXTRecord(name("unrelated.example."), DClass.IN, 60, "injected"),
                    new TXTRecord(name("example.com."), DClass.IN, 60, "real")));
            return List.of(new byte[] {1}, wrongId.toWire(), wrongQuestion.toWire(), real.toWire());
        }, NO_TCP)) {
            assertThat(txt(server, "example.com").records()).containsExactly("real");
        }
    }

    @Test
    void aTcpServerTricklingBytesIsCutAtTheDeadline() throws Exception {
        ScriptedServer.TcpScript trickle = connection -> {
            OutputStream out = connection.getOutputStream();
            out.write(new byte[] {0x10, 0x00}); // 4,096 octets announced, one sent every 100 ms
            for (int i = 0; i < 4096; i++) {
                out.write(0);
                out.flush();
                Thread.sleep(100);
            }
        };
        try (ScriptedServer server = new ScriptedServer(q -> List.of(ScriptedServer.reply(q, Rcode.NOERROR, List.of(), Flags.TC).toWire()), trickle)) {
            long start = System.nanoTime();
            assertThat(txt(server, "example.com").result()).isEqualTo(Result.TEMP_FAIL);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        ScriptedServer.TcpScript full = connection -> {
            DataInputStream in = new DataInputStream(connection.getInputStream());
            byte[] query = new byte[in.readUnsignedShort()];
            in.readFully(query);
            byte[] answer = ScriptedServer.reply(new Message(query),
                    List.of(new TXTRecord(name("example.com."), DClass.IN, 60, "over tcp"))).toWire();
            OutputStream out = connection.getOutputStream();
            out.write(new byte[] {(byte) (answer.length >> 8), (byte) answer.length});
            out.write(answer);
            out.flush();
        };
        try (ScriptedServer server = new ScriptedServer(q -> List.of(ScriptedServer.reply(q, Rcode.NOERROR, List.of(), Flags.TC).toWire()), full)) {
            assertThat(txt(server, "example.com").records()).containsExactly("over tcp");
        }
    }

    @Test
    void aCnameWhoseTargetTheServerLeftOutIsAskedForSeparately() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> {
            Name asked = q.getQuestion().getName();
            List<Record> answer = asked.equals(name("alias.example.com."))
                    ? List.of(new CNAMERecord(asked, DClass.IN, 60, name("target.example.net.")))
                    : List.of(new TXTRecord(asked, DClass.IN, 60, "v=DMARC1; p=none"));
            return List.of(ScriptedServer.reply(q, answer).toWire());
        }, NO_TCP)) {
            assertThat(txt(server, "alias.example.com").records()).containsExactly("v=DMARC1; p=none");
            assertThat(server.distinctQueries()).isEqualTo(2);
        }
    }

    @Test
    void refusedAndServfailAreTemporaryFailures() throws Exception {
        for (int rcode : new int[] {Rcode.SERVFAIL, Rcode.REFUSED, Rcode.FORMERR, Rcode.NOTIMP}) {
            try (ScriptedServer server = new ScriptedServer(q -> List.of(ScriptedServer.reply(q, rcode, List.of()).toWire()), NO_TCP)) {
                assertThat(txt(server, "example.com").result()).as(Rcode.string(rcode)).isEqualTo(Result.TEMP_FAIL);
            }
        }
    }

    @Test
    void aMappedIpv6AddressStaysIpv6() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> List.of(ScriptedServer.reply(q, List.of(
                new org.xbill.DNS.AAAARecord(name("example.com."), DClass.IN, 60, ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1)))).toWire()), NO_TCP)) {
            Lookup<InetAddress> aaaa = new DnsResolver(List.of(server.address()), TIMEOUT).aaaa("example.com");
            assertThat(aaaa.records()).singleElement().isInstanceOf(java.net.Inet6Address.class);
        }
    }

    @Test
    void aNegativeAnswerWithoutAnSoaIsKeptForHalfAMinuteNotAskedForEveryMessage() throws Exception {
        // closed networks' forwarders answer NXDOMAIN with no SOA for every missing SPF, DMARC and PTR record
        try (ScriptedServer server = new ScriptedServer(q -> List.of(ScriptedServer.reply(q, Rcode.NXDOMAIN, List.of()).toWire()), NO_TCP)) {
            Dns dns = new DnsResolver(List.of(server.address()), TIMEOUT);
            assertThat(dns.txt("_dmarc.example.com").result()).isEqualTo(Result.NX_DOMAIN);
            assertThat(dns.txt("_dmarc.example.com").result()).isEqualTo(Result.NX_DOMAIN);
            assertThat(dns.txt("example.com").result()).isEqualTo(Result.NX_DOMAIN);
            assertThat(server.distinctQueries()).isEqualTo(2);
        }
    }

    @Test
    void aDroppedQueryIsAskedAgainWithinAQuarterSecondNotHalfTheTimeout() throws Exception {
        java.util.concurrent.atomic.AtomicInteger datagrams = new java.util.concurrent.atomic.AtomicInteger();
        try (ScriptedServer server = new ScriptedServer(q -> datagrams.incrementAndGet() == 1
                ? List.of() // the first datagram is lost on the way
                : List.of(ScriptedServer.reply(q, List.of(new TXTRecord(name("example.com."), DClass.IN, 60, "v=spf1 -all"))).toWire()), NO_TCP)) {
            long start = System.nanoTime();
            Lookup<String> answer = new DnsResolver(List.of(server.address()), Duration.ofSeconds(6)).txt("example.com");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.records()).containsExactly("v=spf1 -all");
            // the first resend goes at 250 ms; before, it went half-way through the timeout (3 s here)
            assertThat(took).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void aSilentServerGetsFourDatagramsAndTheLookupEndsAtItsDeadline() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> List.of(), NO_TCP)) {
            long start = System.nanoTime();
            Lookup<String> answer = new DnsResolver(List.of(server.address()), Duration.ofSeconds(3)).txt("example.com");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.result()).isEqualTo(Result.TEMP_FAIL);
            assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(5));
            assertThat(server.queries()).isEqualTo(4); // sent at 0, 250 ms, 750 ms and 1.75 s
        }
    }

    @Test
    void fiftySessionsAskingTheSameQuestionCauseOneQuery() throws Exception {
        try (ScriptedServer server = new ScriptedServer(q -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(ScriptedServer.reply(q, List.of(new ARecord(name("example.com."), DClass.IN, 300,
                    ip(192, 0, 2, 7)))).toWire());
        }, NO_TCP)) {
            Dns dns = new DnsResolver(List.of(server.address()), TIMEOUT);
            List<Future<Lookup<InetAddress>>> answers = new ArrayList<>();
            try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) answers.add(sessions.submit(() -> dns.a("example.com")));
            }
            for (Future<Lookup<InetAddress>> answer : answers) assertThat(answer.get().found()).isTrue();
            assertThat(server.distinctQueries()).isEqualTo(1);   // a resend on a slow machine is the same query again
        }
    }
}
