// The ARC sets of one message, gathered by instance (RFC 8617 §4.2, §5.2 steps 1 to 3).
package dev.gatehouse.arc;

import dev.gatehouse.dkim.TagList;
import dev.gatehouse.dkim.TagSyntaxException;
import dev.gatehouse.mail.HeaderField;
import dev.gatehouse.mail.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal fields sorted into their sets by {@code i=},
 * wherever they stand in the header section. Gathering fails (with the reason the chain fails) on an instance
 * outside 1..50, a field whose instance cannot be read, or a duplicate; so at most 150 ARC fields are ever kept,
 * and a flood of them ends at the first repeat.
 */
final class ArcSets {
    private final HeaderField[] aar = new HeaderField[ArcVerifier.MAX_INSTANCES + 1];
    private final HeaderField[] ams = new HeaderField[ArcVerifier.MAX_INSTANCES + 1];
    private final HeaderField[] seal = new HeaderField[ArcVerifier.MAX_INSTANCES + 1];
    private final TagList[] sealTags = new TagList[ArcVerifier.MAX_INSTANCES + 1];
    private int highest;

    private ArcSets() {}

    /** ARC fields of one message, all instances together, at most this many bytes (real chains: a few KB per hop). */
    static final int MAX_ARC_BYTES = 64 * 1024;

    /** The sets of {@code m}, or null when it has no ARC field at all. */
    static ArcSets collect(Message m) throws ArcVerifier.Broken {
        ArcSets sets = new ArcSets();
        boolean any = false;
        long bytes = 0;
        for (HeaderField f : m.fields()) {
            boolean isAar = f.is("ARC-Authentication-Results");
            boolean isAms = f.is("ARC-Message-Signature");
            boolean isSeal = f.is("ARC-Seal");
            if (!isAar && !isAms && !isSeal) continue;
            any = true;
            // each seal hashes every ARC field below it again: bound the bytes, not only the instances (50), before
            // any key is fetched, or a sender signing its own padded chain costs a quadratic amount of hashing
            bytes += f.raw().length;
            if (bytes > MAX_ARC_BYTES) throw new ArcVerifier.Broken(0, "ARC header fields larger than " + MAX_ARC_BYTES / 1024 + " KB");
            if (isAar) sets.put(sets.aar, aarInstance(f), f, "ARC-Authentication-Results");
            else if (isAms) sets.put(sets.ams, signatureInstance(f, "ARC-Message-Signature").instance, f, "ARC-Message-Signature");
            else {
                Parsed p = signatureInstance(f, "ARC-Seal");
                sets.put(sets.seal, p.instance, f, "ARC-Seal");
                sets.sealTags[p.instance] = p.tags;
            }
        }
        return any ? sets : null;
    }

    private void put(HeaderField[] slot, int instance, HeaderField f, String name) throws ArcVerifier.Broken {
        if (slot[instance] != null) throw new ArcVerifier.Broken(0, "duplicate " + name + " for instance " + instance);
        slot[instance] = f;
        highest = Math.max(highest, instance);
    }

    private record Parsed(int instance, TagList tags) {}

    private static Parsed signatureInstance(HeaderField f, String name) throws ArcVerifier.Broken {
        TagList tags;
        try {
            tags = ArcVerifier.tags(f);
        } catch (TagSyntaxException e) {
            throw new ArcVerifier.Broken(0, "malformed " + name);
        }
        String i = tags.get("i");
        if (i == null) throw new ArcVerifier.Broken(0, name + " without an instance");
        return new Parsed(instance(i, name), tags);
    }

    /** The AAR value starts {@code i=N;} (RFC 8617 §4.1.1), white space allowed around each part. */
    private static int aarInstance(HeaderField f) throws ArcVerifier.Broken {
        String v = ArcVerifier.valueText(f);
        int semicolon = v.indexOf(';');
        String head = TagList.withoutWhitespace(semicolon < 0 ? v : v.substring(0, semicolon));
        if (semicolon < 0 || !head.startsWith("i=")) throw new ArcVerifier.Broken(0, "ARC-Authentication-Results without an instance");
        return instance(head.substring(2), "ARC-Authentication-Results");
    }

    private static int instance(String digits, String name) throws ArcVerifier.Broken {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ArcVerifier.Broken(0, name + " with an unreadable instance");
        }
        int i = Integer.parseInt(digits);
        if (i < 1 || i > ArcVerifier.MAX_INSTANCES) throw new ArcVerifier.Broken(0, name + " instance " + i + " is outside 1 to " + ArcVerifier.MAX_INSTANCES);
        return i;
    }

    int instances() { return highest; }

    /** §5.2 steps 2 and 3: every set complete, the newest not cv=fail, cv=none at i=1 and cv=pass above. */
    void checkStructure() throws ArcVerifier.Broken {
        for (int i = 1; i <= highest; i++) {
            if (aar[i] == null || ams[i] == null || seal[i] == null) {
                String missing = aar[i] == null ? "ARC-Authentication-Results" : ams[i] == null ? "ARC-Message-Signature" : "ARC-Seal";
                throw new ArcVerifier.Broken(highest, "ARC set " + i + " has no " + missing);
            }
        }
        if ("fail".equalsIgnoreCase(cv(highest))) throw new ArcVerifier.Broken(highest, "the newest ARC-Seal says the chain failed");
        for (int i = 1; i <= highest; i++) {
            String cv = cv(i);
            String expected = i == 1 ? "none" : "pass";
            if (!expected.equalsIgnoreCase(cv)) {
                throw new ArcVerifier.Broken(highest, "ARC-Seal " + i + " has chain status " + printable(cv) + ", not " + expected);
            }
        }
    }

    private String cv(int i) {
        String cv = sealTags[i].get("cv");
        return cv == null ? "" : cv;
    }

    /** The letters and digits of a hostile cv= value, at most 20, or "missing". */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 20; i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) b.append(c);
        }
        return b.isEmpty() ? "missing" : b.toString();
    }

    HeaderField ams(int i) { return ams[i]; }

    HeaderField seal(int i) { return seal[i]; }

    TagList sealTags(int i) { return sealTags[i]; }

    /** What the ARC-Seal of instance {@code i} signs before itself: AAR, AMS, AS of each lower instance, then its AAR and AMS. */
    List<HeaderField> sealedBefore(int i) {
        List<HeaderField> out = new ArrayList<>(3 * i);
        for (int k = 1; k <= i; k++) {
            out.add(aar[k]);
            out.add(ams[k]);
            if (k < i) out.add(seal[k]);
        }
        return out;
    }

    /** The AAR of i=1 without its {@code i=1;} prefix: what the first ARC participant saw. */
    String firstHopResults() {
        String v = aar[1].value();
        int semicolon = v.indexOf(';');
        return semicolon < 0 ? "" : v.substring(semicolon + 1).strip();
    }
}
