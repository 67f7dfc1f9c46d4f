// The tag=value list of RFC 6376 §3.2, the syntax of DKIM-Signature, ARC-Seal, ARC-Message-Signature and key records.
package dev.gatehouse.dkim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed tag list. Signatures and key records are hostile input, so this parser is strict where the grammar is
 * and total: it returns a list or throws {@link TagSyntaxException}, for any string, in time linear in its length.
 *
 * <pre>
 * tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 * tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 * tag-name  = ALPHA *ALNUMPUNC            ; ALNUMPUNC = ALPHA / DIGIT / "_"
 * tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
 * tval      = 1*VALCHAR                   ; VALCHAR = %x21-3A / %x3C-7E
 * </pre>
 *
 * <p>Choices where the grammar leaves room, each the reading of every implementation we know of:
 * <ul>
 * <li>White space is SP and HTAB, and CRLF when at least one of them follows (FWS); a CR or LF that is not part of
 *     such a fold is a syntax error.</li>
 * <li>An empty tag-spec ({@code a=1;;b=2}) is a syntax error, except for white space after the final semicolon
 *     ({@code a=1; }), which real signers write.</li>
 * <li>Octets above 0x7F are accepted in values (RFC 8616 lets {@code i=} carry UTF-8); the string is expected to be
 *     the field's bytes read as ISO-8859-1, so offsets are byte offsets.</li>
 * <li>Tag names are case-sensitive; a name given twice is a syntax error (§3.2: "MUST be interpreted as a
 *     verifier error").</li>
 * </ul>
 * A value keeps its inner white space (folds included) and loses the white space around it.
 */
public final class TagList {

    /**
     * One tag.
     *
     * @param name       the tag name
     * @param value      the value without the white space around it
     * @param valueStart the offset just past the {@code =} in the parsed string
     * @param specEnd    the offset of the {@code ;} that ends the tag-spec, or the string's length
     */
    public record Tag(String name, String value, int valueStart, int specEnd) {}

    private final List<Tag> tags;
    private final Map<String, Tag> byName;

    private TagList(List<Tag> tags, Map<String, Tag> byName) {
        this.tags = Collections.unmodifiableList(tags);
        this.byName = byName;
    }

    /** Parses {@code text}; never returns null. */
    public static TagList parse(String text) throws TagSyntaxException {
        List<Tag> tags = new ArrayList<>();
        Map<String, Tag> byName = new HashMap<>();
        int n = text.length();
        int pos = 0;
        while (true) {
            int start = skipWhitespace(text, pos);
            if (start == n) {
                if (tags.isEmpty() || pos == 0) throw new TagSyntaxException("empty tag list");
                break; // white space after the final ";"
            }
            Tag tag = tagSpec(text, start);
            if (byName.putIfAbsent(tag.name(), tag) != null) throw new TagSyntaxException("duplicate tag " + tag.name());
            tags.add(tag);
            if (tag.specEnd() == n) break;
            pos = tag.specEnd() + 1; // past the ";"
            if (pos == n) break;
        }
        return new TagList(tags, byName);
    }

    private static Tag tagSpec(String text, int start) throws TagSyntaxException {
        int n = text.length();
        int i = start;
        if (!alpha(text.charAt(i))) throw new TagSyntaxException("tag name must start with a letter at offset " + i);
        while (i < n && alnumpunc(text.charAt(i))) i++;
        String name = text.substring(start, i);
        i = skipWhitespace(text, i);
        if (i >= n || text.charAt(i) != '=') throw new TagSyntaxException("tag " + name + " without '='");
        int valueStart = i + 1;
        int v = skipWhitespace(text, valueStart);
        int lastVisible = v; // end (exclusive) of the value's last tval
        int j = v;
        while (j < n && text.charAt(j) != ';') {
            char c = text.charAt(j);
            if (valchar(c)) {
                j++;
                lastVisible = j;
            } else {
                int k = skipWhitespace(text, j);
                if (k == j) throw new TagSyntaxException("character 0x" + Integer.toHexString(c) + " in tag " + name);
                j = k;
            }
        }
        return new Tag(name, text.substring(v, Math.max(v, lastVisible)), valueStart, j);
    }

    /** Past SP, HTAB, and CRLF followed by SP or HTAB; stops before a CR or LF that does not fold. */
    private static int skipWhitespace(String text, int i) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\r' && i + 2 < n && text.charAt(i + 1) == '\n' && wsp(text.charAt(i + 2))) {
                i += 3;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean wsp(char c) { return c == ' ' || c == '\t'; }

    private static boolean alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    private static boolean alnumpunc(char c) { return alpha(c) || (c >= '0' && c <= '9') || c == '_'; }

    private static boolean valchar(char c) { return (c >= 0x21 && c <= 0x7e && c != ';') || (c >= 0x80 && c <= 0xff); }

    /** The tags in the order written. */
    public List<Tag> tags() { return tags; }

    /** The value of tag {@code name} (case-sensitive), or null when absent. */
    public String get(String name) {
        Tag t = byName.get(name);
        return t == null ? null : t.value();
    }

    /** The tag {@code name}, or null. */
    public Tag tag(String name) { return byName.get(name); }

    public boolean has(String name) { return byName.containsKey(name); }

    /** The value with every white space character (SP, HTAB, CR, LF) removed: base64 values (§3.5 b=, bh=; §3.6.1 p=). */
    public static String withoutWhitespace(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') b.append(c);
        }
        return b.toString();
    }
}
