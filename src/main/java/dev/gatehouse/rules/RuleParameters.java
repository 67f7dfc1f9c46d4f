// The catalogue of condition, exception and action parameters of a transport rule, their checks and compilation.
package dev.gatehouse.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.gatehouse.kernel.ValidationException;

/**
 * One table of every supported rule parameter (spec §5.2 conditions, their {@code ExceptIf} twins, and §5.3
 * actions) with its kind. The cmdlets declare their parameters from it, the service validates a rule with
 * it (so REST, shell and scripts share one check), and {@link #compile} turns a stored rule into
 * {@link Condition} and {@link RuleAction} objects.
 */
public final class RuleParameters {
    private RuleParameters() {}

    /** How a parameter's value is written and checked. */
    public enum Kind {
        /** RecipientIdParameter[]: any address, or a mailbox of the tenant (expanded to its addresses). */
        ADDRESSES,
        /** RecipientIdParameter[] that must be recipients of the tenant (actions that add recipients). */
        TENANT_ADDRESSES, WORDS, PATTERNS, DOMAINS, IP_RANGES, HEADER_NAME, SCOPE, SIZE, SCL, IMPORTANCE, BOOL,
        REPLY_TEXT, TEXT_5000, TEXT_5120, STATUS_CODE, DISCLAIMER_LOCATION, DISCLAIMER_FALLBACK, HEADER_VALUE, SUBJECT_PREFIX
    }

    /** Conditions, each of which also exists as ExceptIf&lt;Name&gt;. */
    public static final Map<String, Kind> CONDITIONS = ordered(
            "From", Kind.ADDRESSES, "FromScope", Kind.SCOPE, "FromAddressContainsWords", Kind.WORDS,
            "FromAddressMatchesPatterns", Kind.PATTERNS, "SenderDomainIs", Kind.DOMAINS, "SenderIpRanges", Kind.IP_RANGES,
            "HeaderContainsMessageHeader", Kind.HEADER_NAME, "HeaderContainsWords", Kind.WORDS,
            "HeaderMatchesMessageHeader", Kind.HEADER_NAME, "HeaderMatchesPatterns", Kind.PATTERNS,
            "SentTo", Kind.ADDRESSES, "SentToScope", Kind.SCOPE, "RecipientDomainIs", Kind.DOMAINS,
            "RecipientAddressContainsWords", Kind.WORDS, "AnyOfToHeader", Kind.ADDRESSES, "AnyOfToCcHeader", Kind.ADDRESSES,
            "SubjectContainsWords", Kind.WORDS, "SubjectOrBodyContainsWords", Kind.WORDS,
            "SubjectMatchesPatterns", Kind.PATTERNS, "AttachmentExtensionMatchesWords", Kind.WORDS,
            "AttachmentNameMatchesPatterns", Kind.PATTERNS, "MessageSizeOver", Kind.SIZE, "SCLOver", Kind.SCL,
            "WithImportance", Kind.IMPORTANCE);

    public static final Map<String, Kind> ACTIONS = ordered(
            "Quarantine", Kind.BOOL, "RedirectMessageTo", Kind.TENANT_ADDRESSES, "RejectMessageReasonText", Kind.REPLY_TEXT,
            "RejectMessageEnhancedStatusCode", Kind.STATUS_CODE, "DeleteMessage", Kind.BOOL,
            "SetHeaderName", Kind.HEADER_NAME, "SetHeaderValue", Kind.HEADER_VALUE, "RemoveHeader", Kind.HEADER_NAME,
            "PrependSubject", Kind.SUBJECT_PREFIX, "AddToRecipients", Kind.TENANT_ADDRESSES, "CopyTo", Kind.TENANT_ADDRESSES,
            "BlindCopyTo", Kind.TENANT_ADDRESSES, "SetSCL", Kind.SCL, "ApplyHtmlDisclaimerText", Kind.TEXT_5000,
            "ApplyHtmlDisclaimerLocation", Kind.DISCLAIMER_LOCATION, "ApplyHtmlDisclaimerFallbackAction", Kind.DISCLAIMER_FALLBACK,
            "GenerateNotification", Kind.TEXT_5120);

    /** Every condition, exception and action parameter, in declaration order. */
    public static final Map<String, Kind> ALL = all();

