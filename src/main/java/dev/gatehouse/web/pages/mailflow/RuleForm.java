// The transport rule form: which conditions, exceptions and actions it offers (Exchange's parameter names), and a rule as its values.
package dev.gatehouse.web.pages.mailflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.ByteQuantifiedSize;
import dev.gatehouse.rules.RuleMode;
import dev.gatehouse.rules.RuleParameters;
import dev.gatehouse.rules.TransportRule;
import dev.gatehouse.web.pages.mailflow.Field.Kind;
import dev.gatehouse.web.pages.mailflow.Field.Option;

/**
 * The commonly used parameters of New-/Set-TransportRule as form fields. A rule's other parameters (disclaimers,
 * notifications, ...) are not on the form; a change leaves them as they are ({@link #notOnForm}).
 */
final class RuleForm {
    private RuleForm() {}

    private static final String ONE_PER_LINE = "One per line.";
    private static final String WORDS = "Words or phrases, one per line; whole words, not case-sensitive.";

    /** The conditions offered; each is offered as an exception too. */
    private static final List<Field> CONDITIONS = List.of(
            Field.of("SenderIpRanges", "Sender IP address is in", Kind.LINES, "One per line: 192.0.2.25, 192.0.2.0/24 or "
                    + "192.0.2.1-192.0.2.254."),
            Field.choice("FromScope", "Sender is located", null, new Option("", "Anywhere"),
                    new Option("InOrganization", "Inside the organization"), new Option("NotInOrganization", "Outside the organization")),
            Field.of("From", "Sender is", Kind.LINES, "Addresses or mailboxes, one per line."),
            Field.of("SenderDomainIs", "Sender's domain is", Kind.LINES, "One per line; subdomains count too."),
            Field.of("SentTo", "Recipient is", Kind.LINES, "Addresses or mailboxes, one per line."),
            Field.of("RecipientDomainIs", "Recipient's domain is", Kind.LINES, ONE_PER_LINE),
            Field.of("SubjectContainsWords", "Subject includes", Kind.LINES, WORDS),
            Field.of("SubjectOrBodyContainsWords", "Subject or body includes", Kind.LINES, WORDS),
            Field.of("AttachmentExtensionMatchesWords", "Attachment's file extension is", Kind.LINES, "One per line: exe, js, vbs."),
            Field.of("MessageSizeOver", "Message size is over", Kind.TEXT, "A size: 10MB, 500KB."),
            Field.of("HeaderContainsMessageHeader", "Header", Kind.TEXT, "A header name, e.g. X-MS-Exchange-Organization-AuthAs."),
            Field.of("HeaderContainsWords", "…contains these words", Kind.LINES, "Given with the header above."),
            Field.of("HeaderMatchesMessageHeader", "Header", Kind.TEXT, "A header name, e.g. X-Scanner-Token."),
            Field.of("HeaderMatchesPatterns", "…matches these patterns", Kind.LINES, "Regular expressions, one per line; given with "
                    + "the header above."));

    private static final List<Field> ACTIONS = List.of(
            Field.of("Quarantine", "Deliver the message to the hosted quarantine", Kind.FLAG, null),
            Field.of("DeleteMessage", "Delete the message without notifying anyone", Kind.FLAG, null),
            Field.of("RejectMessageReasonText", "Reject the message with this explanation", Kind.TEXT, "One line; the code is 5.7.1 "
                    + "unless given below."),
            Field.of("RejectMessageEnhancedStatusCode", "Reject with this status code", Kind.TEXT, "5.7.1, or 5.7.900 to 5.7.999."),
            Field.of("RedirectMessageTo", "Redirect the message to", Kind.LINES, "Recipients of your organization, one per line."),
            Field.of("BlindCopyTo", "Bcc the message to", Kind.LINES, "Recipients of your organization, one per line."),
            Field.of("PrependSubject", "Prepend the subject with", Kind.TEXT, null),
            Field.of("SetHeaderName", "Set the header", Kind.TEXT, "A header name; given with a value."),
            Field.of("SetHeaderValue", "…to the value", Kind.TEXT, null),
            Field.of("RemoveHeader", "Remove the header", Kind.TEXT, null),
            Field.of("SetSCL", "Set the spam confidence level (SCL) to", Kind.NUMBER, "-1 (trusted) or 0 to 9."),
            Field.of("StopRuleProcessing", "Stop processing more rules", Kind.CHECK, null));

    static final List<Section> SECTIONS = List.of(
            Section.of("Rule", null,
                    Field.required("Name", "Name", "Unique in the organization, at most 64 characters."),
                    Field.choice("Mode", "Mode", "A test only records in message trace what the rule would do.",
                            new Option(RuleMode.Enforce.name(), "Enforce"),
                            new Option(RuleMode.Audit.name(), "Test without Policy Tips (Audit)"),
                            new Option(RuleMode.AuditAndNotify.name(), "Test with Policy Tips (AuditAndNotify)")),
                    Field.of("Priority", "Priority", Kind.NUMBER, "0 runs first. Empty on a new rule: last."),
                    Field.of("Enabled", "Enabled", Kind.CHECK, null),
                    Field.choice("SenderAddressLocation", "Sender conditions read", null, new Option("Header", "the From header"),
                            new Option("Envelope", "the envelope (MAIL FROM)"), new Option("HeaderOrEnvelope", "either")),
                    Field.of("Comments", "Comments", Kind.NOTE, null)),
            new Section("Apply this rule if…", "Every condition given must hold; the values of one condition are alternatives. "
                    + "No condition: every message.", CONDITIONS, false),
            new Section("Do the following…", null, ACTIONS, false),
            new Section("Except if…", "One matching exception is enough.", CONDITIONS.stream().map(Field::exception).toList(), true));
    static final List<Field> FIELDS = Section.fields(SECTIONS);

    /** A new rule's form: Enforce, enabled, the sender read from the From header. */
    static Map<String, String> defaults() {
        return Map.of("Mode", RuleMode.Enforce.name(), "Enabled", Form.TICKED, "SenderAddressLocation", "Header");
    }

    /** A rule as its form shows it. */
    static Map<String, String> values(TransportRule r) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Name", r.name());
        v.put("Mode", r.mode().name());
        v.put("Priority", String.valueOf(r.priority()));
        v.put("Enabled", Form.ticked(r.enabled()));
        v.put("SenderAddressLocation", r.senderAddressLocation());
        v.put("Comments", r.comments() == null ? "" : r.comments());
        v.put("StopRuleProcessing", Form.ticked(r.stopRuleProcessing()));
        r.parameters().forEach((name, value) -> v.put(name, text(name, value)));
        return v;
    }

    private static String text(String name, Object value) {
        return switch (value) {
            case null -> "";
            case List<?> l -> Form.lines(l);
            case Boolean b -> Form.ticked(b);
            case Number n when name.endsWith("MessageSizeOver") -> new ByteQuantifiedSize(n.longValue()).toString();
            default -> String.valueOf(value);
        };
    }

    /** The parameters the rule has that this form doesn't show: a change keeps them. */
    static List<String> notOnForm(TransportRule r) {
        List<String> out = new ArrayList<>();
        for (String name : r.parameters().keySet()) {
            boolean shown = FIELDS.stream().anyMatch(f -> f.name().equals(name));
            if (!shown && RuleParameters.ALL.containsKey(name) && !text(name, r.parameters().get(name)).isEmpty()) out.add(name);
        }
        return out;
    }
}
