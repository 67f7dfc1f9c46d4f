// Socket-free helpers for the rules tests: rules validated and compiled as the service would, messages, a small organization.
package dev.gatehouse.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.gatehouse.mail.Message;

/** Contoso's organization: contoso.com (and its subdomains are not accepted); alice, bob and audit are its mailboxes. */
final class RuleTestKit {
    private RuleTestKit() {}

    static final long TENANT = 1;

    static final Organization ORG = new Organization() {
        @Override public boolean inOrganization(long tenantId, String address) {
            return tenantId == TENANT && address.toLowerCase(java.util.Locale.ROOT).endsWith("@contoso.com");
        }

        @Override public Recipient resolve(long tenantId, String address) {
            return inOrganization(tenantId, address) ? new Recipient(address.toLowerCase(java.util.Locale.ROOT), 7L) : null;
        }
    };

    /** A rule under construction; {@link #compile()} validates its parameters as RuleService does. */
    static final class R {
        final String name;
        final Map<String, Object> params = new LinkedHashMap<>();
        int priority;
        RuleMode mode = RuleMode.Enforce;
        boolean stop;
        Instant activation;
        Instant expiry;
        String location = "Header";
        RuleErrorAction onError = RuleErrorAction.Ignore;

        R(String name) { this.name = name; }

        R p(String key, Object value) { params.put(key, value); return this; }

        R mode(RuleMode m) { mode = m; return this; }

        R stop() { stop = true; return this; }

        R window(Instant from, Instant to) { activation = from; expiry = to; return this; }

        R location(String l) { location = l; return this; }

        R defer() { onError = RuleErrorAction.Defer; return this; }

        CompiledRule compile() {
            RuleParameters.validate(params);
            return CompiledRule.of(new TransportRule(TENANT, String.format("00000000-0000-0000-0000-%012d", Math.abs(name.hashCode())), name,
                    priority, mode, true, activation, expiry, stop, location, null, onError, params, Instant.now()));
        }
    }

    static R rule(String name) { return new R(name); }

    /** One rule from alternating key/value pairs. */
    static CompiledRule rule(String name, Object... pairs) {
        R r = new R(name);
        for (int i = 0; i < pairs.length; i += 2) r.p((String) pairs[i], pairs[i + 1]);
        return r.compile();
    }

    /** A received message: its header and body joined with CRLF line ends (write the text with \n). */
    static Message msg(String text) {
        return Message.parse(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static MessageFacts facts(String text) { return facts(text, "sender@partner.example", "203.0.113.50"); }

    static MessageFacts facts(String text, String envelopeFrom, String clientIp) {
        try {
            return new MessageFacts(msg(text), envelopeFrom, clientIp == null ? null : InetAddress.getByName(clientIp));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<Organization.Recipient> rcpts(String... addresses) {
        return Arrays.stream(addresses).map(a -> new Organization.Recipient(a, null)).toList();
    }

    static RuleVerdict evaluate(List<CompiledRule> rules, MessageFacts facts, String... recipients) {
        return RuleEvaluator.evaluate(rules, TENANT, facts, rcpts(recipients), ORG, Instant.now(), Deadline.none());
    }

    static RuleVerdict evaluate(CompiledRule rule, MessageFacts facts, String... recipients) {
        return evaluate(List.of(rule), facts, recipients);
    }

    static RuleVerdict.Outcome outcome(RuleVerdict v, String address) {
        return v.outcomes().stream().filter(o -> o.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(address + " has no outcome in " + v.outcomes()));
    }

    /** The recipients a rule matched (one TransportRule note each). */
    static Set<String> matched(RuleVerdict v, String ruleName) {
        return v.notes().stream().filter(n -> n.type().equals("TransportRule") && n.detail().startsWith("Transport rule: '" + ruleName + "'"))
                .map(RuleVerdict.Note::recipient).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** The message with the recipient's edits applied, as text. */
    static String edited(Message m, RuleVerdict.Outcome o) {
        return new String(ContentEditor.apply(m, o.edits()), StandardCharsets.UTF_8);
    }
}
