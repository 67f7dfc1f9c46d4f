// OpenSpfSuiteTest: the OpenSPF RFC 7208 test suite (src/test/resources/spf/rfc7208-tests.yml), every case against a real DNS server.
package dev.gatehouse.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.dns.testing.DnsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per suite case, grouped by section, named by the case. Each section's zonedata becomes a root
 * zone served by Knot ({@link SuiteZone}), one server per section; each case runs {@link Spf#checkHost} for its
 * MAIL FROM (or, when that is empty, for {@code postmaster@<helo>}, as the suite's drivers do) and compares the
 * result with {@code result} (one word or a list of acceptable ones) and, when given, the explanation
 * ({@code DEFAULT} meaning no exp= text was used). No case is skipped; see README.md beside the suite file.
 */
class OpenSpfSuiteTest {

    private static final String SUITE = "/spf/rfc7208-tests.yml";

    /** The server of the section running now: sections run one after another, so one server at a time. */
    private static DnsServer server;
    private static Object serverSection;

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        server = null;
    }

    @TestFactory
    Stream<DynamicNode> suite() throws Exception {
        List<DynamicNode> sections = new ArrayList<>();
        for (Map<String, Object> section : sections()) {
            String name = (String) section.get("description");
            Map<String, Object> zonedata = map(section.get("zonedata"));
            SuiteZone zone = SuiteZone.of(zonedata);
            List<DynamicTest> cases = new ArrayList<>();
            for (Map.Entry<String, Object> c : map(section.get("tests")).entrySet()) {
                Map<String, Object> test = map(c.getValue());
                cases.add(DynamicTest.dynamicTest(c.getKey(), () -> run(section, zone, c.getKey(), test)));
            }
            sections.add(DynamicContainer.dynamicContainer(name, cases.stream()));
        }
        assertThat(sections).hasSize(16);
        return sections.stream();
    }

    /** The suite's 16 YAML documents, one per section. */
    static List<Map<String, Object>> sections() throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(OpenSpfSuiteTest.class.getResourceAsStream(SUITE), SUITE);
             MappingIterator<Map<String, Object>> docs = new YAMLMapper().readerForMapOf(Object.class).readValues(in)) {
            while (docs.hasNext()) out.add(docs.next());
        }
        return out;
    }

    private static void run(Object section, SuiteZone zone, String name, Map<String, Object> test) throws Exception {
        if (serverSection != section) {
            stop();
            server = DnsServer.start(Map.of(".", zone.body()), zone.timeoutNames());
            serverSection = section;
        }
        String helo = String.valueOf(test.get("helo"));
        String mailFrom = String.valueOf(test.get("mailfrom"));
        InetAddress ip = InetAddress.ofLiteral(String.valueOf(test.get("host")));
        String domain = mailFrom.isEmpty() ? helo : mailFrom.substring(mailFrom.lastIndexOf('@') + 1);
        String sender = mailFrom.isEmpty() ? "postmaster@" + helo : mailFrom;
        Spf spf = new Spf(server.resolver(), "receiver.example", Spf.DEFAULT_TIME_BUDGET, Clock.systemUTC());

        SpfResult r = spf.checkHost(ip, domain, sender, helo);

        List<String> accepted = test.get("result") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(test.get("result")));
        String about = name + " (spec " + test.get("spec") + "): " + r;
        assertThat(r.result().word()).as(about).isIn(accepted);
        if (!r.result().word().equals(accepted.getFirst())) {
            System.out.println("suite case " + name + " gave " + r.result().word() + ", accepted; the suite prefers " + accepted.getFirst());
        }
        if (test.containsKey("explanation")) {
            String expected = String.valueOf(test.get("explanation"));
            assertThat(r.explanation()).as(about).isEqualTo(expected.equals("DEFAULT") ? null : expected);
        }
    }

    private static Map<String, Object> map(Object o) {
        return SuiteZone.map(o);
    }
}
