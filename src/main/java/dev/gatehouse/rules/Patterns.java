// Exchange's pattern matching for the *MatchesPatterns conditions: .NET-style regular expressions.
package dev.gatehouse.rules;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Spec §5.2: patterns are .NET regular expressions, not case-sensitive, matching anywhere in the value
 * unless anchored. They are translated to {@link java.util.regex} once, when the rule is saved (so a
 * pattern that does not compile is refused with the parameter named) and again when the rule set is
 * compiled. The translation covers the .NET constructs Java spells differently:
 * <ul>
 *   <li>character-class subtraction {@code [a-z-[aeiou]]} becomes {@code [a-z&&[^aeiou]]};</li>
 *   <li>Unicode blocks {@code \p{IsGreek}} become {@code \p{InGreek}};</li>
 *   <li>the inline option {@code n} (explicit capture), which Java lacks, is dropped.</li>
 * </ul>
 * Matching runs on a {@link Deadline} char sequence so a catastrophic pattern ends in a rule error
 * (handled by RuleErrorAction) instead of a stuck SMTP session.
 */
public final class Patterns {
    private final Pattern[] patterns;

    private Patterns(List<String> sources) {
        this.patterns = sources.stream().map(Patterns::compile).toArray(Pattern[]::new);
    }

    public static Patterns of(List<String> sources) { return new Patterns(sources); }

    /** Compiles one .NET-style pattern; throws IllegalArgumentException naming the problem. */
    static Pattern compile(String source) {
        try {
            return Pattern.compile(translate(source), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("it isn't a valid regular expression (" + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /** The validator used at save time: why the pattern can't be used, or empty. */
    public static Optional<String> problem(Object value) {
        String s = String.valueOf(value);
        if (s.isEmpty()) return Optional.of("a pattern can't be empty");
        try {
            compile(s);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** .NET syntax to Java syntax (see the class comment). */
    static String translate(String net) {
        String s = net.replace("\\p{Is", "\\p{In").replace("\\P{Is", "\\P{In");
        s = s.replaceAll("\\(\\?([imsx]*)n([imsx]*)\\)", "(?$1$2)").replace("(?)", "");
        s = s.replaceAll("\\(\\?([imsx]*)n([imsx]*):", "(?$1$2:");
        // [base-[excluded]] → [base&&[^excluded]] (one level, as .NET allows only a trailing subtraction)
        s = s.replaceAll("-\\[([^\\]]*)\\]\\]", "&&[^$1]]");
        return s;
    }

    /** True when any pattern finds a match in {@code text} (null never matches). */
    public boolean in(String text, Deadline deadline) {
        if (text == null) return false;
        CharSequence seq = deadline.wrap(text);
        try {
            for (Pattern p : patterns) {
                Matcher m = p.matcher(seq);
                if (m.find()) return true;
            }
            return false;
        } catch (StackOverflowError e) { // java.util.regex recurses per repetition: a long input can exhaust the stack
            throw new RuleEvaluationException("pattern matching ran out of stack on a " + text.length() + "-character value");
        }
    }

    @Override public String toString() { return List.of(patterns).toString(); }
}
