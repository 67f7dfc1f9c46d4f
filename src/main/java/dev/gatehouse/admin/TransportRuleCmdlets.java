// New-/Get-/Set-/Remove-/Enable-/Disable-TransportRule with Exchange Online's parameter names (spec §5).
package dev.gatehouse.admin;

import static dev.gatehouse.admin.AdminContext.call;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.cmdlet.BoundParameters;
import dev.gatehouse.cmdlet.ByteQuantifiedSize;
import dev.gatehouse.cmdlet.CmdletDefinition;
import dev.gatehouse.cmdlet.CmdletRegistry;
import dev.gatehouse.cmdlet.ParameterDefinition;
import dev.gatehouse.cmdlet.ParameterType;
import dev.gatehouse.rules.RuleDescription;
import dev.gatehouse.rules.RuleErrorAction;
import dev.gatehouse.rules.RuleMode;
import dev.gatehouse.rules.RuleParameters;
import dev.gatehouse.rules.RuleService;
import dev.gatehouse.rules.TransportRule;

/**
 * Thin: binds parameters (each rule parameter is declared from {@link RuleParameters}, with its validator, so
 * a bad value is refused with the parameter named, e.g. the seed's {@code -ExceptIfSenderIpRanges}), then
 * calls {@link RuleService}, which validates again for callers that don't come through a cmdlet.
 */
final class TransportRuleCmdlets {
    private TransportRuleCmdlets() {}

    private static final List<String> SCALARS = List.of("Name", "Priority", "Mode", "Enabled", "ActivationDate", "ExpiryDate",
            "StopRuleProcessing", "SenderAddressLocation", "Comments", "RuleErrorAction");

