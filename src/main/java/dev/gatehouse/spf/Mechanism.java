// The eight mechanisms of RFC 7208 §5, as a closed set the evaluator switches over.
package dev.gatehouse.spf;

/**
 * One mechanism of a record, already checked against the grammar. {@code text} is the term as published (for
 * {@link SpfResult#mechanism()}); a domain-spec that is absent means the current domain.
 */
sealed interface Mechanism {
    Qualifier qualifier();

    String text();

    /** Whether evaluating this term counts toward the limit of 10 DNS-querying terms (RFC 7208 §4.6.4). */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip4 || this instanceof Ip6);
    }

    record All(Qualifier qualifier, String text) implements Mechanism {}

    record Include(Qualifier qualifier, String text, MacroString domain) implements Mechanism {}

    /** {@code a[:domain][/cidr4][//cidr6]}; {@code domain} null for the current domain. */
    record A(Qualifier qualifier, String text, MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    /** {@code mx[:domain][/cidr4][//cidr6]}; {@code domain} null for the current domain. */
    record Mx(Qualifier qualifier, String text, MacroString domain, int cidr4, int cidr6) implements Mechanism {}

    /** {@code ptr[:domain]}; {@code domain} null for the current domain. */
    record Ptr(Qualifier qualifier, String text, MacroString domain) implements Mechanism {}

    record Ip4(Qualifier qualifier, String text, Network network) implements Mechanism {}

    record Ip6(Qualifier qualifier, String text, Network network) implements Mechanism {}

    record Exists(Qualifier qualifier, String text, MacroString domain) implements Mechanism {}
}
