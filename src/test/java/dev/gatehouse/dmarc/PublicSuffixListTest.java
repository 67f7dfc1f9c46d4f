// PublicSuffixListTest: the PSL's own test vectors, organizational domains, wildcards, exceptions, private suffixes, IDN, loading a newer copy.
package dev.gatehouse.dmarc;

import dev.gatehouse.mail.DomainNames;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PublicSuffixListTest {

    private static final PublicSuffixList PSL = PublicSuffixList.packaged();

    @TempDir Path dir;

    /** The vectors of test_psl.txt (publicsuffix/list, CC0): input, expected registrable domain (null when none). */
    static Stream<Arguments> officialVectors() throws IOException {
        List<Arguments> out = new ArrayList<>();
        Pattern line = Pattern.compile("^checkPublicSuffix\\((null|'([^']*)'), (null|'([^']*)')\\);$");
        try (InputStream in = PublicSuffixListTest.class.getResourceAsStream("test_psl.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = line.matcher(l);
                if (m.matches()) out.add(Arguments.of(m.group(2), m.group(4)));
            }
        }
        assertThat(out).as("vectors read from test_psl.txt").hasSize(78);
        return out.stream();
    }

    @ParameterizedTest(name = "checkPublicSuffix({0}, {1})")
    @MethodSource("officialVectors")
    void registrableDomainMatchesTheOfficialVectors(String input, String expected) {
        // the vectors give IDN answers in Unicode; we answer in A-labels, as DMARC compares them
        assertThat(PSL.registrableDomain(input)).isEqualTo(expected == null ? null : DomainNames.toAscii(expected));
    }

    @ParameterizedTest(name = "organizationalDomain({0})")
    @MethodSource("officialVectors")
    void organizationalDomainIsTheRegistrableDomainOrTheSuffixItself(String input, String expected) {
        // adapted for DMARC: a public suffix is its own organizational domain; a name that is not one has none
        String want = expected != null ? DomainNames.toAscii(expected) : DomainNames.toAscii(input);
        assertThat(PSL.organizationalDomain(input)).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "mail.contoso.com, contoso.com",
            "contoso.com, contoso.com",
            "a.b.c.contoso.co.uk, contoso.co.uk",
            "co.uk, co.uk",
            "uk, uk",
            // *.ck: every name under ck is a suffix, so the org domain takes two labels below ck
            "a.b.test.ck, b.test.ck",
            "test.ck, test.ck",
            // !www.ck: the exception beats the wildcard, www.ck is registrable
            "mail.www.ck, www.ck",
            // private section: blogspot.com hands out names to others
            "alice.blogspot.com, alice.blogspot.com",
            "www.alice.blogspot.com, alice.blogspot.com",
            "mallory.github.io, mallory.github.io",
            // an unlisted top-level domain: the implicit * rule
            "mail.contoso.internal-tld, contoso.internal-tld",
            "MAIL.Contoso.COM., contoso.com",
    })
    void organizationalDomains(String domain, String org) {
        assertThat(PSL.organizationalDomain(domain)).isEqualTo(org);
    }

    @Test
    void privateRulesAreListedAndCount() {
        assertThat(PSL.sectionOf("blogspot.com")).isEqualTo(PublicSuffixList.Section.PRIVATE);
        assertThat(PSL.sectionOf("co.uk")).isEqualTo(PublicSuffixList.Section.ICANN);
        assertThat(PSL.sectionOf("*.ck")).isEqualTo(PublicSuffixList.Section.ICANN);
        assertThat(PSL.sectionOf("!www.ck")).isEqualTo(PublicSuffixList.Section.ICANN);
        assertThat(PSL.publicSuffix("alice.blogspot.com")).isEqualTo("blogspot.com");
        // two people's blogs do not share an organizational domain, so neither aligns with the other
        assertThat(PSL.organizationalDomain("alice.blogspot.com")).isNotEqualTo(PSL.organizationalDomain("mallory.blogspot.com"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // Unicode and A-label spellings are one name
            "www.食狮.公司.cn, xn--85x722f.xn--55qx5d.cn",
            "WWW.XN--85X722F.XN--55QX5D.CN, xn--85x722f.xn--55qx5d.cn",
            // IDNA2008, not IDNA2003: ß is its own letter, not "ss" (strasse.de is someone else's)
            "mail.straße.de, xn--strae-oqa.de",
            "mail.bücher.de, xn--bcher-kva.de",
            // upper-case Unicode is lower-cased before encoding
            "MAIL.BÜCHER.DE, xn--bcher-kva.de",
            // ideographic full stop separates labels (UTS #46)
            "mail。bücher。de, xn--bcher-kva.de",
            // a rule written in Unicode in the list (aéroport.ci) matches its A-label
            "x.y.aéroport.ci, y.xn--aroport-bya.ci",
    })
    void idnNamesAreComparedAsLowerCaseALabels(String domain, String org) {
        assertThat(PSL.organizationalDomain(domain)).isEqualTo(org);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {"a..b.com", "-bad.com", "bad-.com", "sp ace.com", "semi;colon.com", "x@y.com", "<>", "''", "'\u0000.com'",
            "emoji\uD83D\uDE00.com"}, nullValues = "NULL")
    void namesThatAreNotDomainNamesHaveNoOrganizationalDomain(String bad) {
        assertThat(PSL.organizationalDomain(bad)).isNull();
        assertThat(PSL.publicSuffix(bad)).isNull();
    }

    @Test
    void overlongNamesAndLabelsHaveNoOrganizationalDomain() {
        assertThat(PSL.organizationalDomain("a".repeat(64) + ".com")).isNull();
        assertThat(PSL.organizationalDomain("a".repeat(63) + ".com")).isEqualTo("a".repeat(63) + ".com");
        String deep = "a.".repeat(127) + "com";   // 257 characters
        assertThat(PSL.organizationalDomain(deep)).isNull();
    }

    @Test
    void thePackagedCopyIsTheWholeList() {
        assertThat(PSL.size()).isGreaterThan(9000);
        assertThat(PSL.describe()).contains("icann_rules=").contains("private_rules=");
    }

    @Test
    void aNewerCopyFromAFileIsUsedInsteadOfThePackagedOne() throws IOException {
        Path file = dir.resolve("psl.dat");
        Files.writeString(file, """
                // ===BEGIN ICANN DOMAINS===
                com
                // ===END ICANN DOMAINS===
                // ===BEGIN PRIVATE DOMAINS===
                // a suffix added after the packaged copy was made
                newhost.com
                *.cloud.example
                !www.cloud.example
                // ===END PRIVATE DOMAINS===
                """);
        PublicSuffixList list = ((PublicSuffixList.Loaded.Ok) PublicSuffixList.read(file)).list();
        assertThat(list.organizationalDomain("a.b.newhost.com")).isEqualTo("b.newhost.com");
        assertThat(PSL.organizationalDomain("a.b.newhost.com")).isEqualTo("newhost.com");
        assertThat(list.organizationalDomain("a.b.c.cloud.example")).isEqualTo("b.c.cloud.example");
        assertThat(list.organizationalDomain("a.www.cloud.example")).isEqualTo("www.cloud.example");
        assertThat(list.sectionOf("newhost.com")).isEqualTo(PublicSuffixList.Section.PRIVATE);
    }

    @Test
    void aFileThatIsNotAPublicSuffixListIsRefusedNamingTheFileAndLine() throws IOException {
        Path html = dir.resolve("page.html");
        Files.writeString(html, "<html><body>Public Suffix List</body></html>\n");
        assertThat(invalid(html)).isEqualTo("public suffix list '" + html + "' line 1: '<html><body>Public' is not a rule (not a domain name)");

        Path noSection = dir.resolve("no-section.dat");
        Files.writeString(noSection, "com\nnet\n");
        assertThat(invalid(noSection)).isEqualTo("public suffix list '" + noSection
                + "' has no '// ===BEGIN ICANN DOMAINS===' line: not a public suffix list");

        Path midWildcard = dir.resolve("mid.dat");
        Files.writeString(midWildcard, "// ===BEGIN ICANN DOMAINS===\ncom\na.*.com\n");
        assertThat(invalid(midWildcard)).isEqualTo("public suffix list '" + midWildcard
                + "' line 3: 'a.*.com' is not a rule (a wildcard must be the whole leftmost label)");

        Path binary = dir.resolve("bin.dat");
        Files.write(binary, new byte[] {'/', '/', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThat(invalid(binary)).isEqualTo("public suffix list '" + binary + "' is not UTF-8 text");

        Path missing = dir.resolve("missing.dat");
        assertThat(invalid(missing)).isEqualTo("public suffix list '" + missing + "' does not exist or is not a file");
    }

    private static String invalid(Path file) {
        return ((PublicSuffixList.Loaded.Invalid) PublicSuffixList.read(file)).message();
    }
}