    private static final Pattern STATUS = Pattern.compile("5\\.7\\.(1|9[0-9][0-9])");

    private static Map<String, Kind> ordered(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (Kind) pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Kind> all() {
        Map<String, Kind> m = new LinkedHashMap<>(CONDITIONS);
        CONDITIONS.forEach((k, v) -> m.put("ExceptIf" + k, v));
        m.putAll(ACTIONS);
        return java.util.Collections.unmodifiableMap(m);
    }

    public static boolean isList(Kind k) {
        return switch (k) {
            case ADDRESSES, TENANT_ADDRESSES, WORDS, PATTERNS, DOMAINS, IP_RANGES -> true;
            default -> false;
        };
    }

    /** Why one value (one element of a list) is invalid for a parameter of this kind, or empty. */
    public static Optional<String> problem(Kind kind, Object value) {
        String s = String.valueOf(value);
        return switch (kind) {
            case WORDS -> Words.problem(s);
            case DOMAINS -> s.isEmpty() || !s.equals(s.strip()) || s.contains("@") || s.contains(" ")
                    ? Optional.of("it isn't a domain name") : Optional.empty();
            case PATTERNS -> Patterns.problem(s);
            case IP_RANGES -> IpRange.problem(s);
            case HEADER_NAME -> headerNameProblem(s);
            case STATUS_CODE -> STATUS.matcher(s).matches() ? Optional.empty()
                    : Optional.of("the enhanced status code must be 5.7.1 or between 5.7.900 and 5.7.999");
            // it becomes the text of an SMTP reply line (the DATA refusal) and of the NDR's Diagnostic-Code
            case REPLY_TEXT -> s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                    ? Optional.of("it is an SMTP reply text and can't contain line breaks or control characters") : length(s, 1024);
            case TEXT_5000 -> length(s, 5000);
            case TEXT_5120 -> length(s, 5120);
            case HEADER_VALUE, SUBJECT_PREFIX -> s.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)
                    ? Optional.of("it can't contain line breaks") : length(s, 998);
            case ADDRESSES, TENANT_ADDRESSES -> s.isBlank() ? Optional.of("a recipient can't be empty") : Optional.empty();
            // the closed sets the cmdlets' types enforce, checked again here for every caller of the service
            case SCOPE -> oneOf(s, "InOrganization", "NotInOrganization");
            case IMPORTANCE -> oneOf(s, "Low", "Normal", "High");
            case DISCLAIMER_LOCATION -> oneOf(s, "Append", "Prepend");
            case DISCLAIMER_FALLBACK -> oneOf(s, "Wrap", "Ignore", "Reject");
            case SCL -> value instanceof Number n && n.intValue() >= -1 && n.intValue() <= 9 && n.doubleValue() == n.intValue()
                    ? Optional.empty() : Optional.of("the SCL is a whole number from -1 to 9");
            default -> Optional.empty();
        };
    }

