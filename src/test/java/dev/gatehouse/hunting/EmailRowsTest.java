// How a copy's accept-time events read in EmailEvents, and how URLs and file types are read from content.
package dev.gatehouse.hunting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.mail.MimeSummary;
import dev.gatehouse.queue.MessageTraceEvent;
import dev.gatehouse.queue.TraceEventType;

class EmailRowsTest {
    static final String GUID = "4c2ca98e-94ea-4b3a-9eb8-3b63657d4db7";

    private static MessageTraceEvent ev(TraceEventType t, String detail) {
        return new MessageTraceEvent(1, "n", "bob@contoso.com", t, detail, Instant.EPOCH);
    }

    private static MessageTraceEvent action(String action, String mode) {
        return ev(TraceEventType.RuleAction, "S:TRA=ETR|ruleId=" + GUID + "|action=" + action + "|sev=1|mode=" + mode);
    }

    @Test
    void aRuleDeleteOrRejectDropsTheCopyAndShowsTheRule() {
        EmailRows.Outcome drop = EmailRows.outcome(List.of(ev(TraceEventType.TransportRule, "Transport rule: 'x'"),
                action("DeleteMessage", "Enforce"), ev(TraceEventType.Drop, "deleted")), 7L);
        assertThat(drop).isEqualTo(new EmailRows.Outcome("Blocked", "Dropped", "Delete message", EmailRows.ETR, GUID, "Block",
                "Exchange transport rule"));
        EmailRows.Outcome reject = EmailRows.outcome(List.of(action("RejectMessage", "Enforce"), ev(TraceEventType.Fail, "Refused")), 7L);
        assertThat(reject.deliveryLocation()).isEqualTo("Dropped");
        assertThat(reject.emailAction()).isEqualTo("Delete message");
    }

    @Test
    void theStrongestEnforcedActionIsShownAndTestModeRulesActOnNothing() {
        EmailRows.Outcome o = EmailRows.outcome(List.of(action("SetHeader", "Enforce"), action("PrependSubject", "Enforce"),
                action("Quarantine", "Test without Policy Tips")), null);
        assertThat(o).isEqualTo(new EmailRows.Outcome("Delivered", "On-premises/External", "Modify subject", EmailRows.ETR, GUID, "", ""));
        EmailRows.Outcome redirected = EmailRows.outcome(List.of(action("RedirectMessage", "Enforce"),
                ev(TraceEventType.Redirect, "Message redirected to x@contoso.com")), 3L);
        assertThat(redirected.deliveryAction()).isEqualTo("Blocked");
        assertThat(redirected.emailAction()).isEqualTo("Redirect message");
        assertThat(EmailRows.outcome(List.of(), 3L)).isEqualTo(new EmailRows.Outcome("Delivered", "Inbox/Folder", "No action taken", "", "", "", ""));
    }

    @Test
    void senderFieldsComeFromTheHeaderFromAsDecoded() {
        assertThat(EmailRows.sender("\"Doe, Jane\" <Jane@Contoso.com>")).isEqualTo(new EmailRows.Sender("Jane@Contoso.com", "Doe, Jane"));
        assertThat(EmailRows.sender("jane@contoso.com")).isEqualTo(new EmailRows.Sender("jane@contoso.com", ""));
        assertThat(EmailRows.sender(null)).isEqualTo(new EmailRows.Sender("", ""));
    }

    @Test
    void urlsLoseSentencePunctuationKeepEntitiesDecodedAndCountOnce() {
        var found = UrlFinder.find(List.of(new MimeSummary.TextPart("text/plain", "Go to https://a.example/x?y=1, or (https://b.example/)."),
                new MimeSummary.TextPart("text/html", "<a href='HTTPS://C.Example:8443/p?a=1&amp;b=2'>x</a> https://a.example/x?y=1"
                        + " <a href=\"mailto:x@y\">m</a>")), "Win at http://d.example");
        assertThat(found).containsExactly(java.util.Map.entry("https://a.example/x?y=1", "Body"), java.util.Map.entry("https://b.example/", "Body"),
                java.util.Map.entry("HTTPS://C.Example:8443/p?a=1&b=2", "Body"), java.util.Map.entry("http://d.example", "Subject"));
        assertThat(UrlFinder.domain("HTTPS://user@C.Example.:8443/p")).isEqualTo("c.example");
        assertThat(UrlFinder.domain("http://[2001:db8::1]:80/")).isEqualTo("2001:db8::1");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 600; i++) many.append("https://h").append(i).append(".example/ ");
        assertThat(UrlFinder.find(List.of(new MimeSummary.TextPart("text/plain", many.toString())), null)).hasSize(UrlFinder.MAX_URLS);
    }

    @Test
    void fileTypeIsTheExtensionElseTheContentTypes() {
        assertThat(ContentFacts.fileType("Report.PDF", "application/octet-stream")).isEqualTo("pdf");
        assertThat(ContentFacts.fileType("", "image/png")).isEqualTo("png");
        assertThat(ContentFacts.fileType("noext", "application/x-unknown")).isEqualTo("");
    }
}
