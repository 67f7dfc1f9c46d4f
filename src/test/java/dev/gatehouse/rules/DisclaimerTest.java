// ApplyHtmlDisclaimer*: where the text goes in html, plain and alternative mail, and the Wrap/Ignore/Reject fallbacks.
package dev.gatehouse.rules;

import static dev.gatehouse.rules.RuleTestKit.edited;
import static dev.gatehouse.rules.RuleTestKit.evaluate;
import static dev.gatehouse.rules.RuleTestKit.facts;
import static dev.gatehouse.rules.RuleTestKit.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.mail.Message;
import dev.gatehouse.mail.MimeSummary;

class DisclaimerTest {
    static final String BOB = "bob@contoso.com";
    static final String NOTICE = "<p>EXTERNAL: think before you click</p>";

    static final String HTML = """
            From: "Joe" <joe@partner.example>
            Subject: hi
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            <html><body class="x"><p>Hello</p></body></html>
            """;

    static final String PLAIN = """
            From: joe@partner.example
            Subject: hi
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Hello Bob
            """;

    static final String ALTERNATIVE = """
            From: joe@partner.example
            Subject: hi
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: multipart/alternative; boundary=a

            --a
            Content-Type: text/plain; charset=utf-8

            Hello plain
            --a
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            PGh0bWw+PGJvZHk+PHA+SGVsbG8gaHRtbDwvcD48L2JvZHk+PC9odG1sPg==
            --a--
            --m
            Content-Type: text/plain; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"

            attached notes
            --m--
            """;

    static final String SIGNED = """
            From: joe@partner.example
            Subject: signed
            MIME-Version: 1.0
            Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary=s

            --s
            Content-Type: text/plain

            signed text
            --s
            Content-Type: application/pkcs7-signature; name=smime.p7s

            MIIB
            --s--
            """;

    private static RuleVerdict.Outcome disclaim(String mail, String location, String fallback) {
        RuleTestKit.R r = RuleTestKit.rule("Disclaimer").p("ApplyHtmlDisclaimerText", NOTICE);
        if (location != null) r.p("ApplyHtmlDisclaimerLocation", location);
        if (fallback != null) r.p("ApplyHtmlDisclaimerFallbackAction", fallback);
        return evaluate(r.compile(), facts(mail), BOB).outcomes().getFirst();
    }

    private static String out(String mail, String location, String fallback) {
        return edited(msg(mail), disclaim(mail, location, fallback));
    }

    /** The body text parts of the delivered copy, decoded. */
    private static List<String> texts(String delivered) {
        return Message.parse(delivered.getBytes(StandardCharsets.UTF_8)).mime().texts().stream().map(MimeSummary.TextPart::text).toList();
    }

    @Test
    void appendGoesBeforeTheClosingBodyTagAndPrependAfterTheOpeningOne() {
        assertThat(texts(out(HTML, null, null))).singleElement().asString()
                .contains("<body class=\"x\"><p>Hello</p>" + NOTICE + "</body></html>");
        assertThat(texts(out(HTML, "Prepend", null))).singleElement().asString()
                .contains("<body class=\"x\">" + NOTICE + "<p>Hello</p></body>");
    }

    @Test
    void htmlWithoutBodyTagsGetsTheDisclaimerAtTheEndOrStart() {
        String fragment = HTML.replace("<html><body class=\"x\"><p>Hello</p></body></html>", "<p>Hello</p>");
        assertThat(texts(out(fragment, "Append", null)).getFirst().strip()).isEqualTo("<p>Hello</p>\r\n" + NOTICE);
        assertThat(texts(out(fragment, "Prepend", null)).getFirst()).startsWith(NOTICE + "<p>Hello</p>");
    }

    @Test
    void plainTextGetsTheDisclaimerWithoutTagsAndWithEntitiesDecoded() {
        String mail = PLAIN;
        RuleTestKit.R r = RuleTestKit.rule("D").p("ApplyHtmlDisclaimerText", "<div><b>Caution</b> &amp; care &lt;external&gt;</div>");
        String appended = edited(msg(mail), evaluate(r.compile(), facts(mail), BOB).outcomes().getFirst());
        assertThat(texts(appended).getFirst()).startsWith("Hello Bob").endsWith("\r\n\r\nCaution & care <external>");
        r.p("ApplyHtmlDisclaimerLocation", "Prepend");
        String prepended = edited(msg(mail), evaluate(r.compile(), facts(mail), BOB).outcomes().getFirst());
        assertThat(texts(prepended).getFirst()).startsWith("Caution & care <external>\r\n\r\nHello Bob");
    }

