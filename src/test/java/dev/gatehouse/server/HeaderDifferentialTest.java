// Issue 9's hostile header forms through a real gateway, then the delivered bytes read by Angus Mail and mime4j.
package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import dev.gatehouse.admin.AdminCmdlets;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.AdminServices;
import dev.gatehouse.admin.Principal;
import dev.gatehouse.attribution.RefusalLog;
import dev.gatehouse.cmdlet.PipelineRunner;
import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.config.GatewayConfig;
import dev.gatehouse.directory.DomainType;
import dev.gatehouse.directory.Tenant;
import dev.gatehouse.it.RawSmtpClient;
import dev.gatehouse.mail.ClientReaders;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.TenantCopy;
import dev.gatehouse.pipeline.RefusalReason;
import dev.gatehouse.quarantine.QuarantineMessage;
import dev.gatehouse.queue.TraceRecipient;
import dev.gatehouse.trace.TraceService;

/**
 * Issue 9, end to end: <em>the header set that Gatehouse's firewall and rules act on is exactly the header set
 * that common parsers read from the delivered copy.</em> A real gateway (SQLite in a temp dir, SMTP on an
 * ephemeral port) with Contoso (contoso.com; alice, bob). Each hostile message goes from 127.0.0.50 (anonymous,
 * the default connector: the spec's 203.0.113.50) to bob@contoso.com with {@link RawSmtpClient}, which writes
 * the exact bytes; the file in bob's Maildir is then read with Angus Mail and mime4j
 * ({@link ClientReaders#assertAgreesWithGatehouse}: the same field names as {@link Message#parse}, the protected
 * fields exactly the gateway's own, each once, no attacker text; the same Subjects; every From domain a reader
 * finds in Gatehouse's header From). One test per form of the "Why" section, plus other spellings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderDifferentialTest {
    static final String HOST = "mx.gatehouse.test";
    static final String ANONYMOUS_IP = "127.0.0.50";
    static final String DIRECT_SEND = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources";
    static final String QUARANTINE_SECRET = "New-TransportRule -Name Q -SubjectContainsWords secret -Quarantine $true";
    static final String SEEN_FROM_CONTOSO = "New-TransportRule -Name Seen -FromScope NotInOrganization -SenderDomainIs contoso.com"
            + " -SetHeaderName X-Seen -SetHeaderValue yes";

    Path dir;
    Gateway gateway;
    AdminServices services;
    Tenant contoso;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("gh-headerdiff-");
        gateway = new Gateway(new GatewayConfig(dir, HOST, "127.0.0.1", 0, "127.0.0.1", 0, null, null, null, List.of(),
                10L << 20, 1000, 100, 100, Duration.ofSeconds(60), Duration.ofSeconds(2), "node-test")
                .withDns(dev.gatehouse.dns.testing.DnsServer.OFF, java.time.Duration.ofSeconds(1))).start();
        services = AdminServices.over(gateway.store());
        contoso = services.tenants().create("Contoso");
        services.domains().create(contoso.id(), "contoso.com", "contoso.com", DomainType.Authoritative, false);
        services.domains().create(contoso.id(), "bücher.example", "bücher.example", DomainType.Authoritative, false); // an IDN
        services.domains().create(contoso.id(), "straße.example", "straße.example", DomainType.Authoritative, false); // and an IDN with ß
        services.mailboxes().create(contoso.id(), "Alice", "alice@contoso.com", null);
        services.mailboxes().create(contoso.id(), "Bob", "bob@contoso.com", null);
    }

    @AfterAll
    void stop() throws IOException {
        if (gateway != null) gateway.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Every test starts with no transport rules and RejectDirectSendHeaderFrom off. */
    @BeforeEach
    void reset() {
        ok("Get-TransportRule | Remove-TransportRule -Confirm:$false");
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $false");
    }

    // ---- the firewall: a protected field never reaches the mailbox in any spelling -------------------------

    @Test
    void obsoleteSpacingBeforeTheColonCannotForgeOrganizationAuthAs() throws Exception {
        deliveredAndReadAlike("X-MS-Exchange-Organization-AuthAs : Internal\r\nFrom: x@example.org\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aTabBeforeTheColonCannotForgeCrossTenantAuthAs() throws Exception {
        deliveredAndReadAlike("X-MS-Exchange-CrossTenant-AuthAs\t: Internal\r\nFrom: x@example.org\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aLineWithoutAColonBeforeAForgedAuthAsCannotForgeIt() throws Exception {
        deliveredAndReadAlike("From: x@example.org\r\ngarbage\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n"
                + "X-MS-Exchange-CrossTenant-AuthAs: Internal\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aNulInAFieldNameBeforeAForgedAuthAsCannotForgeIt() throws Exception {
        deliveredAndReadAlike("From: x@example.org\r\nName\0: v\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFirstLineStartingWithASpaceNeverContinuesTheNetworkMessageIdStamp() throws Exception {
        Delivered d = deliveredAndReadAlike(" evil\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        // the stamp's value is exactly the id of the 250, for Gatehouse and for both readers (checked above); the
        // line itself ends right after the id
        assertThat(new String(d.bytes(), StandardCharsets.ISO_8859_1))
                .contains(TenantCopy.NETWORK_MESSAGE_ID + ": " + d.id() + "\r\nAuthentication-Results: spf=");
    }

    @Test
    void aFirstLineOfATabNeverContinuesTheNetworkMessageIdStamp() throws Exception {
        deliveredAndReadAlike("\tInternal\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aUnicodeLookAlikeNameIsNoHeaderForAngusWithUtf8() throws Exception {
        // İ (U+0130) folds to i for Java's equalsIgnoreCase, which Angus's getHeader(name) uses: with allowutf8 this
        // name would be read as X-MS-Exchange-Organization-AuthAs if it stayed in the header section
        deliveredAndReadAlike("From: x@example.org\r\nX-MS-Exchange-Organİzation-AuthAs: Internal\r\nX-MS-Exchange-CrossTenant-AuthAſ: Internal\r\n"
                + "Subject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFieldNameEndingInDelCannotForgeAuthAs() throws Exception {
        deliveredAndReadAlike("From: x@example.org\r\nX-MS-Exchange-Organization-AuthAs\u007f: Internal\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void foldedProtectedFieldsAreRemovedWithTheirContinuationLines() throws Exception {
        deliveredAndReadAlike("From: x@example.org\r\nX-MS-Exchange-Organization-AuthAs:\r\n Internal\r\nX-MS-Exchange-CrossTenant-AuthAs: \r\n"
                + "\tInternal\r\nX-MS-Exchange-Organization-Network-Message-Id: evil\r\n evil\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aWhiteSpaceOnlyLineCannotSmuggleAProtectedField() throws Exception {
        // before a field, between a field and its continuation, and as the very first line
        deliveredAndReadAlike("  \r\nFrom: x@example.org\r\nSubject: s\r\n \r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n\t\r\n evil\r\n"
                + "X-B: 1\r\n\r\nbody\r\n");
    }

    @Test
    void aCommentInAFieldNameCannotForgeAuthAs() throws Exception {
        deliveredAndReadAlike("From: x@example.org\r\nX-MS-Exchange-(x)Organization-AuthAs: Internal\r\n"
                + "(c)X-MS-Exchange-CrossTenant-AuthAs: Internal\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void lowerCaseAndEopSpellingsOfProtectedFieldsAreRemoved() throws Exception {
        deliveredAndReadAlike("x-ms-exchange-organization-authas: Internal\r\nX-EOPAttributedMessage: evil\r\nx-eoptenantattributedmessage: evil\r\n"
                + "X-CrossPremisesHeadersPromoted: evil\r\nX-MS-Exchange-CrossPremises-AuthAs: Internal\r\nFrom: x@example.org\r\n\r\nbody\r\n");
    }

    // ---- the rules see every Subject and From a client shows -----------------------------------------------

    @Test
    void obsoleteSpacingBeforeSubjectCannotHideItFromASubjectRule() throws Exception {
        ok(QUARANTINE_SECRET);
        String reply = send("X-A : b\r\nSubject: secret\r\nFrom: CEO <ceo@contoso.com>\r\n\r\nbody\r\n");
        assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
        String id = queuedId(reply);
        assertThat(recipients(id)).extracting(TraceRecipient::status).containsExactly("Quarantined");
        List<Object> quarantined = ok("Get-QuarantineMessage -PolicyName Q").objects();
        assertThat(quarantined).extracting(q -> ((QuarantineMessage) q).Identity()).anySatisfy(i -> assertThat(i).startsWith(id + "\\"));
        assertThat(maildirCopy(id)).as("nothing delivered to bob's Maildir").isNull();
    }

    @Test
    void obsoleteSpacingBeforeFromCannotHideItFromAFromRule() throws Exception {
        ok(SEEN_FROM_CONTOSO);
        Delivered d = deliveredAndReadAlike("X-A : b\r\nSubject: secret\r\nFrom: CEO <ceo@contoso.com>\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().values("X-Seen")).containsExactly("yes");
        assertThat(angus(d.bytes(), false).getHeader("X-Seen")).containsExactly("yes");
        // and the rule is no constant: a From outside contoso.com doesn't fire it
        Delivered other = deliveredAndReadAlike("X-A : b\r\nSubject: secret\r\nFrom: partner@fabrikam.example\r\n\r\nbody\r\n");
        assertThat(other.gatehouse().values("X-Seen")).isEmpty();
    }

    @Test
    void aSubjectRuleSeesTheSecondSubjectAClientMayShow() throws Exception {
        ok(QUARANTINE_SECRET);
        String reply = send("Subject: hello\r\nSubject: secret\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        assertThat(recipients(queuedId(reply))).extracting(TraceRecipient::status).containsExactly("Quarantined");
    }

    @Test
    void aSubjectRuleSeesAnEncodedSubjectAsDecoded() throws Exception {
        ok(QUARANTINE_SECRET);
        String reply = send("Subject: =?utf-8?B?" + Base64.getEncoder().encodeToString("top secret".getBytes(StandardCharsets.UTF_8))
                + "?=\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        assertThat(recipients(queuedId(reply))).extracting(TraceRecipient::status).containsExactly("Quarantined");
    }

    @Test
    void aSubjectRuleSeesEveryEncodedWordAClientDecodes() throws Exception {
        ok(QUARANTINE_SECRET);
        // the last: Angus with UTF-8 headers cuts "ų" (U+0173) to the byte 's'
        for (String subject : List.of("=? =?utf-8?b?c2VjcmV0?=", "=?utf-8*en?b?c2VjcmV0?=", "=?utf-8?q?\u0173ecret?=")) {
            String reply = send("Subject: " + subject + "\r\nFrom: x@example.org\r\n\r\nbody\r\n");
            assertThat(recipients(queuedId(reply))).as(subject).extracting(TraceRecipient::status).containsExactly("Quarantined");
        }
    }

    @Test
    void aSubjectWhoseNameHasACommentIsBodyTextForTheRulesAndForClients() throws Exception {
        ok(QUARANTINE_SECRET);
        Delivered d = deliveredAndReadAlike("Subject(x): secret\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().subjects()).isEmpty();
        assertThat(angus(d.bytes(), false).getSubject()).isNull();
        // the same word in a Subject any reader shows is quarantined
        String reply = send("Subject: (x) secret\r\nFrom: x@example.org\r\n\r\nbody\r\n");
        assertThat(recipients(queuedId(reply))).extracting(TraceRecipient::status).containsExactly("Quarantined");
    }

    @Test
    void aSubjectRuleSeesWhatAClientDecodesFromBase64WithARawByte() throws Exception {
        ok(QUARANTINE_SECRET);
        byte[] head = "Subject: =?iso-8859-1?b?".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "CBzZWNyZXQ=?=\r\nFrom: x@example.org\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, content, 0, head.length);
        content[head.length] = (byte) 0xff;
        System.arraycopy(tail, 0, content, head.length + 1, tail.length);
        String reply = sendBytes(content);
        assertThat(recipients(queuedId(reply))).extracting(TraceRecipient::status).containsExactly("Quarantined");
    }

    @Test
    void aFromRuleSeesTheSecondFromField() throws Exception {
        ok(SEEN_FROM_CONTOSO);
        Delivered d = deliveredAndReadAlike("From: x@example.org\r\nFrom: ceo@contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().values("X-Seen")).containsExactly("yes");
    }

    @Test
    void aFromRuleSeesAMailboxWhoseLocalPartIsNoWord() throws Exception {
        ok(SEEN_FROM_CONTOSO);
        for (String from : List.of("CEO <ceo.@contoso.com>", "@contoso.com", ".@contoso.com", "[x]@contoso.com", "ceo@@contoso.com")) {
            Delivered d = deliveredAndReadAlike("From: " + from + "\r\nSubject: s\r\n\r\nbody\r\n");
            assertThat(d.gatehouse().values("X-Seen")).as(from).containsExactly("yes");
        }
    }

    // ---- RejectDirectSendHeaderFrom: every spelling of a claim to contoso.com is refused ----------------------

    @Test
    void headerFromInAnAcceptedDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void headerFromWithTheOutsideAddressInACommentIsRefused() throws Exception {
        refusedAsDirectSend("From: ceo@contoso.com (x@example.org)\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void headerFromWithTwoMailboxesIsRefusedWhenEitherIsInAnAcceptedDomain() throws Exception {
        refusedAsDirectSend("From: x@example.org, ceo@contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void twoFromFieldsAreRefusedWhenEitherIsInAnAcceptedDomain() throws Exception {
        refusedAsDirectSend("From: x@example.org\r\nFrom: ceo@contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: ceo@contoso.com\r\nFrom: x@example.org\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void obsoleteSpacingBeforeTheFromColonIsRefused() throws Exception {
        refusedAsDirectSend("From : CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From\t: CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aTrailingDotOnTheFromDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: ceo@contoso.com.\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: ceo@CONTOSO.COM\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void theLeadingSpaceFromLineIsBodyForGatehouseAndEveryReader() throws Exception {
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        ok(SEEN_FROM_CONTOSO);
        // as the first line of the message, and as the first line of the body
        for (String content : List.of(" From: CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n",
                "Subject: s\r\n\r\n From: CEO <ceo@contoso.com>\r\nbody\r\n")) {
            Delivered d = deliveredAndReadAlike(content);
            assertThat(d.gatehouse().headerFrom().present()).isFalse();
            assertThat(d.gatehouse().values("X-Seen")).isEmpty(); // the rules saw no From either: Gatehouse agrees with itself
            assertThat(angus(d.bytes(), false).getHeader("From")).isNull();
        }
    }

    @Test
    void aFieldNameWithACommentEndsTheHeaderSectionForGatehouseAndEveryReader() throws Exception {
        // '(' and ')' are ftext, but mime4j drops a "comment" from a name, so such a line ends the header section
        // (decision 0011): the From after it is body text for the header-From check, the rules and every client
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        ok(SEEN_FROM_CONTOSO);
        for (String content : List.of("From(c): CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n",
                "(c)From: CEO <ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n",
                "Subject: s\r\nFrom(c): CEO <ceo@contoso.com>\r\n\r\nbody\r\n")) {
            Delivered d = deliveredAndReadAlike(content);
            assertThat(d.gatehouse().headerFrom().present()).as(content).isFalse();
            assertThat(d.gatehouse().values("X-Seen")).as(content).isEmpty();
            assertThat(angus(d.bytes(), false).getHeader("From")).as(content).isNull();
            String line = content.lines().filter(l -> l.contains("(c)")).findFirst().orElseThrow();
            assertThat(new String(d.bytes(), StandardCharsets.UTF_8)).as("a blank line before it").contains("\r\n\r\n" + line + "\r\n");
        }
        // and a From field before such a line is still read and refused
        refusedAsDirectSend("From: CEO <ceo@contoso.com>\r\nX(c): y\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFromDomainSplitByWhiteSpaceOrACommentIsRefused() throws Exception {
        refusedAsDirectSend("From: CEO <ceo@cont oso.com>\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: ceo@con(x)toso.com\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void anUnclosedBracketCannotHideAMailboxInAnAcceptedDomain() throws Exception {
        refusedAsDirectSend("From: x@example.org, [ ceo@contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFromInAnInternationalizedAcceptedDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: Jörg <ceo@bücher.example>\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: ceo@xn--bcher-kva.example\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void anAcceptedDomainWithAnEszettIsTheDomainMailClientsReadNotIdna2003s() throws Exception {
        // Registries, browsers and mail clients (IDNA2008, UTS #46 non-transitional) read straße.example as
        // xn--strae-oqa.example, and show that A-label as straße.example. IDNA2003 reads it as strasse.example: a
        // gateway storing that lets a spoof of the tenant's real domain through and takes a stranger for its own.
        assertThat(services.domains().list(contoso.id())).extracting(d -> d.DomainName()).contains("xn--strae-oqa.example")
                .doesNotContain("strasse.example");
        refusedAsDirectSend("From: CEO <ceo@xn--strae-oqa.example>\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: CEO <ceo@straße.example>\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: CEO <ceo@STRASSE.example>\r\nSubject: s\r\n\r\nbody\r\n".replace("SS", "ß"));
        assertThat(send("From: CEO <ceo@strasse.example>\r\nSubject: s\r\n\r\nbody\r\n")).as("strasse.example is a stranger")
                .startsWith("250 2.0.0 OK: queued as ");
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gateway.smtpPort(), ANONYMOUS_IP)) {
            RawSmtpClient.expect(c.reply(), "220");
            RawSmtpClient.expect(c.cmd("EHLO client.example"), "250");
            RawSmtpClient.expect(c.cmd("MAIL FROM:<x@example.org>"), "250");
            assertThat(c.cmd("RCPT TO:<bob@strasse.example>")).as("not contoso's domain: no mail for it is taken").startsWith("550 5.7.64");
            assertThat(c.cmd("RCPT TO:<bob@xn--strae-oqa.example>")).as("contoso's domain, where bob has no mailbox").startsWith("550 5.4.1");
        }
    }

    @Test
    void characterAClientDoesNotShowCannotHideAnAcceptedDomain() throws Exception {
        // soft hyphen and zero width space: the DNS ignores them too; joiners and direction marks: no domain at all,
        // but the reader sees ceo@contoso.com
        for (String invisible : new String[] {"\u00AD", "\u200B", "\u200C", "\u200D", "\u200E", "\u202E", "\u2060", "\uFEFF",
                "\u3164", "\u115F", "\u1160", "\uFFA0", "\u17B4", "\u17B5"}) {
            refusedAsDirectSend("From: CEO <ceo@con" + invisible + "toso.com>\r\nSubject: s\r\n\r\nbody\r\n");
            refusedAsDirectSend("From: CEO <ceo@straße" + invisible + ".example>\r\nSubject: s\r\n\r\nbody\r\n");
        }
    }

    @Test
    void aFromInAnInternationalizedAcceptedDomainIsRefusedWhateverElseIsOnTheLine() throws Exception {
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        byte[] before = "From: ".getBytes(StandardCharsets.US_ASCII);
        byte[] after = " <ceo@bücher.example>\r\nSubject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[before.length + 1 + after.length];
        System.arraycopy(before, 0, content, 0, before.length);
        content[before.length] = (byte) 0xff;
        System.arraycopy(after, 0, content, before.length + 1, after.length);
        assertThat(sendBytes(content)).isEqualTo(DIRECT_SEND);
    }

    @Test
    void aCommentInsideTheFromDomainCannotHideAnAcceptedDomain() throws Exception {
        refusedAsDirectSend("From: ceo@contoso.com (c).evil\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: ceo@contoso.com(x).example\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aMailboxInAnAcceptedDomainInACommentIsRefused() throws Exception {
        refusedAsDirectSend("From: x@example.org (ceo@contoso.com)\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: x@example.org ((((((((ceo@contoso.com))))))))\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aMailboxInAnAcceptedDomainInDeeplyNestedCommentsIsRefused() throws Exception {
        refusedAsDirectSend("From: x@example.org (((((((((ceo@contoso.com)))))))))\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aSecondMailboxWhoseLocalPartIsNoWordCannotHideAnAcceptedDomain() throws Exception {
        refusedAsDirectSend("From: x@example.org, ceo.@contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: x@example.org, @contoso.com\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aDisplayNameThatIsAnAddressInAnAcceptedDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: \"ceo@contoso.com\" <x@example.org>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void anEncodedDisplayNameThatIsAnAddressInAnAcceptedDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: =?utf-8?q?ceo=40contoso.com?= <x@example.org>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void anEncodedAngleAddressBeforeAnOutsideMailboxIsRefused() throws Exception {
        // espoofer A15: From:=?utf-8?B?<base64 of <ceo@contoso.com>>?=,<second@attack.example>
        String word = Base64.getEncoder().encodeToString("<ceo@contoso.com>".getBytes(StandardCharsets.US_ASCII));
        refusedAsDirectSend("From:=?utf-8?B?" + word + "?=,<second@attack.example>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aRouteBeforeAMailboxInAnAcceptedDomainIsRefused() throws Exception {
        // espoofer A16
        refusedAsDirectSend("From: <@attack.example,@any.example:ceo@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aGroupWithAMailboxInAnAcceptedDomainIsRefused() throws Exception {
        refusedAsDirectSend("From: team: x@example.org, ceo@contoso.com;\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFromWithoutAnyAddressIsRefusedAsUnparseable() throws Exception {
        refusedAsDirectSend("From: CEO\r\nSubject: s\r\n\r\nbody\r\n");
        refusedAsDirectSend("From: <@contoso.com>\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aFromInAnotherDomainIsAcceptedAndReadAlike() throws Exception {
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        Delivered d = deliveredAndReadAlike("From: partner@fabrikam.example\r\nSubject: s\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().headerFrom().addresses()).containsExactly("partner@fabrikam.example");
    }

    @Test
    void aMessageWithoutAFromIsAccepted() throws Exception {
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        Delivered d = deliveredAndReadAlike("Subject: no from\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().headerFrom().present()).isFalse();
    }

    @Test
    void aFromFieldNameFoldedBeforeItsColonIsNoFromForAnyReader() throws Exception {
        // espoofer A11: "From" alone on a line ends the header section; the rest is body for Gatehouse and every reader
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        Delivered d = deliveredAndReadAlike("Subject: s\r\nFrom\r\n : <ceo@contoso.com>\r\n\r\nbody\r\n");
        assertThat(d.gatehouse().headerFrom().present()).isFalse();
    }

    @Test
    void aRefusedHeaderFromLeavesARowInTheRefusalLog() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        refusedAsDirectSend("From: CEO <ceo@contoso.com>\r\nSubject: logged\r\n\r\nbody\r\n");
        RefusalLog log = new RefusalLog(gateway.store());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !log.list(contoso.id(), before, Instant.now().plusSeconds(5), 100).isEmpty());
        RefusalLog.Refusal r = log.list(contoso.id(), before, Instant.now().plusSeconds(5), 100).getFirst();
        assertThat(r.tenantId()).isEqualTo(contoso.id());
        assertThat(r.reason()).isEqualTo(RefusalReason.REJECT_DIRECT_SEND_HEADER_FROM);
        assertThat(r.reason().label()).isEqualTo("reject_direct_send_header_from");
        assertThat(r.clientIp()).isEqualTo(ANONYMOUS_IP);
        assertThat(r.mailFrom()).isEqualTo("x@example.org");
        assertThat(r.recipient()).isEqualTo("bob@contoso.com");
        assertThat(r.reply()).startsWith("550 5.7.68");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A delivered copy: the id of the 250, the bytes in bob's Maildir, and Gatehouse's reading of them. */
    record Delivered(String id, byte[] bytes, Message gatehouse) {}

    /**
     * Sends the message (accepted), waits for bob's copy and checks the AuthAs and network message id lookups a
     * client makes by name (Angus's getHeader, with and without allowutf8; mime4j's getFields, PERMISSIVE and
     * DEFAULT), the From addresses Angus's parseHeader(getHeader("From", ",")) finds, then that every reader reads
     * the copy as Gatehouse does, with the gateway's own stamps once each ({@link ClientReaders#assertAgreesWithGatehouse}).
     */
    Delivered deliveredAndReadAlike(String content) throws Exception {
        String reply = send(content);
        assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
        String id = queuedId(reply);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> maildirCopy(id) != null);
        byte[] bytes = maildirCopy(id);
        for (boolean utf8 : new boolean[] {false, true}) {
            MimeMessage m = angus(bytes, utf8);
            assertThat(m.getHeader("X-MS-Exchange-Organization-AuthAs")).as("Angus utf8=" + utf8).containsExactly("Anonymous");
            assertThat(m.getHeader("X-MS-Exchange-CrossTenant-AuthAs")).as("Angus utf8=" + utf8).containsExactly("Anonymous");
            assertThat(m.getHeader(TenantCopy.NETWORK_MESSAGE_ID)).as("Angus utf8=" + utf8).containsExactly(id);
            String from = m.getHeader("From", ",");
            if (from != null) {
                for (InternetAddress a : InternetAddress.parseHeader(from, false)) {
                    String host = ClientReaders.hostName(a.getAddress().substring(a.getAddress().lastIndexOf('@') + 1));
                    if (host != null) assertThat(Message.parse(bytes).headerFrom().domains()).as("Angus From " + a).contains(host);
                }
            }
        }
        for (MimeConfig config : List.of(MimeConfig.PERMISSIVE, MimeConfig.DEFAULT)) {
            DefaultMessageBuilder b = new DefaultMessageBuilder();
            b.setMimeEntityConfig(config);
            var m = b.parseMessage(new ByteArrayInputStream(bytes));
            assertThat(m.getHeader().getFields("X-MS-Exchange-Organization-AuthAs")).extracting(Field::getBody).containsExactly("Anonymous");
            assertThat(m.getHeader().getFields("X-MS-Exchange-CrossTenant-AuthAs")).extracting(Field::getBody).containsExactly("Anonymous");
            assertThat(m.getHeader().getFields(TenantCopy.NETWORK_MESSAGE_ID)).extracting(Field::getBody).containsExactly(id);
        }
        ClientReaders.assertAgreesWithGatehouse(bytes, expectedProtected(id, bytes));
        return new Delivered(id, bytes, Message.parse(bytes));
    }

    void refusedAsDirectSend(String content) throws Exception {
        ok("Set-OrganizationConfig -RejectDirectSendHeaderFrom $true");
        assertThat(send(content)).as(content).isEqualTo(DIRECT_SEND);
    }

    /**
     * The gateway's own protected fields in bob's copy, in order. The sender-authentication fields depend on
     * how each case's From reads (DMARC's header.from), so their values are Gatehouse's own reading of the copy:
     * what is checked for them is that each is there exactly once, in its place, and that every mail client
     * reads the same value.
     */
    List<String> expectedProtected(String id, byte[] copy) {
        String guid = contoso.Guid();
        dev.gatehouse.mail.Message m = dev.gatehouse.mail.Message.parse(copy);
        java.util.function.Function<String, String> own = name -> name + ": " + m.first(name);
        return List.of(TenantCopy.NETWORK_MESSAGE_ID + ": " + id,
                own.apply("Authentication-Results"),
                own.apply("Received-SPF"),
                "X-EOPAttributedMessage: 0",
                "X-EOPTenantAttributedMessage: " + guid + ":0",
                "X-MS-Exchange-Organization-MessageDirectionality: Incoming",
                "X-MS-Exchange-Organization-AuthSource: " + HOST,
                "X-MS-Exchange-Organization-AuthAs: Anonymous",
                "X-MS-Exchange-CrossTenant-Id: " + guid,
                "X-MS-Exchange-CrossTenant-AuthSource: " + HOST,
                "X-MS-Exchange-CrossTenant-AuthAs: Anonymous",
                "X-MS-Exchange-CrossTenant-FromEntityHeader: Internet",
                own.apply("X-Forefront-Antispam-Report"),
                own.apply("X-MS-Exchange-Organization-SCL"),
                "X-Microsoft-Antispam: BCL:0;");
    }

    /** One transaction from the anonymous address (content as UTF-8 bytes); the reply to the end of data. */
    String send(String content) throws IOException { return sendBytes(content.getBytes(StandardCharsets.UTF_8)); }

    /** One transaction from the anonymous address with exactly these content bytes (dot-stuffed); the reply to the end of data. */
    String sendBytes(byte[] content) throws IOException {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", gateway.smtpPort(), ANONYMOUS_IP)) {
            RawSmtpClient.expect(c.reply(), "220");
            RawSmtpClient.expect(c.cmd("EHLO client.example"), "250");
            return c.sendMessage("x@example.org", List.of("bob@contoso.com"), new String(content, StandardCharsets.ISO_8859_1));
        }
    }

    static String queuedId(String reply) { return reply.substring(reply.indexOf("queued as ") + "queued as ".length()).strip(); }

    /**
     * The file in bob's Maildir (inbox or Junk Email: a message with no usable From fails composite
     * authentication and is filed as Junk) whose network message id is {@code id}, or null.
     */
    byte[] maildirCopy(String id) throws IOException {
        Path box = dir.resolve("mail").resolve(contoso.Guid()).resolve("bob@contoso.com");
        byte[] inbox = maildirCopy(box.resolve("new"), id);
        return inbox != null ? inbox : maildirCopy(box.resolve(".Junk").resolve("new"), id);
    }

    private static byte[] maildirCopy(Path neu, String id) throws IOException {
        if (!Files.isDirectory(neu)) return null;
        byte[] marker = (TenantCopy.NETWORK_MESSAGE_ID + ": " + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Path> files;
        try (Stream<Path> s = Files.list(neu)) {
            files = s.toList();
        }
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            if (indexOf(b, marker) >= 0) return b;
        }
        return null;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    List<TraceRecipient> recipients(String id) { return new TraceService(gateway.store()).recipients(contoso.id(), id); }

    static MimeMessage angus(byte[] bytes, boolean utf8) throws Exception {
        Properties p = new Properties();
        if (utf8) p.setProperty("mail.mime.allowutf8", "true");
        return new MimeMessage(Session.getInstance(p), new ByteArrayInputStream(bytes));
    }

    RunResult ok(String script) {
        RunResult r = new PipelineRunner<>(AdminCmdlets.registry(), PipelineRunner.Options.defaults().withStopOnError(true))
                .run(script, new AdminContext(new Principal.Operator("test"), contoso, services));
        assertThat(r.errors()).as(script).isEmpty();
        return r;
    }
}
