// Expands the %%Token%% placeholders of ApplyHtmlDisclaimerText with the sender's details, HTML-escaped.
package dev.gatehouse.rules;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.dom.address.Mailbox;

/**
 * Exchange fills disclaimer tokens from the sender's directory object: {@code %%DisplayName%%},
 * {@code %%UserPrincipalName%%}, {@code %%FirstName%%}, {@code %%Title%%}, {@code %%Company%%} and the other
 * Active Directory attributes. Gatehouse has no such attributes, so it fills what the message says
 * about its sender — the display name and the address of the header From — and leaves every other known
 * token empty, as Exchange does for a sender without the attribute. Unknown {@code %%x%%} text stays as
 * written. Values are HTML-escaped: a hostile display name can't inject markup into the disclaimer. Line
 * breaks in the admin's text are normalised to CRLF.
 */
final class DisclaimerTokens {

    private static final Pattern TOKEN = Pattern.compile("%%([A-Za-z]+)%%");
    private static final java.util.Set<String> DIRECTORY_ONLY = java.util.Set.of("firstname", "lastname", "initials",
            "title", "company", "department", "office", "phonenumber", "mobilenumber", "faxnumber", "homephonenumber",
            "pagernumber", "street", "postofficebox", "city", "state", "zipcode", "country", "manager", "notes");

    private DisclaimerTokens() {}

    static String expand(String html, MessageFacts message) {
        // parsed as written, then its display name decoded: decoding first would let an encoded display name
        // ("=?UTF-8?Q?J=C3=B6rg_=3Cceo@contoso.com=3E?=") pass for the address
        String from = message.message().first("From");
        String displayName = "";
        String address = "";
        if (from != null) {
            try {
                var list = dev.gatehouse.mail.Text.mime4jAddressList(from);
                Mailbox m = list == null || list.flatten().isEmpty() ? null : list.flatten().getFirst();
                if (m != null) {
                    displayName = m.getName() == null ? "" : dev.gatehouse.mail.Text.decodeWords(m.getName());
                    address = m.getAddress() == null ? "" : m.getAddress();
                }
            } catch (RuntimeException e) {
                // an unparseable From leaves the tokens empty
            }
            // the address token only ever shows an address the message model reads in the From (what the header-From
            // check and the rules read): mime4j takes "=?UTF-8?Q?J=C3=B6rg_=3Cceo@contoso.com=3E?= <joerg@...>" for
            // one odd address, so then the display name is what precedes the last <...>, decoded, and the address inside
            if (!address.isEmpty() && !message.fromAddresses().contains(address.toLowerCase(Locale.ROOT))) {
                int open = from.lastIndexOf('<');
                int close = from.lastIndexOf('>');
                String inside = open >= 0 && close > open ? from.substring(open + 1, close).trim() : "";
                if (message.fromAddresses().contains(inside.toLowerCase(Locale.ROOT))) {
                    address = inside;
                    String phrase = from.substring(0, open).trim();
                    if (phrase.length() >= 2 && phrase.startsWith("\"") && phrase.endsWith("\"")) phrase = phrase.substring(1, phrase.length() - 1);
                    displayName = dev.gatehouse.mail.Text.decodeWords(phrase);
                } else {
                    address = "";
                    displayName = "";
                }
            }
        }
        Matcher mt = TOKEN.matcher(html);
        StringBuilder out = new StringBuilder();
        while (mt.find()) {
            String key = mt.group(1).toLowerCase(Locale.ROOT);
            String value = switch (key) {
                case "displayname" -> displayName;
                case "userprincipalname", "email", "emailaddress" -> address;
                default -> DIRECTORY_ONLY.contains(key) ? "" : mt.group();
            };
            mt.appendReplacement(out, Matcher.quoteReplacement(escape(value, value.equals(mt.group()))));
        }
        mt.appendTail(out);
        // every line break becomes CRLF and NUL goes: the disclaimer must not undo intake's promise that no
        // bare CR or LF is stored or forwarded
        return out.toString().replace("\0", "").replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }

    private static String escape(String s, boolean verbatim) {
        if (verbatim) return s;
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
