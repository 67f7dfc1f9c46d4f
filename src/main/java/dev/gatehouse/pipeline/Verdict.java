// What the pipeline decided for one recipient: deliver, or why not.
package dev.gatehouse.pipeline;

/**
 * Set by mail flow rules (the only stage that decides per recipient today); read by the quarantine stage
 * (copies for {@link Quarantine}), the report stage (NDRs for {@link Reject}) and the queue (the status).
 */
public sealed interface Verdict {
    /** Deliver as attributed (locally, or to the relay). */
    record Deliver() implements Verdict {}

    /**
     * Held in the hosted quarantine: by a transport rule ({@code TransportRule}, policy type
     * {@code ExchangeTransportRule}, named by the rule), or by the anti-phishing policy ({@code Phish},
     * {@code AntiPhishPolicy}, named by the policy) for a spoof or a DMARC failure.
     */
    record Quarantine(String ruleName, String ruleGuid, String quarantineType, String policyType) implements Verdict {
        /** Quarantined by the transport rule of that name and id. */
        public Quarantine(String ruleName, String ruleGuid) { this(ruleName, ruleGuid, "TransportRule", "ExchangeTransportRule"); }
    }

    /**
     * Refused by a rule with an SMTP reply ({@code 550 <status> <text>}): all recipients rejected refuses the
     * DATA; some refuses those and sends the sender an NDR.
     */
    record Reject(String status, String text, String ruleName, String ruleGuid) implements Verdict {
        /** The reply text without the code: {@code 5.7.1 Delivery not authorized, message refused}. */
        public String reason() { return status + " " + text; }
    }

    /** Dropped silently by a rule (DeleteMessage), or a copy not sent because its original was refused. */
    record Delete(String reason, String ruleName, String ruleGuid) implements Verdict {}

    /** Not delivered to this recipient: a rule sent the message to others instead. */
    record Redirected(String reason) implements Verdict {}

    Verdict DELIVER = new Deliver();
}
