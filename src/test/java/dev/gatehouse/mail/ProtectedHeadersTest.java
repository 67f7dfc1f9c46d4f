// The header firewall's list: every protected prefix in any ASCII case, and no Unicode look-alike.
package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectedHeadersTest {

    /** A real name for each prefix, as Exchange writes it. */
    private static final List<String> NAMES = List.of(
            "X-MS-Exchange-Organization-AuthAs", "X-MS-Exchange-CrossTenant-Id", "X-MS-Exchange-CrossPremises-AuthSource",
            "X-EOPAttributedMessage", "X-EOPTenantAttributedMessage", "X-CrossPremisesHeadersPromoted",
            "X-MS-Exchange-SkipListedInternetSender", "X-MS-Exchange-ExternalOriginalInternetSender",
            "Authentication-Results", "Received-SPF", "X-Forefront-Antispam-Report", "X-Microsoft-Antispam");

    @Test
    void everyPrefixHasARealNameHereAndIsLowerCase() {
        assertThat(ProtectedHeaders.PREFIXES).hasSize(NAMES.size());
        for (int i = 0; i < NAMES.size(); i++) {
            assertThat(NAMES.get(i).toLowerCase(Locale.ROOT)).startsWith(ProtectedHeaders.PREFIXES.get(i));
        }
        for (String p : ProtectedHeaders.PREFIXES) assertThat(p).isEqualTo(p.toLowerCase(Locale.ROOT));
        assertThat(ProtectedHeaders.PREFIXES).contains(ProtectedHeaders.ORGANIZATION_PREFIX, ProtectedHeaders.CROSS_PREMISES_PREFIX);
    }

    @Test
    void everyProtectedNameIsProtectedInAnyAsciiCase() {
        Random r = new Random(20261128);
        for (String name : NAMES) {
            assertThat(ProtectedHeaders.isProtected(name)).as(name).isTrue();
            assertThat(ProtectedHeaders.isProtected(name.toLowerCase(Locale.ROOT))).as(name).isTrue();
            assertThat(ProtectedHeaders.isProtected(name.toUpperCase(Locale.ROOT))).as(name).isTrue();
            for (int k = 0; k < 50; k++) {
                StringBuilder mixed = new StringBuilder();
                for (char c : name.toCharArray()) mixed.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                assertThat(ProtectedHeaders.isProtected(mixed.toString())).as(mixed.toString()).isTrue();
                assertThat(ProtectedHeaders.isProtected(HeaderField.of(mixed.toString(), "x"))).as(mixed.toString()).isTrue();
            }
        }
    }

    @Test
    void aBarePrefixAndAnythingAfterItAreProtected() {
        for (String p : ProtectedHeaders.PREFIXES) {
            assertThat(ProtectedHeaders.isProtected(p)).as(p).isTrue();
            assertThat(ProtectedHeaders.isProtected(p + "x")).as(p).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "X-MS-Exchange-Organization", // no hyphen: not the prefix
            "X-MS-Exchange-Organisation-AuthAs",
            "X-MS-Exchange-Transport-CrossTenantHeadersStamped",
            "X-MS-Exchange-CrossTenant", "X-MS-Exchange-CrossPremises",
            "X_MS-Exchange-Organization-AuthAs", "XMS-Exchange-Organization-AuthAs", "Y-MS-Exchange-Organization-AuthAs",
            "X-EOPAttributedMessag", "X-CrossPremisesHeader", "Subject", "", "X-",
            "X-MS-Exchange-Organ\u0131zation-AuthAs", // dotless i: upper-cases to I
            "X-MS-Exchange-Organ\u0130zation-AuthAs", // dotted capital I: lower-cases to i
            "X-M\u017F-Exchange-Organization-AuthAs", // long s: upper-cases to S
            "X-EOPAttributedMe\u017F\u017Fage",
            "X-MS-Exchange-Cro\u017F\u017FTenant-Id",
    })
    void aNameThatOnlyLooksLikeAProtectedOneIsNotProtected(String name) {
        assertThat(ProtectedHeaders.isProtected(name)).isFalse();
    }

    @Test
    void theLookAlikesWouldMatchUnderUnicodeCaseFoldingSoTheTestAboveMeansSomething() {
        assertThat("X-MS-Exchange-Organ\u0131zation-".equalsIgnoreCase("x-ms-exchange-organization-")).isTrue();
        assertThat("X-M\u017F-Exchange-Organization-".equalsIgnoreCase("x-ms-exchange-organization-")).isTrue();
    }

    @Test
    void aLookAlikeNameNeverReachesTheFirewallAsAFieldBecauseItEndsTheHeaderSection() {
        String in = "Subject: s\r\nX-MS-Exchange-Organ\u0131zation-AuthAs: Internal\r\n\r\nbody";
        Message m = Message.parse(in.getBytes(StandardCharsets.UTF_8));
        assertThat(m.fields()).extracting(HeaderField::name).containsExactly("Subject");
        assertThat(m.fields().stream().anyMatch(ProtectedHeaders::isProtected)).isFalse();
        assertThat(new String(m.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("Subject: s\r\n\r\nX-MS-Exchange-Organ\u0131zation-AuthAs: Internal\r\n\r\nbody");
    }

    @Test
    void obsoleteSpacingDoesNotHideAProtectedName() {
        Message m = Message.parse("X-MS-Exchange-Organization-AuthAs : Internal\r\nSubject: s\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.without(ProtectedHeaders::isProtected).fields()).extracting(HeaderField::name).containsExactly("Subject");
    }
}
