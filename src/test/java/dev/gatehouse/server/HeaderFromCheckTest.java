package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderFromCheckTest {
    @Test
    void readsTheDomainOfTheFromAddress() {
        assertThat(HeaderFromCheck.domainOf("\"Alice\" <alice@Contoso.COM>")).isEqualTo("contoso.com");
        assertThat(HeaderFromCheck.domainOf("alice@contoso.com")).isEqualTo("contoso.com");
        assertThat(HeaderFromCheck.domainOf("a@contoso.com, b@fabrikam.com")).isEqualTo("contoso.com");
        assertThat(HeaderFromCheck.domainOf("\"x@evil.example\" <alice@contoso.com>")).isEqualTo("contoso.com");
        assertThat(HeaderFromCheck.domainOf("undisclosed")).isNull();
        assertThat(HeaderFromCheck.domainOf(null)).isNull();
    }
}
