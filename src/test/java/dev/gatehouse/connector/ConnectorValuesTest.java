package dev.gatehouse.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import dev.gatehouse.kernel.ValidationException;

/** Socket-free checks of the connector value parsers (spec §3.1). */
class ConnectorValuesTest {

    @Test
    void acceptsSingleAddressesAndCidrFrom24To32() throws Exception {
        assertThat(Ipv4Block.parse("192.0.2.1").toString()).isEqualTo("192.0.2.1");
        assertThat(Ipv4Block.parse("192.0.2.77/24").toString()).isEqualTo("192.0.2.0/24");
        assertThat(Ipv4Block.parse("192.0.2.1/25").contains(InetAddress.getByName("192.0.2.127"))).isTrue();
        assertThat(Ipv4Block.parse("192.0.2.1/25").contains(InetAddress.getByName("192.0.2.128"))).isFalse();
        assertThat(Ipv4Block.parse("192.0.2.9/32").contains(InetAddress.getByName("192.0.2.9"))).isTrue();
        assertThat(Ipv4Block.parse("192.0.2.0/24").contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void refusesRangesWideBlocksIpv6AndJunkNamingTheValue() {
        for (String bad : new String[] {"192.0.2.1-192.0.2.254", "192.0.2.0/23", "10.0.0.0/8", "2001:db8::1", "256.1.1.1",
                "192.0.2", "192.0.2.1/", "192.0.2.1/33", "01.2.3.4", "host.example"}) {
            assertThatThrownBy(() -> Ipv4Block.parse(bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("-SenderIPAddresses '" + bad + "': ");
        }
    }

    @Test
    void domainPatternsAllowOnlyLeadingWildcards() {
        assertThat(DomainPattern.normalise("-SenderDomains", "*", true)).isEqualTo("*");
        assertThat(DomainPattern.normalise("-SenderDomains", "*.Contoso.COM", true)).isEqualTo("*.contoso.com");
        assertThat(DomainPattern.normalise("-SenderDomains", "smtp:contoso.com;1", true)).isEqualTo("contoso.com");
        assertThatThrownBy(() -> DomainPattern.normalise("-SenderDomains", "domain.*.contoso.com", true)).hasMessageContaining("first label");
        assertThatThrownBy(() -> DomainPattern.normalise("-TlsSenderCertificateName", "*", false)).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> DomainPattern.normalise("-SenderDomains", "not a domain", true)).hasMessageContaining("not a valid domain");
    }

    @Test
    void wildcardMatchesTheDomainAndItsSubdomainsOnly() {
        assertThat(DomainPattern.matches("*.contoso.com", "contoso.com")).isTrue();
        assertThat(DomainPattern.matches("*.contoso.com", "mail.eu.contoso.com")).isTrue();
        assertThat(DomainPattern.matches("*.contoso.com", "evilcontoso.com")).isFalse();
        assertThat(DomainPattern.matches("contoso.com", "sub.contoso.com")).isFalse();
        assertThat(DomainPattern.matches("*", "")).isTrue();
        assertThat(DomainPattern.matches("contoso.com", "")).isFalse();
        assertThat(DomainPattern.precision("mail.contoso.com")).isGreaterThan(DomainPattern.precision("*.mail.contoso.com"));
        assertThat(DomainPattern.precision("*.mail.contoso.com")).isGreaterThan(DomainPattern.precision("*.contoso.com"));
    }

    @Test
    void thumbprintsAreSha256Hex() {
        String t = "AB:".repeat(31) + "AB";
        assertThat(InboundConnectorService.thumbprint(t)).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> InboundConnectorService.thumbprint("abcd")).hasMessageContaining("64 hexadecimal digits");
    }
}
