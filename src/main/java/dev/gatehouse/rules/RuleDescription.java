// A transport rule in Exchange's words: the sentences of its conditions, exceptions and actions, and Get-TransportRule's Description.
package dev.gatehouse.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a rule does, as Exchange Online's {@code Get-TransportRule} writes it in {@code Description}:
 *
 * <pre>
 * If the message:
 * 	Is received from 'Outside the organization'
 * 	and Includes these words in the message subject: 'invoice' or 'payment'
 * Take the following actions:
 * 	Prepend the subject with '[External] '
 * 	and Stop processing more rules
 * Except if the message:
 * 	sender ip addresses belong to one of these ranges: '192.0.2.0/24'
 * 	or Is sent to 'Inside the organization'
 * </pre>
 *
 * Lines end with CRLF and the sentences are indented by a tab, as Exchange's are; conditions are joined with
 * "and", exceptions with "or" (one is enough) and actions with "and". Values are quoted with single quotes, a
 * list's values joined with {@code ' or '}. A rule without conditions has no "If the message:" part (it applies
 * to every message). Where Exchange's own sentence is known it is used word for word (lower-case first letters
 * included); the others are Gatehouse's, in the same style: {@code docs/decisions/rules-description-words.md}.
 * The admin surfaces show these lists and this text; none of them words a rule itself.
 *
 * @param conditions one sentence per condition, in the order of {@link RuleParameters#CONDITIONS}
 * @param exceptions one sentence per exception, in the same order
 * @param actions    one sentence per action in the order the rule applies them, then "Stop processing more rules"
 *                   when the rule says so
 * @param text       the whole Description
 */
public record RuleDescription(List<String> conditions, List<String> exceptions, List<String> actions, String text) {
    public RuleDescription {
        conditions = List.copyOf(conditions);
        exceptions = List.copyOf(exceptions);
        actions = List.copyOf(actions);
    }

    static final String CRLF = "\r\n";
    static final String STOP = "Stop processing more rules";

    public static RuleDescription of(TransportRule rule) {
        Map<String, Object> p = rule.parameters();
        List<String> conditions = conditions(p, "");
        List<String> exceptions = conditions(p, "ExceptIf");
        List<String> actions = new ArrayList<>();
        for (RuleAction a : RuleParameters.actions(p)) actions.add(action(a));
        if (rule.stopRuleProcessing()) actions.add(STOP);
        StringBuilder text = new StringBuilder();
        part(text, "If the message:", conditions, "and ");
        part(text, "Take the following actions:", actions, "and ");
        part(text, "Except if the message:", exceptions, "or ");
        return new RuleDescription(conditions, exceptions, actions, text.toString());
    }

    private static void part(StringBuilder text, String heading, List<String> sentences, String joiner) {
        if (sentences.isEmpty()) return;
        text.append(heading).append(CRLF);
        for (int i = 0; i < sentences.size(); i++) text.append('\t').append(i == 0 ? "" : joiner).append(sentences.get(i)).append(CRLF);
    }

    /** The sentences of the conditions ({@code prefix} "") or of the exceptions ("ExceptIf"), in catalogue order. */
    private static List<String> conditions(Map<String, Object> p, String prefix) {
        List<String> out = new ArrayList<>();
        for (String name : RuleParameters.CONDITIONS.keySet()) {
            if (!RuleParameters.has(p, prefix + name)) continue;
            String sentence = condition(name, p.get(prefix + name), p.get(prefix + pairOf(name)));
            if (sentence != null) out.add(sentence);
        }
        return out;
    }

    /** The parameter read with a header-name condition (its words or patterns), or "" for the others. */
    private static String pairOf(String name) {
        return switch (name) {
            case "HeaderContainsMessageHeader" -> "HeaderContainsWords";
            case "HeaderMatchesMessageHeader" -> "HeaderMatchesPatterns";
            default -> "";
        };
    }

    /**
     * One condition's sentence (an exception's is the same sentence); null for the words or patterns of a header
     * condition, which are written with their header. A condition without words is a programming error: the
     * catalogue test fails the build.
     */
    static String condition(String name, Object value, Object pair) {
        return switch (name) {
            case "From" -> "Is received from " + quoted(value);
            case "FromScope" -> "Is received from " + quoted(scope(value));
            case "FromAddressContainsWords" -> "Includes these words in the sender's address: " + quoted(value);
            case "FromAddressMatchesPatterns" -> "Includes these patterns in the sender's address: " + quoted(value);
            case "SenderDomainIs" -> "sender's address domain portion belongs to any of these domains: " + quoted(value);
            case "SenderIpRanges" -> "sender ip addresses belong to one of these ranges: " + quoted(value);
            case "HeaderContainsMessageHeader" -> quoted(value) + " header contains " + quoted(pair);
            case "HeaderMatchesMessageHeader" -> quoted(value) + " header matches the following patterns: " + quoted(pair);
            case "HeaderContainsWords", "HeaderMatchesPatterns" -> null;
            case "SentTo" -> "Is sent to " + quoted(value);
            case "SentToScope" -> "Is sent to " + quoted(scope(value));
            case "RecipientDomainIs" -> "recipient's address domain portion belongs to any of these domains: " + quoted(value);
            case "RecipientAddressContainsWords" -> "Includes these words in the recipient's address: " + quoted(value);
            case "AnyOfToHeader" -> "The To box contains " + quoted(value);
            case "AnyOfToCcHeader" -> "The To or Cc box contains " + quoted(value);
            case "SubjectContainsWords" -> "Includes these words in the message subject: " + quoted(value);
            case "SubjectOrBodyContainsWords" -> "Includes these words in the message subject or body: " + quoted(value);
            case "SubjectMatchesPatterns" -> "Includes these patterns in the message subject: " + quoted(value);
            case "AttachmentExtensionMatchesWords" -> "Any attachment's file extension includes these words: " + quoted(value);
            case "AttachmentNameMatchesPatterns" -> "Any attachment's file name matches these text patterns: " + quoted(value);
            case "MessageSizeOver" -> "Message size is greater than " + quoted(size(((Number) value).longValue()));
            case "SCLOver" -> "Spam confidence level (SCL) is greater than or equal to " + quoted(value);
            case "WithImportance" -> "Is marked with " + quoted(value) + " importance";
            default -> throw new IllegalStateException("-" + name + " has no words: add its sentence to RuleDescription.condition");
        };
    }

    /** One action's sentence; the switch is exhaustive, so a new action doesn't compile without words. */
    static String action(RuleAction a) {
        return switch (a) {
            case RuleAction.Quarantine q -> "Deliver the message to the hosted quarantine";
            case RuleAction.Redirect r -> "Redirect the message to " + quoted(r.addresses());
            case RuleAction.Reject r -> "reject the message and include the explanation " + quoted(r.text()) + " with the status code: "
                    + quoted(r.code());
            case RuleAction.Delete d -> "Delete the message without notifying the recipient or sender";
            case RuleAction.SetHeader h -> "set message header " + quoted(h.header()) + " with the value " + quoted(h.value());
            case RuleAction.RemoveHeader h -> "Remove the message header " + quoted(h.header());
            case RuleAction.PrependSubject s -> "Prepend the subject with " + quoted(s.prefix());
            case RuleAction.AddRecipients r -> switch (r.kind()) {
                case "To" -> "Add the recipients " + quoted(r.addresses()) + " to the To box";
                case "Cc" -> "Add the recipients " + quoted(r.addresses()) + " to the Cc box";
                default -> "Blind carbon copy (Bcc) the message to " + quoted(r.addresses());
            };
            case RuleAction.SetScl s -> "Set the spam confidence level (SCL) to " + quoted(s.scl());
            case RuleAction.Disclaimer d -> disclaimer(d);
            case RuleAction.GenerateNotification n -> "Notify the recipient with the message " + quoted(n.text());
        };
    }

    private static String disclaimer(RuleAction.Disclaimer d) {
        String fallback = switch (d.fallback()) {
            case "Ignore" -> "deliver the message without the disclaimer.";
            case "Reject" -> "reject the message.";
            default -> "attach the message to a new disclaimer message.";
        };
        return ("Prepend".equalsIgnoreCase(d.location()) ? "Prepend" : "Append") + " the message with the disclaimer " + quoted(d.html())
                + " If the disclaimer can't be applied, " + fallback;
    }

    /** InOrganization / NotInOrganization as Exchange words them. */
    private static String scope(Object value) {
        return "InOrganization".equalsIgnoreCase(String.valueOf(value)) ? "Inside the organization" : "Outside the organization";
    }

    /** {@code 'a'}, or {@code 'a' or 'b'} for a list: Exchange's quoting, values as they were saved. */
    static String quoted(Object value) {
        List<String> values = RuleParameters.strings(value instanceof List<?> ? value : String.valueOf(value));
        StringBuilder sb = new StringBuilder();
        for (String v : values) sb.append(sb.isEmpty() ? "'" : " or '").append(v).append('\'');
        return sb.toString();
    }

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    /** A size as Exchange displays one: {@code 10 MB (10,485,760 bytes)}. */
    static String size(long bytes) {
        int power = 0;
        while (power + 1 < UNITS.length && bytes >= 1L << (10 * (power + 1))) power++;
        BigDecimal inUnit = new BigDecimal(bytes).divide(new BigDecimal(1L << (10 * power)), 3, RoundingMode.HALF_UP);
        return inUnit.stripTrailingZeros().toPlainString() + " " + UNITS[power] + String.format(Locale.US, " (%,d bytes)", bytes);
    }
}
