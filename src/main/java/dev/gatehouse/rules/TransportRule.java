// A mail flow rule as stored and shown by Get-TransportRule (spec §5.1).
package dev.gatehouse.rules;

import java.time.Instant;
import java.util.Map;

/**
 * @param parameters the conditions, exceptions and actions ({@link RuleParameters#ALL} names) with canonical
 *                   values: String, List&lt;String&gt;, Boolean, Integer or Long (MessageSizeOver in bytes)
 */
public record TransportRule(long tenantId, String guid, String name, int priority, RuleMode mode, boolean enabled,
                            Instant activationDate, Instant expiryDate, boolean stopRuleProcessing,
                            String senderAddressLocation, String comments, RuleErrorAction ruleErrorAction,
                            Map<String, Object> parameters, Instant whenChanged) {
    public TransportRule {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
