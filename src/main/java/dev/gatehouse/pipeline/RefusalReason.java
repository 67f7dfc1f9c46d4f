// Why the gateway refused a recipient or a message: a closed set, each with its stable label.
package dev.gatehouse.pipeline;

import java.util.Locale;

/**
 * The reasons a refusal can have, at RCPT TO or at end of data. The label ({@code relay_denied}, ...) is
 * what logs, metrics and the refusal log show; it never changes once published.
 */
public enum RefusalReason {
    /** 550 5.7.64: no tenant accepts the recipient's domain and the sender may not relay. */
    RELAY_DENIED,
    /** 550 5.4.1: an unknown address in an Authoritative domain (directory-based edge blocking). */
    UNKNOWN_RECIPIENT,
    /** 550 5.7.51: a partner connector restricted to its IPs or certificate covers the sender's domain. */
    PARTNER_LOCKDOWN,
    /** 550 5.7.68: anonymous mail from an accepted domain while RejectDirectSend is on. */
    REJECT_DIRECT_SEND,
    /** 530 5.7.0: a connector of the organization requires TLS. */
    REQUIRE_TLS,
    /** 550 5.7.68 at end of data: the header From claims an accepted domain (RejectDirectSendHeaderFrom). */
    REJECT_DIRECT_SEND_HEADER_FROM,
    /** 554 5.4.6: too many Received fields. */
    MAIL_LOOP,
    /** A mail flow rule rejected every recipient. */
    TRANSPORT_RULE,
    /** 550 5.7.509 at end of data: DMARC failed for a domain with p=reject, and the anti-phishing policy honours it. */
    DMARC_REJECT,
    /** 451 4.7.500: a rule with RuleErrorAction Defer failed. */
    RULES_DEFERRED,
    /** 451 4.3.0: the durable commit failed. */
    QUEUE_FAILED;

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
