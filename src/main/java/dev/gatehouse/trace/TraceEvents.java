// How each stored message event reads in Get-MessageTraceDetailV2: Exchange's Event names and detail texts.
package dev.gatehouse.trace;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceRow;
import dev.gatehouse.trace.MessageTraceService.MessageTraceDetailRow;

/**
 * Event names follow Exchange's detail view: {@code Receive}, {@code Transport rule}, {@code Deliver},
 * {@code Send}, {@code Defer}, {@code Fail}, {@code DSN} (a non-delivery report), plus {@code Redirect},
 * {@code Drop}, {@code Release} and {@code Notification} for what rules and the quarantine did. The Receive
 * event says where the message came from, over which TLS, and through which inbound connector (or none:
 * Direct Send); its {@code Data} carries the same as Exchange's {@code <root><MEP .../></root>} properties. A
 * Transport rule event names the rule and its id as Exchange does; the action it took is in {@code Action},
 * with Exchange's agent data ({@code S:TRA=ETR|ruleId=...|action=...}) in {@code Data}.
 */
public final class TraceEvents {
    private TraceEvents() {}

    static MessageTraceDetailRow row(MessageTraceEvent e, TraceRow copy) {
        String detail = e.detail() == null ? "" : e.detail();
        return switch (e.event()) {
            case Receive -> make(e, copy, "Receive", "", receiveDetail(copy), receiveData(copy));
            case TransportRule -> make(e, copy, "Transport rule", "", detail, "");
            case RuleAction -> make(e, copy, "Transport rule", field(detail, "action"), "Transport rule action: " + field(detail, "action"), detail);
            case RuleError -> make(e, copy, "Transport rule", "Error", detail, "");
            case Quarantine -> make(e, copy, "Deliver", "Quarantine", detail.isEmpty()
                    ? "Message quarantined in: DefaultFolderType:QuarantinedEmailSecured" : detail, "");
            case Deliver -> make(e, copy, "Deliver", "", "The message was successfully delivered to the mailbox."
                    + (detail.isEmpty() ? "" : " (" + detail + ")"), "");
            case Send -> make(e, copy, "Send", "", detail.isEmpty() ? "Message transferred." : detail, "");
            case Defer -> make(e, copy, "Defer", "", detail, "");
            case Fail -> make(e, copy, "Fail", "", detail, "");
            case Ndr, NdrPending -> make(e, copy, "DSN", "", detail, "");
            case Redirect -> make(e, copy, "Redirect", "", detail, "");
            case Drop -> make(e, copy, "Drop", "", detail, "");
            case Release -> make(e, copy, "Release", "", detail, "");
            case Notification -> make(e, copy, "Notification", "", detail, "");
            case EnhancedFiltering -> make(e, copy, "Enhanced Filtering", "", detail, "");
        };
    }

    private static MessageTraceDetailRow make(MessageTraceEvent e, TraceRow copy, String event, String action, String detail, String data) {
        return new MessageTraceDetailRow(e.timestamp(), event, action, detail, data, copy.internetMessageId(), copy.networkMessageId());
    }

    /** "Message received from mx.partner.example [198.51.100.7] via TLS1.3 with ... through inbound connector 'CP-IP'." */
    static String receiveDetail(TraceRow c) {
        StringBuilder sb = new StringBuilder("Message received from ");
        sb.append(c.helo() == null || c.helo().isEmpty() ? "(no HELO)" : c.helo());
        if (c.clientIp() != null) sb.append(" [").append(c.clientIp()).append(']');
        sb.append(c.tlsProtocol() == null ? " without TLS" : " via " + tlsName(c.tlsProtocol()) + " with " + c.tlsCipher());
        sb.append(connector(c) == null ? ", through no connector (Direct Send)" : ", through inbound connector '" + connector(c) + "'");
        return sb.append('.').toString();
    }

    private static String receiveData(TraceRow c) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ConnectorId", connector(c) == null ? "" : connector(c));
        p.put("ClientIP", c.clientIp());
        p.put("ClientName", c.helo());
        p.put("TlsVersion", c.tlsProtocol() == null ? "" : tlsName(c.tlsProtocol()));
        p.put("CipherSuite", c.tlsCipher());
        p.put("Directionality", c.directionality());
        p.put("MailFrom", c.sender());
        p.put("From", c.headerFrom());
        p.put("MessageSize", Long.toString(c.size()));
        StringBuilder sb = new StringBuilder("<root>");
        p.forEach((k, v) -> {
            if (v != null) sb.append("<MEP Name=\"").append(k).append("\" String=\"").append(xml(v)).append("\" />");
        });
        return sb.append("</root>").toString();
    }

    private static String connector(TraceRow c) {
        return c.inboundConnector() == null || c.inboundConnector().isEmpty() ? null : c.inboundConnector();
    }

    /** TLSv1.3 as Exchange writes it: TLS1.3. */
    public static String tlsName(String protocol) { return protocol.replace("TLSv", "TLS"); }

    /** One field of agent data such as {@code S:TRA=ETR|ruleId=...|action=Quarantine}, or "". */
    public static String field(String agentData, String name) {
        for (String part : agentData.split("\\|")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) return part.substring(eq + 1);
        }
        return "";
    }

    private static String xml(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (char ch : v.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch < 0x20 ? ' ' : ch);
            }
        }
        return sb.toString();
    }
}
