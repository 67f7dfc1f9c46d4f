// Normalisation of domains, addresses and object names: one spelling stored, every spelling found, bad input named.
package dev.gatehouse.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.kernel.ValidationException;

class NamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Contoso.COM, contoso.com",
            "' contoso.com ', contoso.com",
            "bücher.example, xn--bcher-kva.example",
            "XN--BCHER-KVA.EXAMPLE, xn--bcher-kva.example",
            "ёж.рф, xn--f1a7c.xn--p1ai",
            // IDNA2008 as registries, browsers and mail clients convert (UTS #46 non-transitional), not IDNA2003:
            // ß and the final ς are letters of their own, so faß.de is not fass.de, someone else's domain
            "faß.de, xn--fa-hia.de",
            "straße.de, xn--strae-oqa.de",
            "Straße.DE, xn--strae-oqa.de",
            "βόλος.com, xn--nxasmm1c.com",
            "ｅｘａｍｐｌｅ.com, example.com",
            "bücher。example, xn--bcher-kva.example",
            "con\u00ADtoso.com, contoso.com",
            "bü\u200Bcher.example, xn--bcher-kva.example",
            "contoso.c0m, contoso.c0m",
            "a-b.contoso.com, a-b.contoso.com"})
    void validDomainsAreStoredLowerCaseInALabels(String given, String stored) {
        assertThat(Names.domainOrNull(given)).isEqualTo(stored);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", " ", "localhost", "contoso.com.", ".contoso.com", "contoso..com", "-contoso.com", "contoso-.com",
            "under_score.com", "*.contoso.com", "contoso.com。", "a\u200db.com", "a\u200cb.com", "☃.com", "192.0.2.1", "contoso.123", "space in.com", "a@b.com"})
    void invalidDomainsAreNull(String given) {
        assertThat(Names.domainOrNull(given)).isNull();
    }

    @Test
    void aCapitalSigmaIsTheMedialSigmaWhereverItStands() {
        // UTS #46 folds Σ to σ; a word-aware lower-casing would give the final ς at a word's end: another name
        assertThat(Names.domainOrNull("ΒΌΛΟΣ.com")).isEqualTo(Names.domainOrNull("βόλοσ.com")).isEqualTo("xn--nxasmq6b.com")
                .isNotEqualTo(Names.domainOrNull("βόλος.com"));
        assertThat(Names.domainOrNull("strasse.de")).isEqualTo("strasse.de").isNotEqualTo(Names.domainOrNull("straße.de"));
    }

    @Test
    void domainLengthLimitsAreTheDnsOnes() {
        String label63 = "a".repeat(63);
        assertThat(Names.domainOrNull(label63 + ".com")).isNotNull();
        assertThat(Names.domainOrNull("a" + label63 + ".com")).as("64-octet label").isNull();
        String name253 = (label63 + ".").repeat(3) + "b".repeat(253 - 64 * 3 - 4) + ".com";
        assertThat(name253).hasSize(253);
        assertThat(Names.domainOrNull(name253)).isNotNull();
        String name254 = (label63 + ".").repeat(3) + "b".repeat(58) + ".com";
        assertThat(name254).hasSize(254);
        assertThat(Names.domainOrNull(name254)).as("254 octets").isNull();
        assertThat(Names.domainOrNull(null)).isNull();
    }

    @Test
    void anAddressKeyLowersTheLocalPartAndNormalisesTheDomain() {
        assertThat(Names.addressKeyOrNull("Alice@Contoso.COM")).isEqualTo("alice@contoso.com");
        assertThat(Names.addressKeyOrNull("joerg@Bücher.example")).isEqualTo("joerg@xn--bcher-kva.example");
        assertThat(Names.addressKeyOrNull("odd@local@contoso.com")).as("the last @ separates the domain").isEqualTo("odd@local@contoso.com");
        for (String bad : new String[] {null, "", "noat", "@contoso.com", "alice@", "alice@localhost", "alice@bad..com"}) {
            assertThat(Names.addressKeyOrNull(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void aMailboxAddressKeepsItsLocalPartAsWrittenAndDropsAnSmtpPrefix() {
        assertThat(Names.address("P", "Alice.Smith@Contoso.COM")).isEqualTo("Alice.Smith@contoso.com");
        assertThat(Names.address("P", "SMTP:alice@contoso.com")).isEqualTo("alice@contoso.com");
        assertThat(Names.address("P", "smtp:alice@contoso.com")).isEqualTo("alice@contoso.com");
        assertThat(Names.address("P", "  o'brien+tag@contoso.com  ")).isEqualTo("o'brien+tag@contoso.com");
        for (String bad : new String[] {null, "", "alice", "@contoso.com", ".alice@contoso.com", "alice.@contoso.com", "al ice@contoso.com",
                "alice@contoso", "x400:alice@contoso.com", "l".repeat(65) + "@contoso.com"}) {
            assertThatThrownBy(() -> Names.address("EmailAddresses", bad)).as(String.valueOf(bad)).isInstanceOf(ValidationException.class)
                    .hasMessage("EmailAddresses '" + bad + "' is not a valid SMTP address");
        }
        assertThat(Names.domainOf("a@b@contoso.com")).isEqualTo("contoso.com");
        assertThat(Names.key("Alice@contoso.com")).isEqualTo("alice@contoso.com");
    }

    @Test
    void objectNamesAreStrippedBoundedAndFreeOfControlCharacters() {
        assertThat(Names.name("Name", "  Contoso Ltd  ")).isEqualTo("Contoso Ltd");
        assertThat(Names.name("Name", "Ü".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> Names.name("Name", "Ü".repeat(65))).hasMessage("Name '" + "Ü".repeat(65) + "' is too long: at most 64 characters");
        assertThatThrownBy(() -> Names.name("Identity", "a\nb")).hasMessage("Identity 'a\nb' contains a control character");
        assertThatThrownBy(() -> Names.name("Name", "\u007f")).hasMessage("Name '\u007f' contains a control character");
        assertThatThrownBy(() -> Names.name("Name", null)).hasMessage("Name '' is not valid: a value is required");
        assertThat(Names.nameKey("ÄBC")).isEqualTo("äbc");
    }

    /** The fast path for plain host names answers exactly as IDNA plus the label rules do, on names built to be near misses. */
    @Test
    void thePlainHostNamePathAgreesWithTheFullRulesOnEveryName() {
        java.util.Random random = new java.util.Random(20261206);
        String plain = "abzAZ09-", odd = "_\u00fc\u0130 .";
        int[] lengths = {1, 2, 3, 4, 62, 63, 64};
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int label = random.nextInt(1, 5); label > 0; label--) {
                for (int k = lengths[random.nextInt(lengths.length)]; k > 0; k--) {
                    b.append(random.nextInt(40) == 0 ? odd.charAt(random.nextInt(odd.length())) : plain.charAt(random.nextInt(plain.length())));
                }
                if (label > 1) b.append('.');
            }
            String d = b.toString().strip();
            if (d.isEmpty() || d.length() > 253) continue;
            String ldh = Names.ldhHostName(d);
            if (ldh == null) continue;
            fast++;
            assertThat(ldh).as(d).isEqualTo(Names.idnDomainOrNull(d));
        }
        assertThat(fast).isGreaterThan(10_000); // the fast path was taken often enough to mean something
        assertThat(Names.ldhHostName("bench.client")).isEqualTo("bench.client");
        assertThat(Names.ldhHostName("B\u00fccher.example")).isNull(); // not ASCII: IDNA decides
        assertThat(Names.ldhHostName("10.0.0.1")).isNull();
    }
}
