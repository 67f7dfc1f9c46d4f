package dev.gatehouse.smtp;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What STARTTLS negotiated: protocol ({@code TLSv1.3}), cipher suite, and the client certificate chain
 * if the client presented one (empty otherwise). The chain is kept unverified here; deciding whether
 * it is trusted and whose it is belongs to attribution.
 */
public record TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates) {
    public TlsInfo { peerCertificates = List.copyOf(peerCertificates); }
}