    @Test
    void everyBodyPartOfAnAlternativeMessageGetsItButAttachmentsDoNot() {
        String delivered = out(ALTERNATIVE, null, null);
        MimeSummary s = Message.parse(delivered.getBytes(StandardCharsets.UTF_8)).mime();
        assertThat(s.texts()).extracting(MimeSummary.TextPart::mimeType).containsExactly("text/plain", "text/html");
        assertThat(s.texts().get(0).text()).contains("Hello plain").contains("EXTERNAL: think before you click").doesNotContain("<p>");
        assertThat(s.texts().get(1).text()).contains("<p>Hello html</p>" + NOTICE + "</body>");
        assertThat(s.attachments()).singleElement().satisfies(a -> assertThat(a.fileName()).isEqualTo("notes.txt"));
        assertThat(delivered).contains("attached notes").doesNotContain("attached notes\r\n\r\nEXTERNAL");
        // the headers outside the body are kept
        assertThat(delivered).startsWith("From: joe@partner.example\r\nSubject: hi\r\n");
    }

    @Test
    void aPartsCharsetIsKeptWhenItIsReEncoded() {
        String latin1 = "From: joe@partner.example\r\nSubject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe\r\n";
        Message m = Message.parse(latin1.getBytes(StandardCharsets.ISO_8859_1));
        RuleTestKit.R r = RuleTestKit.rule("D").p("ApplyHtmlDisclaimerText", "<p>Vertraulich: \u00e4\u00f6\u00fc</p>");
        RuleVerdict.Outcome o = RuleEvaluator.evaluate(List.of(r.compile()), 1, new MessageFacts(m, "joe@partner.example", null),
                RuleTestKit.rcpts(BOB), RuleTestKit.ORG, java.time.Instant.now(), Deadline.none()).outcomes().getFirst();
        byte[] out = ContentEditor.apply(m, o.edits());
        assertThat(Message.parse(out).mime().texts()).singleElement().satisfies(t ->
                assertThat(t.text()).contains("Gr\u00fc\u00dfe").contains("Vertraulich: \u00e4\u00f6\u00fc"));
    }