    static void register(CmdletRegistry<AdminContext> r) {
        r.register(common(CmdletDefinition.<AdminContext>builder("New-TransportRule")
                .synopsis("Creates a mail flow (transport) rule.")
                .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0)
                        .describedAs("The rule's name, unique in the organization, at most 64 characters. Message trace names the rule "
                                + "that acted on a message.")))
                .supportsShouldProcess()
                .example("New-TransportRule -Name \"Redirect to quarantine if not coming from known IPs\" -Quarantine $true "
                                + "-ExceptIfHeaderContainsMessageHeader 'X-MS-Exchange-Organization-AuthAs' -ExceptIfHeaderContainsWords "
                                + "'Internal' -ExceptIfSenderIpRanges '192.0.2.0/24' -StopRuleProcessing $true -Priority 0",
                        "Microsoft's Direct Send fallback rule with a real range in place of the article's placeholder: "
                                + "quarantines everything that doesn't come from your MX gateway (192.0.2.0/24) or from your own "
                                + "servers (AuthAs Internal), as the first rule.")
                .example("New-TransportRule \"Quarantine spoofed contoso.com\" -FromScope NotInOrganization -SenderDomainIs contoso.com "
                                + "-Quarantine $true -ExceptIfHeaderMatchesMessageHeader X-Scanner-Token -ExceptIfHeaderMatchesPatterns '^7f3a9c$'",
                        "The rule from Microsoft's Direct Send FAQ for senders without a fixed IP or certificate: mail from "
                                + "outside that claims contoso.com goes to quarantine unless it carries the scanner's header.")
                .example("New-TransportRule \"Block executables\" -AttachmentExtensionMatchesWords exe,js,vbs "
                                + "-RejectMessageReasonText \"Executable attachments are not accepted\" -RejectMessageEnhancedStatusCode 5.7.950",
                        "Refuses messages with .exe, .js or .vbs attachments with 550 5.7.950 and that text; the sender gets an NDR.")
                .example("New-TransportRule \"Tag external mail\" -FromScope NotInOrganization -PrependSubject '[External] ' "
                                + "-ExceptIfSubjectContainsWords '[External]' -Mode Audit",
                        "Tests a subject tag in Audit mode first: message trace shows what the rule would do, nothing changes.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("New-TransportRule");
                    if (!p.shouldProcess(p.string("Name"))) return List.of();
                    return List.of(view(call(() -> rules(ctx).create(t, input(p)))));
                }).build());
        r.register(CmdletDefinition.<AdminContext>builder("Get-TransportRule")
                .synopsis("Lists the organization's transport rules in priority order, or shows one.")
                .parameter(identity(false).describedAs(RULE_IDENTITY + " Without it, every rule is listed in priority order."))
                .example("Get-TransportRule", "Lists the rules in the order they run, with their state and mode.")
                .example("Get-TransportRule \"Block executables\" | Format-List", "Shows every condition, exception and action of one rule.")
                .example("Get-TransportRule | Format-List Name,Priority,Description",
                        "What each rule does in Exchange's words (If the message: ... Take the following actions: ... Except if "
                                + "the message: ...), in the order the rules run.")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Get-TransportRule");
                    if (p.has("Identity")) return List.of(view(call(() -> rules(ctx).get(t, p.string("Identity")))));
                    return rules(ctx).list(t).stream().map(TransportRuleCmdlets::view).toList();
                }).build());
        r.register(common(CmdletDefinition.<AdminContext>builder("Set-TransportRule")
                .synopsis("Changes a transport rule; a parameter set to $null is cleared.")
                .parameter(identity(true).describedAs(RULE_IDENTITY))
                .parameter(ParameterDefinition.of("Name", ParameterType.string())
                        .describedAs("A new name for the rule, unique in the organization, at most 64 characters.")))
                .supportsShouldProcess()
                .example("Set-TransportRule \"Tag external mail\" -Mode Enforce -Priority 0",
                        "Puts the tested rule into force and makes it the first to run; the others move down by one.")
                .example("Set-TransportRule \"Block executables\" -AttachmentExtensionMatchesWords exe,js,vbs,scr -ExpiryDate $null",
                        "Replaces the list of extensions and clears the expiry date (a parameter set to $null is cleared).")
                .handler((p, ctx) -> {
                    long t = ctx.tenantId("Set-TransportRule");
                    TransportRule rule = call(() -> rules(ctx).get(t, p.string("Identity")));
                    if (!p.shouldProcess(rule.name())) return List.of();
                    call(() -> rules(ctx).set(t, rule.guid(), input(p)));
                    return List.of();
                }).build());
        for (String verb : List.of("Remove", "Enable", "Disable")) {
            String name = verb + "-TransportRule";
            r.register(CmdletDefinition.<AdminContext>builder(name)
                    .synopsis(verb + "s a transport rule.")
                    .parameter(identity(true).describedAs(RULE_IDENTITY + switch (verb) {
                        case "Remove" -> " The lower-priority rules move up by one.";
                        case "Enable" -> " The rule runs again from the next message on (its State becomes Enabled).";
                        default -> " The rule is kept but no longer runs (its State becomes Disabled).";
                    }))
                    .supportsShouldProcess()
                    .example(name + " \"Block executables\"", switch (verb) {
                        case "Remove" -> "Deletes the rule for good (Exchange keeps no rule history either); message trace still names it.";
                        case "Enable" -> "Turns the rule back on.";
                        default -> "Turns the rule off without deleting it.";
                    })
                    .handler((p, ctx) -> {
                        long t = ctx.tenantId(name);
                        TransportRule rule = call(() -> rules(ctx).get(t, p.string("Identity")));
                        if (!p.shouldProcess(rule.name())) return List.of();
                        AdminContext.run(() -> {
                            if (verb.equals("Remove")) rules(ctx).remove(t, rule.guid());
                            else rules(ctx).setEnabled(t, rule.guid(), verb.equals("Enable"));
                        });
                        return List.of();
                    }).build());
        }
    }

    private static RuleService rules(AdminContext ctx) { return new RuleService(ctx.services().store()); }

    private static ParameterDefinition identity(boolean required) {
        ParameterDefinition p = ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName();
        return required ? p.required() : p;
    }

    private static final String RULE_IDENTITY = "The rule's Name or Guid, not case-sensitive.";

    private static CmdletDefinition.Builder<AdminContext> common(CmdletDefinition.Builder<AdminContext> b) {
        b.parameter(ParameterDefinition.of("Priority", ParameterType.int32(0, RuleService.MAX_RULES))
                        .describedAs("Where the rule runs: 0 is first. With N rules, a new rule may take 0 to N (default N: last) and "
                                + "a changed one 0 to N-1; taking an occupied value moves that rule and every later one down by one."))
                .parameter(ParameterDefinition.of("Mode", ParameterType.enumOf(RuleMode.class))
                        .describedAs("Enforce (the default) runs the actions. Audit (the admin center's \"Test without Policy Tips\") "
                                + "only records in message trace what the rule would have done. AuditAndNotify (\"Test with Policy "
                                + "Tips\") does the same and still sends -GenerateNotification."))
                .parameter(ParameterDefinition.of("Enabled", ParameterType.bool())
                        .describedAs("$false turns the rule off (State Disabled) and $true on; a new rule is on unless -Enabled "
                                + "$false is given. Enable-TransportRule and Disable-TransportRule do the same."))
                .parameter(ParameterDefinition.of("ActivationDate", ParameterType.dateTime())
                        .describedAs("The rule acts only from this time on, e.g. 12/01/2026 or 2026-12-01T08:00:00Z (a time without "
                                + "an offset is UTC). $null clears it."))
                .parameter(ParameterDefinition.of("ExpiryDate", ParameterType.dateTime())
                        .describedAs("The rule stops acting at this time (same formats as -ActivationDate). $null clears it."))
                .parameter(ParameterDefinition.of("StopRuleProcessing", ParameterType.bool())
                        .describedAs("$true: when this rule matches a recipient, no later rule runs for it. Quarantine, "
                                + "DeleteMessage, a rejection and a redirect stop the rules anyway. Default $false."))
                .parameter(ParameterDefinition.of("SenderAddressLocation", ParameterType.enumOf("SenderAddressLocation", "Header", "Envelope", "HeaderOrEnvelope"))
                        .describedAs("Which sender the sender conditions (-From, -FromAddressContainsWords, "
                                + "-FromAddressMatchesPatterns, -SenderDomainIs and their ExceptIf twins) read: Header (the default: "
                                + "the From header), Envelope (MAIL FROM) or HeaderOrEnvelope (either)."))
                .parameter(ParameterDefinition.of("Comments", ParameterType.string())
                        .describedAs("Free text for admins, at most 1024 characters; $null clears it."))
                .parameter(ParameterDefinition.of("RuleErrorAction", ParameterType.enumOf(RuleErrorAction.class))
                        .describedAs("When the rule can't be evaluated (e.g. a pattern that runs too long): Ignore (the default) "
                                + "skips the rule and delivers; Defer refuses the message with a temporary 4xx so the sender "
                                + "retries later."));
        RuleParameters.ALL.forEach((name, kind) -> b.parameter(ParameterDefinition.of(name, type(kind))
                .validatedBy(v -> RuleParameters.problem(kind, v)).describedAs(describe(name))));
        return b;
    }

    /**
     * What each condition tests, written so that it reads after "applies when" and "doesn't apply when"; %1$s is
     * "" for the condition and "ExceptIf" for its exception twin (for the parameters that come in pairs).
     */
    private static final Map<String, String> CONDITION_HELP = Map.ofEntries(
            Map.entry("From", "the sender is one of these addresses, or one of these mailboxes of the organization (by name "
                    + "or any address; a mailbox counts with all its addresses), comma-separated. The sender read follows "
                    + "-SenderAddressLocation (default: the From header)"),
            Map.entry("FromScope", "the sender is InOrganization (the message is Originating, i.e. from your own servers "
                    + "through an OnPremises connector, and its From address is a recipient or accepted domain of the "
                    + "organization) or NotInOrganization (anything else, including anonymous mail that claims one of your "
                    + "domains, so that Microsoft's Direct Send rule works; Exchange's documentation is contradictory here)"),
            Map.entry("FromAddressContainsWords", "the sender address contains one of these words or phrases "
                    + "(comma-separated; whole words only, not case-sensitive: contoso matches info@contoso.com but not "
                    + "mycontoso.com; * is a literal character). Follows -SenderAddressLocation"),
            Map.entry("FromAddressMatchesPatterns", "the sender address matches one of these regular expressions (.NET "
                    + "syntax, not case-sensitive, found anywhere in the address unless anchored with ^ or $). Follows "
                    + "-SenderAddressLocation"),
            Map.entry("SenderDomainIs", "the sender's domain is one of these domains or a subdomain of one (contoso.com "
                    + "also matches mail.contoso.com, as the current Exchange reference says; older Exchange documentation says "
                    + "exact match). Follows -SenderAddressLocation"),
            Map.entry("SenderIpRanges", "the connecting server's IP address (the last hop before Gatehouse) is in one of "
                    + "these, comma-separated: an address (192.0.2.25), a range (192.0.2.1-192.0.2.254) or a CIDR block "
                    + "(192.0.2.0/24); IPv4 or IPv6. When the inbound connector has Enhanced Filtering (-EFSkipIPs, "
                    + "-EFSkipLastIP), it is the original client found behind the skipped hops instead"),
            Map.entry("HeaderContainsMessageHeader", "the header named here (e.g. X-MS-Exchange-Organization-AuthAs; 1 to 64 "
                    + "printable characters, no colon) contains one of the words of -%1$sHeaderContainsWords; the two are "
                    + "always given together"),
            Map.entry("HeaderContainsWords", "the header named by -%1$sHeaderContainsMessageHeader contains one of these "
                    + "words or phrases (whole words, not case-sensitive, on the decoded value); the two are always given "
                    + "together"),
            Map.entry("HeaderMatchesMessageHeader", "the header named here (1 to 64 printable characters, no colon) matches "
                    + "one of the patterns of -%1$sHeaderMatchesPatterns; the two are always given together"),
            Map.entry("HeaderMatchesPatterns", "the header named by -%1$sHeaderMatchesMessageHeader matches one of these "
                    + "regular expressions (.NET syntax, not case-sensitive, anywhere in the value unless anchored); the two "
                    + "are always given together"),
            Map.entry("SentTo", "a recipient is one of these addresses, or one of these mailboxes of the organization (To, "
                    + "Cc and Bcc alike); the actions apply to the matching recipients only"),
            Map.entry("SentToScope", "the recipient is InOrganization (a recipient of the organization, which every "
                    + "recipient attributed to it is) or NotInOrganization (any other address, i.e. mail your servers relay "
                    + "out through an OnPremises connector); per recipient. Exchange's ExternalPartner and ExternalNonPartner "
                    + "are on-premises only"),
            Map.entry("RecipientDomainIs", "a recipient's domain is one of these domains or a subdomain of one; the actions "
                    + "apply to the matching recipients only"),
            Map.entry("RecipientAddressContainsWords", "a recipient's address contains one of these words (whole words, not "
                    + "case-sensitive); the actions apply to the matching recipients only"),
            Map.entry("AnyOfToHeader", "the To header holds one of these addresses (or an address of one of these "
                    + "mailboxes); the actions apply to every recipient of the message"),
            Map.entry("AnyOfToCcHeader", "the To or Cc header holds one of these addresses (or an address of one of these "
                    + "mailboxes); the actions apply to every recipient of the message"),
            Map.entry("SubjectContainsWords", "the subject contains one of these words or phrases (comma-separated; whole "
                    + "words only, not case-sensitive, at most 128 characters each; * is literal)"),
            Map.entry("SubjectOrBodyContainsWords", "the subject or the text of the body contains one of these words or "
                    + "phrases (whole words only, not case-sensitive, at most 128 characters each)"),
            Map.entry("SubjectMatchesPatterns", "the subject matches one of these regular expressions (.NET syntax, not "
                    + "case-sensitive, anywhere in the subject unless anchored)"),
            Map.entry("AttachmentExtensionMatchesWords", "an attachment's file name ends in one of these extensions "
                    + "(comma-separated, with or without the dot: exe or .exe; not case-sensitive)"),
            Map.entry("AttachmentNameMatchesPatterns", "an attachment's file name matches one of these regular expressions "
                    + "(.NET syntax, not case-sensitive)"),
            Map.entry("MessageSizeOver", "the whole message, attachments included, is larger than this size: a number with "
                    + "an optional unit B, KB, MB, GB or TB (powers of 1024), e.g. 10MB; a bare number is bytes"),
            Map.entry("SCLOver", "the spam confidence level is this value or higher (-1 to 9). Gatehouse has no spam filter: "
                    + "the SCL is -1 unless an earlier rule set it with -SetSCL"),
            Map.entry("WithImportance", "the message's Importance header is Low, Normal or High (a message without one is "
                    + "Normal)"));

    /** What each action does. */
    private static final Map<String, String> ACTION_HELP = Map.ofEntries(
            Map.entry("Quarantine", "Action: $true delivers the message to the hosted quarantine instead of the recipients "
                    + "(kept 30 days, for admins only: Get-QuarantineMessage, Release-QuarantineMessage); no later rule runs, "
                    + "and none runs again when it is released."),
            Map.entry("RedirectMessageTo", "Action: sends the message to these recipients of the organization (mailboxes, or "
                    + "addresses in an InternalRelay domain) instead of the original recipients, who aren't told."),
            Map.entry("RejectMessageReasonText", "Action: refuses the message with this text (one line, at most 1024 "
                    + "characters): 550 at the end of DATA when every recipient is refused, else an NDR to the sender. The "
                    + "code is 5.7.1 unless -RejectMessageEnhancedStatusCode is given."),
            Map.entry("RejectMessageEnhancedStatusCode", "Action: refuses the message with this enhanced status code: 5.7.1 "
                    + "or 5.7.900 to 5.7.999. Without -RejectMessageReasonText the text is \"Delivery not authorized, "
                    + "message refused\"."),
            Map.entry("DeleteMessage", "Action: $true drops the message silently, with no NDR; no later rule runs."),
            Map.entry("SetHeaderName", "Action: adds the header named here, or replaces its value, with -SetHeaderValue; "
                    + "the two are always given together. 1 to 64 printable characters, no colon."),
            Map.entry("SetHeaderValue", "Action: the value written into the header named by -SetHeaderName (one line, at most "
                    + "998 characters; non-ASCII text is encoded). Always given with -SetHeaderName."),
            Map.entry("RemoveHeader", "Action: removes every field of this header from the message."),
            Map.entry("PrependSubject", "Action: adds this text to the start of the subject (one line, at most 998 "
                    + "characters). Add -ExceptIfSubjectContainsWords with the same text so that a reply isn't tagged twice."),
            Map.entry("AddToRecipients", "Action: also sends the message to these recipients of the organization, added to "
                    + "the To header."),
            Map.entry("CopyTo", "Action: also sends the message to these recipients of the organization, added to the Cc "
                    + "header."),
            Map.entry("BlindCopyTo", "Action: also sends the message to these recipients of the organization as a blind copy "
                    + "(not shown to the other recipients)."),
            Map.entry("SetSCL", "Action: sets the spam confidence level: -1 (trusted, bypasses spam filtering in Exchange) "
                    + "or 0 to 9 (5 and up is spam); later rules' -SCLOver reads it. In Exchange Online it is an input to "
                    + "filtering, not a verdict."),
            Map.entry("ApplyHtmlDisclaimerText", "Action: adds this HTML disclaimer (at most 5000 characters) to every text "
                    + "part of the body (tags removed in plain-text parts). %%DisplayName%% and %%UserPrincipalName%% are filled "
                    + "from the From header; Exchange's directory tokens (%%Title%%, %%Company%%, ...) stay empty, as Gatehouse "
                    + "has no directory attributes."),
            Map.entry("ApplyHtmlDisclaimerLocation", "Action: where the disclaimer goes: Append (the default, at the end) or "
                    + "Prepend (at the start). Needs -ApplyHtmlDisclaimerText."),
            Map.entry("ApplyHtmlDisclaimerFallbackAction", "Action: what happens when the disclaimer can't be inserted "
                    + "(a signed or encrypted message, or one without a text part): Wrap (the default) sends a new message "
                    + "with the disclaimer and the original attached; Ignore delivers it unchanged; Reject refuses it "
                    + "(5.7.1). Microsoft advises Reject rather than Wrap for mail from outside. Needs -ApplyHtmlDisclaimerText."),
            Map.entry("GenerateNotification", "Action: sends each matching recipient a notification from postmaster with this "
                    + "text (at most 5120 characters; %%From%%, %%To%%, %%Cc%%, %%Subject%%, %%Headers%% and %%MessageDate%% "
                    + "are filled in from the message). Also sent in AuditAndNotify mode."));

    /** The description of a condition, an ExceptIf exception or an action of {@link RuleParameters}. */
    static String describe(String name) {
        if (ACTION_HELP.containsKey(name)) return ACTION_HELP.get(name);
        boolean exception = name.startsWith("ExceptIf");
        String condition = exception ? name.substring("ExceptIf".length()) : name;
        String help = CONDITION_HELP.get(condition);
        if (help == null) throw new IllegalStateException("-" + name + " has no description: add one to TransportRuleCmdlets");
        String what = String.format(Locale.ROOT, help, exception ? "ExceptIf" : "");
        return exception
                ? "Exception: the rule doesn't act when " + what + ". One matching exception is enough (exceptions are ORed)."
                : "Condition: the rule acts when " + what + ". All conditions of a rule must hold; several values in one "
                        + "condition are alternatives.";
    }

    private static ParameterType type(RuleParameters.Kind k) {
        if (RuleParameters.isList(k)) return ParameterType.stringArray();
        return switch (k) {
            case SCOPE -> ParameterType.enumOf("UserScope", "InOrganization", "NotInOrganization");
            case SIZE -> ParameterType.byteSize();
            case SCL -> ParameterType.int32(-1, 9);
            case IMPORTANCE -> ParameterType.enumOf("Importance", "Low", "Normal", "High");
            case BOOL -> ParameterType.bool();
            case DISCLAIMER_LOCATION -> ParameterType.enumOf("DisclaimerLocation", "Append", "Prepend");
            case DISCLAIMER_FALLBACK -> ParameterType.enumOf("DisclaimerFallbackAction", "Wrap", "Ignore", "Reject");
            default -> ParameterType.string();
        };
    }

    private static RuleService.RuleInput input(BoundParameters p) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
            if (SCALARS.contains(e.getKey()) || e.getKey().equals("Identity")) continue;
            Object v = e.getValue();
            if (v instanceof ByteQuantifiedSize s) v = s.bytes();
            params.put(e.getKey(), v);
        }
        return new RuleService.RuleInput(p.string("Name"), p.get("Priority", Integer.class), p.get("Mode", RuleMode.class), p.get("Enabled", Boolean.class),
                p.instant("ActivationDate"), p.instant("ExpiryDate"), p.has("ActivationDate") && p.get("ActivationDate") == null,
                p.has("ExpiryDate") && p.get("ExpiryDate") == null, p.get("StopRuleProcessing", Boolean.class),
                p.string("SenderAddressLocation"), p.string("Comments"), p.get("RuleErrorAction", RuleErrorAction.class), params);
    }

    static Map<String, Object> view(TransportRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", r.name());
        m.put("State", r.enabled() ? "Enabled" : "Disabled");
        m.put("Mode", r.mode().name());
        m.put("Priority", r.priority());
        m.put("Comments", r.comments());
        m.put("ActivationDate", r.activationDate());
        m.put("ExpiryDate", r.expiryDate());
        m.put("Description", RuleDescription.of(r).text()); // where Exchange shows it: after ExpiryDate
        m.put("StopRuleProcessing", r.stopRuleProcessing());
        m.put("SenderAddressLocation", r.senderAddressLocation());
        m.put("RuleErrorAction", r.ruleErrorAction().name());
        m.putAll(r.parameters());
        m.put("Guid", r.guid());
        m.put("WhenChanged", r.whenChanged());
        m.put("Identity", r.name());
        return m;
    }
}
