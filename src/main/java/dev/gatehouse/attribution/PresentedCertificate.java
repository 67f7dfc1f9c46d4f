// What attribution knows about the client certificate presented over STARTTLS, after judging it once.
package dev.gatehouse.attribution;

import java.util.List;

/**
 * @param trusted  the chain leads to a trusted CA and every certificate in it is within its validity period
 * @param current  the leaf is within its validity period (what a pinned thumbprint still requires)
 * @param names    the subject CN and every dNSName SAN, lower case
 * @param sha256   SHA-256 of the leaf's DER encoding, 64 lower-case hex digits
 * @param problem  why it is not trusted ("" when trusted), for logs
 */
public record PresentedCertificate(boolean trusted, boolean current, List<String> names, String sha256, String problem) {
    public PresentedCertificate { names = List.copyOf(names); }
}