    @Test
    void signedMailIsWrappedByDefaultWithTheOriginalAttachedUnchanged() {
        RuleVerdict.Outcome o = disclaim(SIGNED, null, null);
        assertThat(o.edits()).singleElement().isInstanceOfSatisfying(HeaderEdit.Disclaimer.class, d -> assertThat(d.fallback()).isEqualTo("Wrap"));
        String delivered = edited(msg(SIGNED), o);
        Message m = Message.parse(delivered.getBytes(StandardCharsets.UTF_8));
        assertThat(m.first("Content-Type")).startsWith("multipart/mixed;");
        assertThat(m.count("MIME-Version")).isOne();
        assertThat(m.first("Subject")).isEqualTo("signed");
        assertThat(m.mime().texts()).first().satisfies(t -> assertThat(t.text()).contains(NOTICE));
        assertThat(m.mime().attachments()).first().satisfies(a -> {
            assertThat(a.mimeType()).isEqualTo("message/rfc822");
            assertThat(a.fileName()).isEqualTo("original.eml");
        });
        // the signature still verifies: the signed original is attached byte for byte
        assertThat(delivered).contains(new String(msg(SIGNED).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void ignoreLeavesMailItCantEditUntouched() {
        RuleVerdict.Outcome o = disclaim(SIGNED, null, "Ignore");
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(o.edits()).isEmpty();
    }

    @Test
    void rejectRefusesMailItCantEditWithExchangesDefaultReply() {
        RuleVerdict.Outcome o = disclaim(SIGNED, null, "Reject");
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
        assertThat(o.rejectStatus()).isEqualTo("5.7.1");
        assertThat(o.rejectText()).isEqualTo("Delivery not authorized, message refused");
        assertThat(o.ruleName()).isEqualTo("Disclaimer");
        // the fallback only applies where the disclaimer can't go in
        assertThat(disclaim(HTML, null, "Reject").disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
    }

    @Test
    void encryptedMailAndMailWithoutATextPartGetTheFallback() {
        String encrypted = "From: joe@partner.example\nSubject: e\nMIME-Version: 1.0\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIIB\n";
        assertThat(disclaim(encrypted, null, "Reject").disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
        String pdfOnly = "From: joe@partner.example\nSubject: p\nMIME-Version: 1.0\nContent-Type: application/pdf; name=a.pdf\n\n%PDF\n";
        assertThat(disclaim(pdfOnly, null, "Reject").disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
        String onlyAttachedText = "From: joe@partner.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: text/plain\n"
                + "Content-Disposition: attachment; filename=a.txt\n\ntext\n";
        assertThat(disclaim(onlyAttachedText, null, "Reject").disposition()).isEqualTo(RuleVerdict.Disposition.Reject);
        String wrapped = edited(msg(pdfOnly), disclaim(pdfOnly, null, "Wrap"));
        assertThat(wrapped).contains("message/rfc822").contains(NOTICE);
    }

    @Test
    void aMessageWithoutContentTypeIsPlainTextAndGetsTheDisclaimerInserted() {
        String bare = "From: joe@partner.example\nSubject: bare\n\nHello\n";
        RuleVerdict.Outcome o = disclaim(bare, null, "Reject");
        assertThat(o.disposition()).isEqualTo(RuleVerdict.Disposition.Deliver);
        assertThat(texts(edited(msg(bare), o)).getFirst()).contains("Hello").contains("EXTERNAL: think before you click");
    }

    @Test
    void theSendersTokensAreFilledBeforeInsertion() {
        RuleTestKit.R r = RuleTestKit.rule("D").p("ApplyHtmlDisclaimerText", "<p>From %%DisplayName%% &lt;%%Email%%&gt;</p>");
        RuleVerdict.Outcome o = evaluate(r.compile(), facts(HTML), BOB).outcomes().getFirst();
        assertThat(o.edits()).singleElement().isInstanceOfSatisfying(HeaderEdit.Disclaimer.class,
                d -> assertThat(d.html()).isEqualTo("<p>From Joe &lt;joe@partner.example&gt;</p>"));
    }

    @Test
    void disclaimerSettingsAreCheckedWhenTheRuleIsSaved() {
        assertThatThrownBy(() -> RuleTestKit.rule("D", "ApplyHtmlDisclaimerLocation", "Prepend", "Quarantine", true))
                .isInstanceOf(ValidationException.class)
                .hasMessage("-ApplyHtmlDisclaimerLocation and -ApplyHtmlDisclaimerFallbackAction need -ApplyHtmlDisclaimerText");
        assertThatThrownBy(() -> RuleTestKit.rule("D", "ApplyHtmlDisclaimerFallbackAction", "Reject", "Quarantine", true))
                .isInstanceOf(ValidationException.class).hasMessageContaining("need -ApplyHtmlDisclaimerText");
        assertThatThrownBy(() -> RuleTestKit.rule("D", "ApplyHtmlDisclaimerText", "x".repeat(5001)))
                .isInstanceOf(ValidationException.class).hasMessageEndingWith("it can be at most 5000 characters long");
        RuleTestKit.rule("D", "ApplyHtmlDisclaimerText", "x".repeat(5000));
    }

    @Test
    void twoDisclaimerRulesAddBothTextsInPriorityOrder() {
        List<CompiledRule> rules = List.of(RuleTestKit.rule("One", "ApplyHtmlDisclaimerText", "<p>ONE</p>"),
                RuleTestKit.rule("Two", "ApplyHtmlDisclaimerText", "<p>TWO</p>"));
        RuleVerdict.Outcome o = evaluate(rules, facts(HTML), BOB).outcomes().getFirst();
        assertThat(texts(edited(msg(HTML), o)).getFirst()).contains("<p>Hello</p><p>ONE</p><p>TWO</p></body>");
    }
}
