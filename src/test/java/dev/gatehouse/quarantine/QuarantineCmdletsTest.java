// Quarantine cmdlets against real quarantined mail: filters, paging, preview, release (idempotent, scoped), delete, export, purge, audit.
package dev.gatehouse.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.rules.QuarantineFixture;
import dev.gatehouse.store.TestDatabase;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class QuarantineCmdletsTest {
    @Parameter TestDatabase.Kind kind;
    TestDatabase db;
    QuarantineFixture g;

    @BeforeEach void start() throws IOException {
        db = new TestDatabase(kind);
        g = new QuarantineFixture(db.url());
        g.ok(g.contoso(), "New-TransportRule -Name Hold -SubjectContainsWords hold -Quarantine $true");
    }

    @AfterEach void stop() throws IOException {
        g.close();
        db.close();
    }

    private String quarantine(String subject, String body) throws IOException {
        String reply = g.send("x@partner.example", List.of("bob@contoso.com"), "From: x@partner.example\r\nTo: bob@contoso.com\r\nSubject: "
                + subject + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/html\r\n\r\n<p>"
                + body + "</p><script>alert(1)</script>\r\n--b1\r\nContent-Type: application/octet-stream; name=\"run.exe\"\r\n"
                + "Content-Disposition: attachment; filename=\"run.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b1--\r\n");
        assertThat(reply).startsWith("250");
        return ((QuarantineMessage) g.ok(g.contoso(), "Get-QuarantineMessage -Subject '" + subject + "'").objects().getFirst()).Identity();
    }

    @Test
    void listsWithFiltersAndPages() throws IOException {
        for (int i = 0; i < 5; i++) quarantine("hold " + i, "b");
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -PageSize 2 -Page 1").objects()).hasSize(2);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -PageSize 2 -Page 3").objects()).hasSize(1);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -RecipientAddress BOB@contoso.com -PolicyTypes ExchangeTransportRule").objects()).hasSize(5);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -SenderAddress nobody@x.example").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -ReleaseStatus Released").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -QuarantineTypes Spam").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -StartExpiresDate " + Instant.now().plus(Duration.ofDays(29)) + " -EndExpiresDate "
                + Instant.now().plus(Duration.ofDays(31))).objects()).hasSize(5);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -Domain CONTOSO.com").objects()).hasSize(5);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -Domain fabrikam.com, other.example").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -Reported $false").objects()).hasSize(5);
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -Reported $true").objects()).isEmpty();
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage -MyItems").objects()).isEmpty();
    }

    @Test
    void previewShowsHeadersTextAndAttachmentNamesWithoutRunningAnything() throws IOException {
        String id = quarantine("hold preview", "Quarterly numbers");
        QuarantineService.Preview p = (QuarantineService.Preview) g.ok(g.contoso(), "Preview-QuarantineMessage -Identity '" + id + "'").objects().getFirst();
        assertThat(p.Headers()).contains("Subject: hold preview");
        assertThat(p.Body()).contains("Quarterly numbers").doesNotContain("<script>").doesNotContain("alert");
        assertThat(p.Attachments()).containsExactly("run.exe (application/octet-stream, 12 bytes)");
    }

    @Test
    void releaseDeliversOnceStampedAndIsScopedToTheTenant() throws IOException {
        String id = quarantine("hold release", "x");
        // outside the tenant: refused; another tenant can't see the item
        assertThat(g.run(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -User carol@fabrikam.com").errors().getFirst().message())
                .contains("carol@fabrikam.com").contains("only to recipients of your organization");
        assertThat(g.run(g.fabrikam(), "Get-QuarantineMessage -Identity '" + id + "'").errors().getFirst().message()).contains("couldn't be found");
        assertThat(g.run(g.fabrikam(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll").succeeded()).isFalse();
        assertThat(g.run(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll -User alice@contoso.com").succeeded()).isFalse();

        RunResult first = g.ok(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll");
        assertThat(((QuarantineService.ReleaseResult) first.objects().getFirst()).ReleasedTo()).containsExactly("bob@contoso.com");
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso(), "bob@contoso.com").size() == 1);
        String delivered = g.delivered(g.contoso(), "bob@contoso.com").getFirst();
        assertThat(delivered).startsWith("X-Forefront-Antispam-Report: SFV:SKQ;\r\nX-MS-Exchange-Organization-Quarantine-Released: " + id);
        QuarantineMessage m = (QuarantineMessage) g.ok(g.contoso(), "Get-QuarantineMessage -Identity '" + id + "'").objects().getFirst();
        assertThat(m.ReleaseStatus()).isEqualTo("RELEASED");
        assertThat(m.ReleasedUser()).containsExactly("bob@contoso.com");

        // idempotent: a second release skips bob; -Force re-releases; -User adds alice
        RunResult again = g.ok(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll");
        assertThat(((QuarantineService.ReleaseResult) again.objects().getFirst()).ReleasedTo()).isEmpty();
        g.ok(g.contoso(), "Release-QuarantineMessage -Identities '" + id + "' -User alice@contoso.com");
        g.ok(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll -Force");
        await().atMost(Duration.ofSeconds(10)).until(() -> g.delivered(g.contoso(), "bob@contoso.com").size() == 2
                && g.delivered(g.contoso(), "alice@contoso.com").size() == 1);
        // the Hold rule is not re-run on release (the subject still matches it)
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage").objects()).hasSize(1);
        assertThat(new QuarantineService(g.store()).audit(g.contoso().id())).extracting(QuarantineService.AuditRecord::Action)
                .containsExactly("Release", "Release", "Release", "Release");
        assertThat(new QuarantineService(g.store()).audit(g.contoso().id())).allSatisfy(a -> assertThat(a.Actor()).isEqualTo("admin@ops"));
    }

    @Test
    void exportReturnsTheOriginalBytesAndDeleteRemovesTheCopyBothAudited() throws IOException {
        String id = quarantine("hold export", "x");
        QuarantineService.Export e = (QuarantineService.Export) g.ok(g.contoso(), "Export-QuarantineMessage -Identity '" + id + "' -ReasonForExport review")
                .objects().getFirst();
        String eml = new String(Base64.getDecoder().decode(e.Eml()), StandardCharsets.UTF_8);
        assertThat(eml).contains("Subject: hold export").contains("X-MS-Exchange-Organization-AuthAs: Anonymous").contains("TVqQAAMAAAAEAAAA");
        // -CompressOutput: a zip with GUID1/GUID2.eml holding the same bytes
        QuarantineService.Export z = (QuarantineService.Export) g.ok(g.contoso(), "Export-QuarantineMessage -Identity '" + id + "' -CompressOutput")
                .objects().getFirst();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(z.Eml())))) {
            var entry = zip.getNextEntry();
            assertThat(entry.getName()).isEqualTo(id.replace('\\', '/') + ".eml");
            assertThat(zip.readAllBytes()).isEqualTo(Base64.getDecoder().decode(e.Eml()));
            assertThat(zip.getNextEntry()).isNull();
        }
        g.ok(g.contoso(), "Delete-QuarantineMessage -Identity '" + id + "'");
        assertThat(g.ok(g.contoso(), "Get-QuarantineMessage").objects()).isEmpty();
        assertThat(g.run(g.contoso(), "Export-QuarantineMessage -Identity '" + id + "'").succeeded()).isFalse();
        assertThat(new QuarantineService(g.store()).audit(g.contoso().id())).extracting(QuarantineService.AuditRecord::Action)
                .containsExactly("Export", "Export", "Delete");
    }

    @Test
    void expiredCopiesArePurgedAndCantBeRecovered() throws IOException {
        String id = quarantine("hold purge", "x");
        QuarantineService s = new QuarantineService(g.store());
        assertThat(s.purgeExpired(Instant.now().plus(Duration.ofDays(29)))).isZero();
        assertThat(s.purgeExpired(Instant.now().plus(Duration.ofDays(31)))).isEqualTo(1);
        assertThat(g.run(g.contoso(), "Get-QuarantineMessage -Identity '" + id + "'").succeeded()).isFalse();
        assertThat(g.run(g.contoso(), "Release-QuarantineMessage -Identity '" + id + "' -ReleaseToAll").succeeded()).isFalse();
        assertThat(s.audit(g.contoso().id())).extracting(QuarantineService.AuditRecord::Action).containsExactly("Purge");
    }
}