    /** RFC 5322 field name: 1-64 printable US-ASCII characters other than colon and space. */
    static Optional<String> headerNameProblem(String s) {
        if (s.isEmpty() || s.length() > 64) return Optional.of("a header name has 1 to 64 characters");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || c == ':') return Optional.of("a header name can contain only printable US-ASCII characters other than ':' and spaces");
        }
        return Optional.empty();
    }

    private static Optional<String> oneOf(String s, String... allowed) {
        for (String a : allowed) if (a.equals(s)) return Optional.empty();
        return Optional.of("the value must be one of " + String.join(", ", allowed));
    }

    /** The -SenderAddressLocation values. */
    public static Optional<String> senderAddressLocationProblem(String s) {
        return s == null ? Optional.empty() : oneOf(s, "Header", "Envelope", "HeaderOrEnvelope");
    }

    private static Optional<String> length(String s, int max) {
        return s.length() > max ? Optional.of("it can be at most " + max + " characters long") : Optional.empty();
    }

    /**
     * Checks every parameter of a rule and the pairs that go together; throws ValidationException naming the
     * parameter. {@code values} holds the canonical Java values (String, List&lt;String&gt;, Boolean, Integer, Long).
     */
    public static void validate(Map<String, Object> values) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Kind k = ALL.get(e.getKey());
            if (k == null) throw new ValidationException("-" + e.getKey() + " isn't a supported rule parameter");
            Object v = e.getValue();
            if (v == null) continue;
            List<?> items = v instanceof List<?> l ? l : List.of(v);
            if (isList(k) && items.isEmpty()) continue;
            for (Object item : items) {
                Optional<String> p = problem(k, item);
                if (p.isPresent()) throw new ValidationException("-" + e.getKey() + " '" + item + "': " + p.get());
            }
        }
        for (String prefix : List.of("", "ExceptIf")) {
            pair(values, prefix + "HeaderContainsMessageHeader", prefix + "HeaderContainsWords");
            pair(values, prefix + "HeaderMatchesMessageHeader", prefix + "HeaderMatchesPatterns");
        }
        pair(values, "SetHeaderName", "SetHeaderValue");
        if (has(values, "ApplyHtmlDisclaimerLocation") || has(values, "ApplyHtmlDisclaimerFallbackAction")) {
            if (!has(values, "ApplyHtmlDisclaimerText")) {
                throw new ValidationException("-ApplyHtmlDisclaimerLocation and -ApplyHtmlDisclaimerFallbackAction need -ApplyHtmlDisclaimerText");
            }
        }
        if (ACTIONS.keySet().stream().noneMatch(a -> has(values, a))) {
            throw new ValidationException("A transport rule needs at least one action (for example -Quarantine $true, "
                    + "-SetHeaderName/-SetHeaderValue or -RejectMessageReasonText)");
        }
    }

    private static void pair(Map<String, Object> values, String a, String b) {
        if (has(values, a) != has(values, b)) {
            throw new ValidationException("-" + a + " and -" + b + " must be used together");
        }
    }

    static boolean has(Map<String, Object> values, String name) {
        Object v = values.get(name);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof List<?> l) return !l.isEmpty();
        return !(v instanceof String s) || !s.isEmpty();
    }

    // --- compilation ------------------------------------------------------------------------------

    /** The conditions (prefix "") or exceptions (prefix "ExceptIf") of a rule, compiled. */
    static List<Condition> conditions(Map<String, Object> p, String prefix, Condition.Location loc) {
        List<Condition> out = new ArrayList<>();
        Function<String, Object> get = n -> has(p, prefix + n) ? p.get(prefix + n) : null;
        for (String name : CONDITIONS.keySet()) {
            Object v = get.apply(name);
            if (v == null) continue;
            Condition c = switch (name) {
                case "From" -> new Condition.From(lowerSet(v), loc);
                case "FromScope" -> new Condition.FromScope("InOrganization".equalsIgnoreCase((String) v));
                case "FromAddressContainsWords" -> new Condition.FromAddressWords(Words.of(strings(v)), loc);
                case "FromAddressMatchesPatterns" -> new Condition.FromAddressPatterns(Patterns.of(strings(v)), loc);
                case "SenderDomainIs" -> new Condition.SenderDomainIs(domains(v), loc);
                case "SenderIpRanges" -> new Condition.SenderIpRanges(strings(v).stream().map(IpRange::parse).toList());
                case "HeaderContainsMessageHeader" -> new Condition.HeaderContainsWords((String) v, Words.of(strings(get.apply("HeaderContainsWords"))));
                case "HeaderMatchesMessageHeader" -> new Condition.HeaderMatchesPatterns((String) v, Patterns.of(strings(get.apply("HeaderMatchesPatterns"))));
                case "SentTo" -> new Condition.SentTo(lowerSet(v));
                case "SentToScope" -> new Condition.SentToScope("InOrganization".equalsIgnoreCase((String) v));
                case "RecipientDomainIs" -> new Condition.RecipientDomainIs(domains(v));
                case "RecipientAddressContainsWords" -> new Condition.RecipientAddressWords(Words.of(strings(v)));
                case "AnyOfToHeader" -> new Condition.AnyOfHeader(List.of("To"), lowerSet(v));
                case "AnyOfToCcHeader" -> new Condition.AnyOfHeader(List.of("To", "Cc"), lowerSet(v));
                case "SubjectContainsWords" -> new Condition.SubjectWords(Words.of(strings(v)));
                case "SubjectOrBodyContainsWords" -> new Condition.SubjectOrBodyWords(Words.of(strings(v)));
                case "SubjectMatchesPatterns" -> new Condition.SubjectPatterns(Patterns.of(strings(v)));
                case "AttachmentExtensionMatchesWords" -> new Condition.AttachmentExtension(extensions(v));
                case "AttachmentNameMatchesPatterns" -> new Condition.AttachmentNamePatterns(Patterns.of(strings(v)));
                case "MessageSizeOver" -> new Condition.MessageSizeOver(((Number) v).longValue());
                case "SCLOver" -> new Condition.SclOver(((Number) v).intValue());
                case "WithImportance" -> new Condition.WithImportance((String) v);
                default -> null; // the word/pattern halves of the header pairs are read with their header
            };
            if (c != null) out.add(c);
        }
        return List.copyOf(out);
    }

    /** The actions of a rule, compiled, in the order Exchange applies them (header edits before routing). */
    static List<RuleAction> actions(Map<String, Object> p) {
        List<RuleAction> out = new ArrayList<>();
        if (has(p, "SetSCL")) out.add(new RuleAction.SetScl(((Number) p.get("SetSCL")).intValue()));
        if (has(p, "RemoveHeader")) out.add(new RuleAction.RemoveHeader((String) p.get("RemoveHeader")));
        if (has(p, "SetHeaderName")) out.add(new RuleAction.SetHeader((String) p.get("SetHeaderName"), (String) p.get("SetHeaderValue")));
        if (has(p, "PrependSubject")) out.add(new RuleAction.PrependSubject((String) p.get("PrependSubject")));
        if (has(p, "ApplyHtmlDisclaimerText")) {
            out.add(new RuleAction.Disclaimer((String) p.get("ApplyHtmlDisclaimerText"),
                    String.valueOf(p.getOrDefault("ApplyHtmlDisclaimerLocation", "Append")),
                    String.valueOf(p.getOrDefault("ApplyHtmlDisclaimerFallbackAction", "Wrap"))));
        }
        if (has(p, "AddToRecipients")) out.add(new RuleAction.AddRecipients("To", strings(p.get("AddToRecipients"))));
        if (has(p, "CopyTo")) out.add(new RuleAction.AddRecipients("Cc", strings(p.get("CopyTo"))));
        if (has(p, "BlindCopyTo")) out.add(new RuleAction.AddRecipients("Bcc", strings(p.get("BlindCopyTo"))));
        if (has(p, "GenerateNotification")) out.add(new RuleAction.GenerateNotification((String) p.get("GenerateNotification")));
        if (has(p, "RedirectMessageTo")) out.add(new RuleAction.Redirect(strings(p.get("RedirectMessageTo"))));
        if (has(p, "RejectMessageReasonText") || has(p, "RejectMessageEnhancedStatusCode")) {
            String code = has(p, "RejectMessageEnhancedStatusCode") ? (String) p.get("RejectMessageEnhancedStatusCode") : "5.7.1";
            String text = has(p, "RejectMessageReasonText") ? (String) p.get("RejectMessageReasonText") : "Delivery not authorized, message refused";
            out.add(new RuleAction.Reject(code, text));
        }
        if (has(p, "DeleteMessage")) out.add(new RuleAction.Delete());
        if (has(p, "Quarantine")) out.add(new RuleAction.Quarantine());
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object v) {
        if (v == null) return List.of();
        if (v instanceof List<?> l) return (List<String>) l;
        return List.of(String.valueOf(v));
    }

    private static Set<String> lowerSet(Object v) {
        Set<String> s = new LinkedHashSet<>();
        for (String x : strings(v)) s.add(x.toLowerCase(Locale.ROOT));
        return Set.copyOf(s);
    }

    private static List<String> domains(Object v) {
        Set<String> s = new LinkedHashSet<>();
        for (String x : strings(v)) s.add(Condition.asciiDomain(x));
        return List.copyOf(s);
    }

    private static Set<String> extensions(Object v) {
        Set<String> s = new LinkedHashSet<>();
        for (String x : strings(v)) s.add((x.startsWith(".") ? x.substring(1) : x).toLowerCase(Locale.ROOT));
        return Set.copyOf(s);
    }
}
