// Finds the http and https URLs of a message's subject and body text, as EmailUrlInfo lists them.
package dev.gatehouse.hunting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.mail.MimeSummary;

/**
 * An HTML part gives the {@code href} and {@code src} attribute values (entities decoded) and the URLs written in
 * its text (tags removed, entities decoded); a plain text part gives the URLs written in it. A URL written in
 * text ends at white space, a quote or angle bracket, and loses trailing punctuation ({@code .,;:!?)}) that
 * ends the sentence rather than the URL. Each URL counts once per message, at its first place ({@code Body}
 * before {@code Subject}, as the message is read), and at most {@link #MAX_URLS} are kept, each at most
 * {@link #MAX_LENGTH} characters: a message can't make the feed hold an unbounded list.
 */
final class UrlFinder {
    private UrlFinder() {}

    static final int MAX_URLS = 500;
    static final int MAX_LENGTH = 2048;

    private static final Pattern ATTRIBUTE = Pattern.compile("(?i)(?<![\\w-])(?:href|src)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))");
    private static final Pattern WRITTEN = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'`{}|\\\\^\\[\\]]+");
    private static final Pattern TAG = Pattern.compile("(?s)<!--.*?-->|<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);");

    /** Where each URL was first found, in the order found: {@code Body} or {@code Subject}. */
    static Map<String, String> find(List<MimeSummary.TextPart> texts, String subject) {
        Map<String, String> out = new LinkedHashMap<>();
        for (MimeSummary.TextPart t : texts) {
            if (t.html()) {
                Matcher a = ATTRIBUTE.matcher(t.text());
                while (a.find()) {
                    String v = a.group(1) != null ? a.group(1) : a.group(2) != null ? a.group(2) : a.group(3);
                    v = decodeEntities(v).strip();
                    if (isWebUrl(v)) add(out, v, "Body");
                }
                written(out, decodeEntities(TAG.matcher(t.text()).replaceAll(" ")), "Body");
            } else {
                written(out, t.text(), "Body");
            }
        }
        if (subject != null) written(out, subject, "Subject");
        return out;
    }

    /** The host of a URL, lower case, without user info, port or trailing dot; "" when there is none. */
    static String domain(String url) {
        int start = url.indexOf("://");
        if (start < 0) return "";
        start += 3;
        int end = start;
        while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) end++;
        String authority = url.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
        }
        while (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        return host.toLowerCase(Locale.ROOT);
    }

    private static void written(Map<String, String> out, String text, String location) {
        if (!text.contains("://")) return; // every match has it: skip the scan (most text, where \b is tried at each character)
        Matcher m = WRITTEN.matcher(text);
        while (m.find()) {
            String u = m.group();
            int end = u.length();
            while (end > 0 && ".,;:!?)".indexOf(u.charAt(end - 1)) >= 0) end--;
            add(out, u.substring(0, end), location);
        }
    }

    private static void add(Map<String, String> out, String url, String location) {
        if (out.size() >= MAX_URLS || url.length() > MAX_LENGTH || domain(url).isEmpty()) return;
        out.putIfAbsent(url, location);
    }

    private static boolean isWebUrl(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) return s;
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                default -> {
                    int cp = e.startsWith("#x") || e.startsWith("#X") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                    yield Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
                }
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
