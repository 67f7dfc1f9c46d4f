// JMH: one message through a tenant's 300 mail flow rules (Exchange Online's cap), mixed conditions.
package dev.gatehouse.bench;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.gatehouse.rules.CompiledRule;
import dev.gatehouse.rules.Deadline;
import dev.gatehouse.rules.MessageFacts;
import dev.gatehouse.rules.Organization;
import dev.gatehouse.rules.RuleEvaluator;
import dev.gatehouse.rules.RuleVerdict;
import dev.gatehouse.rules.TransportRule;

/**
 * Each invocation parses the stored message's headers (a new {@link MessageFacts}, as the pipeline does per
 * message) and evaluates 300 enabled rules for two recipients: words in subject/headers/addresses,
 * .NET-style patterns, sender/recipient domains, IP ranges, size, importance, attachment extensions (this
 * forces the MIME walk) and per-recipient SentTo; a handful match and set headers, none stops evaluation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {
    List<CompiledRule> rules;
    byte[] message;
    InetAddress client;
    List<Organization.Recipient> recipients;
    final Organization org = new Organization() {
        @Override public boolean inOrganization(long tenantId, String address) { return address.endsWith("@contoso.com"); }
        @Override public Recipient resolve(long tenantId, String address) { return inOrganization(tenantId, address) ? new Recipient(address, 1L) : null; }
    };

    @Setup
    public void setUp() throws Exception {
        rules = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            switch (i % 12) {
                case 0 -> p.put("SubjectContainsWords", List.of("invoice" + i, "urgent payment " + i, "wire" + i));
                case 1 -> { p.put("HeaderContainsMessageHeader", "X-Scanner"); p.put("HeaderContainsWords", List.of("scanner" + i)); }
                case 2 -> p.put("SenderDomainIs", List.of("partner" + i + ".example", "vendor" + i + ".example"));
                case 3 -> p.put("SenderIpRanges", List.of("10." + i % 250 + ".0.0/16", "192.0.2." + i % 250 + "-192.0.2.254", "2001:db8:" + i + "::/48"));
                case 4 -> p.put("FromAddressMatchesPatterns", List.of("^noreply" + i + "@", "\\.bad" + i + "\\.example$"));
                case 5 -> p.put("RecipientDomainIs", List.of("sub" + i + ".contoso.com"));
                case 6 -> p.put("SentTo", List.of("user" + i + "@contoso.com"));
                case 7 -> p.put("SubjectMatchesPatterns", List.of("INV-\\d{4}-" + i, "^\\[ext" + i + "\\]"));
                case 8 -> p.put("MessageSizeOver", 50_000_000L + i);
                case 9 -> p.put("AttachmentExtensionMatchesWords", List.of("exe" + i, "js" + i));
                case 10 -> { p.put("FromAddressContainsWords", List.of("alerts" + i)); p.put("ExceptIfSubjectContainsWords", List.of("weekly")); }
                default -> p.put("WithImportance", i % 24 == 11 ? "High" : "Low");
            }
            p.put("SetHeaderName", "X-Rule-" + i);
            p.put("SetHeaderValue", "matched");
            rules.add(CompiledRule.of(new TransportRule(1, String.format("00000000-0000-0000-0000-%012d", i), "Rule " + i, i, "Enforce",
                    true, null, null, false, "Header", null, "Ignore", p, Instant.now())));
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40; i++) body.append("Quarterly results line ").append(i).append(" with some ordinary words in it.\r\n");
        message = ("Received: from mx.partner.example (203.0.113.50)\r\n by mx.gatehouse.test (Gatehouse) with ESMTPS id 1;\r\n Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "X-MS-Exchange-Organization-Network-Message-Id: 8026f7a2-10c7-4894-75d5-08db7c3b05c4\r\n"
                + "X-MS-Exchange-Organization-AuthAs: Anonymous\r\n"
                + "From: \"Reports\" <reports@partner.example>\r\nTo: alice@contoso.com, bob@contoso.com\r\n"
                + "Subject: =?UTF-8?Q?Quarterly_r=C3=A9sults?= for review\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <abc@partner.example>\r\nX-Scanner: Contoso-Scanner v2\r\nImportance: High\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "--b1\r\nContent-Type: application/pdf; name=report.pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURlY29kZT4+\r\n--b1--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        client = InetAddress.getByName("203.0.113.50");
        recipients = List.of(new Organization.Recipient("alice@contoso.com", 1L), new Organization.Recipient("bob@contoso.com", 2L));
    }

    @Benchmark
    public RuleVerdict evaluate300Rules() {
        return RuleEvaluator.evaluate(rules, 1, new MessageFacts(message, "reports@partner.example", client), recipients, org,
                Instant.now(), Deadline.in(2000));
    }
}
