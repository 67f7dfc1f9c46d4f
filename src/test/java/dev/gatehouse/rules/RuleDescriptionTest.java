// A rule's Description in Exchange's words: each family of conditions, exceptions and actions, the whole text, and
// every parameter of the catalogue having words of its own.
package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuleDescriptionTest {

    /** A rule of these parameters (alternating names and values), validated as the service validates it. */
    static TransportRule rule(boolean stop, Object... pairs) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) p.put((String) pairs[i], pairs[i + 1]);
        RuleParameters.validate(p);
        return new TransportRule(1, "00000000-0000-0000-0000-000000000001", "R", 0, RuleMode.Enforce, true, null, null, stop, "Header",
                null, RuleErrorAction.Ignore, p, Instant.EPOCH);
    }

    static RuleDescription describe(Object... pairs) { return RuleDescription.of(rule(false, pairs)); }

    @Test
    void senderConditionsInExchangesWords() {
        RuleDescription d = describe("From", List.of("ceo@contoso.com", "cfo@contoso.com"), "FromScope", "NotInOrganization",
                "FromAddressContainsWords", List.of("scanner"), "FromAddressMatchesPatterns", List.of("^noreply@"),
                "SenderDomainIs", List.of("contoso.com"), "SenderIpRanges", List.of("192.0.2.0/24", "198.51.100.7"), "Quarantine", true);
        assertThat(d.conditions()).containsExactly(
                "Is received from 'ceo@contoso.com' or 'cfo@contoso.com'",
                "Is received from 'Outside the organization'",
                "Includes these words in the sender's address: 'scanner'",
                "Includes these patterns in the sender's address: '^noreply@'",
                "sender's address domain portion belongs to any of these domains: 'contoso.com'",
                "sender ip addresses belong to one of these ranges: '192.0.2.0/24' or '198.51.100.7'");
        assertThat(describe("FromScope", "InOrganization", "Quarantine", true).conditions())
                .containsExactly("Is received from 'Inside the organization'");
    }

    @Test
    void aHeaderConditionIsOneSentenceWithItsWordsOrPatterns() {
        RuleDescription d = describe("HeaderContainsMessageHeader", "X-Scanner", "HeaderContainsWords", List.of("clean", "checked"),
                "HeaderMatchesMessageHeader", "X-Token", "HeaderMatchesPatterns", List.of("^7f3a9c$"), "Quarantine", true);
        assertThat(d.conditions()).containsExactly(
                "'X-Scanner' header contains 'clean' or 'checked'",
                "'X-Token' header matches the following patterns: '^7f3a9c$'");
    }

    @Test
    void recipientConditionsInExchangesWords() {
        RuleDescription d = describe("SentTo", List.of("bob@contoso.com"), "SentToScope", "InOrganization",
                "RecipientDomainIs", List.of("contoso.com", "fabrikam.com"), "RecipientAddressContainsWords", List.of("sales"),
                "AnyOfToHeader", List.of("info@contoso.com"), "AnyOfToCcHeader", List.of("board@contoso.com"), "Quarantine", true);
        assertThat(d.conditions()).containsExactly(
                "Is sent to 'bob@contoso.com'",
                "Is sent to 'Inside the organization'",
                "recipient's address domain portion belongs to any of these domains: 'contoso.com' or 'fabrikam.com'",
                "Includes these words in the recipient's address: 'sales'",
                "The To box contains 'info@contoso.com'",
                "The To or Cc box contains 'board@contoso.com'");
    }

    @Test
    void contentConditionsInExchangesWords() {
        RuleDescription d = describe("SubjectContainsWords", List.of("invoice", "payment"), "SubjectOrBodyContainsWords", List.of("wire transfer"),
                "SubjectMatchesPatterns", List.of("^RE: \\d+"), "AttachmentExtensionMatchesWords", List.of("exe", "js"),
                "AttachmentNameMatchesPatterns", List.of("^invoice.*\\.zip$"), "MessageSizeOver", 10L << 20, "SCLOver", 5,
                "WithImportance", "High", "Quarantine", true);
        assertThat(d.conditions()).containsExactly(
                "Includes these words in the message subject: 'invoice' or 'payment'",
                "Includes these words in the message subject or body: 'wire transfer'",
                "Includes these patterns in the message subject: '^RE: \\d+'",
                "Any attachment's file extension includes these words: 'exe' or 'js'",
                "Any attachment's file name matches these text patterns: '^invoice.*\\.zip$'",
                "Message size is greater than '10 MB (10,485,760 bytes)'",
                "Spam confidence level (SCL) is greater than or equal to '5'",
                "Is marked with 'High' importance");
        assertThat(describe("MessageSizeOver", 1500L, "Quarantine", true).conditions())
                .containsExactly("Message size is greater than '1.465 KB (1,500 bytes)'");
    }

    @Test
    void exceptionsUseTheSameSentencesAndAreJoinedWithOr() {
        RuleDescription d = describe("Quarantine", true, "ExceptIfSenderIpRanges", List.of("192.0.2.0/24"),
                "ExceptIfSentToScope", "InOrganization");
        assertThat(d.conditions()).isEmpty();
        assertThat(d.exceptions()).containsExactly("sender ip addresses belong to one of these ranges: '192.0.2.0/24'",
                "Is sent to 'Inside the organization'");
        assertThat(d.text()).endsWith("Except if the message:\r\n\tsender ip addresses belong to one of these ranges: '192.0.2.0/24'\r\n"
                + "\tor Is sent to 'Inside the organization'\r\n");
    }

    @Test
    void routingActionsInExchangesWords() {
        assertThat(describe("Quarantine", true).actions()).containsExactly("Deliver the message to the hosted quarantine");
        assertThat(describe("DeleteMessage", true).actions()).containsExactly("Delete the message without notifying the recipient or sender");
        assertThat(describe("RedirectMessageTo", List.of("audit@contoso.com", "legal@contoso.com")).actions())
                .containsExactly("Redirect the message to 'audit@contoso.com' or 'legal@contoso.com'");
        assertThat(describe("RejectMessageReasonText", "Executables are not accepted", "RejectMessageEnhancedStatusCode", "5.7.950").actions())
                .containsExactly("reject the message and include the explanation 'Executables are not accepted' with the status code: '5.7.950'");
        // either half alone: the other is Exchange's default, which the rule then applies
        assertThat(describe("RejectMessageReasonText", "Blocked").actions())
                .containsExactly("reject the message and include the explanation 'Blocked' with the status code: '5.7.1'");
        assertThat(describe("RejectMessageEnhancedStatusCode", "5.7.901").actions()).containsExactly("reject the message and include the "
                + "explanation 'Delivery not authorized, message refused' with the status code: '5.7.901'");
    }

    @Test
    void editingAndCopyingActionsInTheOrderTheRuleAppliesThem() {
        RuleDescription d = describe("PrependSubject", "[External] ", "SetHeaderName", "X-Tag", "SetHeaderValue", "outside",
                "RemoveHeader", "X-Internal", "SetSCL", -1, "AddToRecipients", List.of("alice@contoso.com"), "CopyTo", List.of("bob@contoso.com"),
                "BlindCopyTo", List.of("audit@contoso.com"), "GenerateNotification", "A message to you was tagged");
        assertThat(d.actions()).containsExactly(
                "Set the spam confidence level (SCL) to '-1'",
                "Remove the message header 'X-Internal'",
                "set message header 'X-Tag' with the value 'outside'",
                "Prepend the subject with '[External] '",
                "Add the recipients 'alice@contoso.com' to the To box",
                "Add the recipients 'bob@contoso.com' to the Cc box",
                "Blind carbon copy (Bcc) the message to 'audit@contoso.com'",
                "Notify the recipient with the message 'A message to you was tagged'");
    }

    @Test
    void aDisclaimerIsOneSentenceWithWhereItGoesAndWhatHappensWhenItCannot() {
        assertThat(describe("ApplyHtmlDisclaimerText", "<p>External</p>").actions()).containsExactly(
                "Append the message with the disclaimer '<p>External</p>' If the disclaimer can't be applied, attach the message to a new "
                        + "disclaimer message.");
        assertThat(describe("ApplyHtmlDisclaimerText", "<p>External</p>", "ApplyHtmlDisclaimerLocation", "Prepend",
                "ApplyHtmlDisclaimerFallbackAction", "Reject").actions()).containsExactly(
                "Prepend the message with the disclaimer '<p>External</p>' If the disclaimer can't be applied, reject the message.");
        assertThat(describe("ApplyHtmlDisclaimerText", "<p>External</p>", "ApplyHtmlDisclaimerFallbackAction", "Ignore").actions())
                .singleElement().asString().endsWith("If the disclaimer can't be applied, deliver the message without the disclaimer.");
    }

    @Test
    void theDirectSendFallbackRuleReadsAsExchangeWritesIt() {
        TransportRule r = rule(true, "Quarantine", true, "ExceptIfHeaderContainsMessageHeader", "X-MS-Exchange-Organization-AuthAs",
                "ExceptIfHeaderContainsWords", List.of("Internal"), "ExceptIfSenderIpRanges", List.of("192.0.2.0/24"));
        assertThat(RuleDescription.of(r).text()).isEqualTo("Take the following actions:\r\n"
                + "\tDeliver the message to the hosted quarantine\r\n"
                + "\tand Stop processing more rules\r\n"
                + "Except if the message:\r\n"
                + "\tsender ip addresses belong to one of these ranges: '192.0.2.0/24'\r\n"
                + "\tor 'X-MS-Exchange-Organization-AuthAs' header contains 'Internal'\r\n");
    }

    @Test
    void conditionsComeFirstJoinedWithAnd() {
        RuleDescription d = describe("FromScope", "NotInOrganization", "SubjectContainsWords", List.of("invoice"), "PrependSubject", "[Check] ",
                "ExceptIfSenderDomainIs", List.of("partner.example"));
        assertThat(d.text()).isEqualTo("If the message:\r\n"
                + "\tIs received from 'Outside the organization'\r\n"
                + "\tand Includes these words in the message subject: 'invoice'\r\n"
                + "Take the following actions:\r\n"
                + "\tPrepend the subject with '[Check] '\r\n"
                + "Except if the message:\r\n"
                + "\tsender's address domain portion belongs to any of these domains: 'partner.example'\r\n");
    }

    // --- every parameter of the catalogue ---------------------------------------------------------------------------

    /** Two different values of a kind (the second of a switch is "not given"). */
    static Object sample(RuleParameters.Kind kind, int n) {
        return switch (kind) {
            case ADDRESSES, TENANT_ADDRESSES -> List.of("user" + n + "@contoso.com");
            case WORDS -> List.of("word" + n);
            case PATTERNS -> List.of("^pattern" + n + "$");
            case DOMAINS -> List.of("domain" + n + ".example");
            case IP_RANGES -> List.of("192.0.2." + n);
            case HEADER_NAME -> "X-Header-" + n;
            case SCOPE -> n == 1 ? "InOrganization" : "NotInOrganization";
            case SIZE -> 1024L * n;
            case SCL -> n;
            case IMPORTANCE -> n == 1 ? "Low" : "High";
            case BOOL -> n == 1 ? Boolean.TRUE : null;
            case REPLY_TEXT, TEXT_5000, TEXT_5120, HEADER_VALUE, SUBJECT_PREFIX -> "text " + n;
            case STATUS_CODE -> "5.7.90" + n;
            case DISCLAIMER_LOCATION -> n == 1 ? "Prepend" : "Append";
            case DISCLAIMER_FALLBACK -> n == 1 ? "Ignore" : "Reject";
        };
    }

    /** The parameter at value n, with what it must be given with, and an action when it isn't one. */
    static TransportRule withOnly(String name, int n) {
        Map<String, Object> p = new LinkedHashMap<>();
        Object v = sample(RuleParameters.ALL.get(name), n);
        if (v != null) p.put(name, v);
        String bare = name.startsWith("ExceptIf") ? name.substring("ExceptIf".length()) : name;
        String prefix = name.substring(0, name.length() - bare.length());
        switch (bare) {
            case "HeaderContainsMessageHeader" -> p.put(prefix + "HeaderContainsWords", List.of("fixed"));
            case "HeaderContainsWords" -> p.put(prefix + "HeaderContainsMessageHeader", "X-Fixed");
            case "HeaderMatchesMessageHeader" -> p.put(prefix + "HeaderMatchesPatterns", List.of("fixed"));
            case "HeaderMatchesPatterns" -> p.put(prefix + "HeaderMatchesMessageHeader", "X-Fixed");
            case "SetHeaderName" -> p.put("SetHeaderValue", "fixed");
            case "SetHeaderValue" -> p.put("SetHeaderName", "X-Fixed");
            case "ApplyHtmlDisclaimerLocation", "ApplyHtmlDisclaimerFallbackAction" -> p.put("ApplyHtmlDisclaimerText", "fixed");
            default -> { }
        }
        p.put(name.equals("DeleteMessage") ? "Quarantine" : "DeleteMessage", true);
        return rule(false, p.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
    }

    static List<String> partOf(String name, RuleDescription d) {
        if (RuleParameters.ACTIONS.containsKey(name)) return d.actions();
        return name.startsWith("ExceptIf") ? d.exceptions() : d.conditions();
    }

    @Test
    void everyParameterOfTheCatalogueHasWordsOfItsOwn() {
        List<String> without = new ArrayList<>();
        for (Map.Entry<String, RuleParameters.Kind> e : RuleParameters.ALL.entrySet()) {
            String name = e.getKey();
            List<String> one = partOf(name, RuleDescription.of(withOnly(name, 1)));
            List<String> two = partOf(name, RuleDescription.of(withOnly(name, 2)));
            // its value changes its own part of the description (a condition its conditions, an exception its exceptions)
            if (one.equals(two)) without.add(name + ": " + one);
            Object value = sample(e.getValue(), 1);
            if (value instanceof List<?> || value instanceof String s && !s.matches("[A-Z][a-z]+|InOrganization")) {
                String quoted = "'" + (value instanceof List<?> l ? l.getFirst() : value) + "'";
                if (one.stream().noneMatch(s -> s.contains(quoted))) without.add(name + " doesn't quote " + quoted + ": " + one);
            }
        }
        assertThat(without).as("parameters without words of their own in RuleDescription").isEmpty();
        assertThat(RuleParameters.ALL).hasSizeGreaterThan(60);
    }

    @Test
    void aConditionWithoutWordsIsRefusedRatherThanLeftOut() {
        // what the catalogue test meets when a new condition is added to RuleParameters without a sentence
        assertThatThrownBy(() -> RuleDescription.condition("SubjectOrBodyMatchesPatterns", List.of("x"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-SubjectOrBodyMatchesPatterns has no words");
    }
}
