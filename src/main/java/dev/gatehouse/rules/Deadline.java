// A time limit for one message's rule evaluation, enforced inside regex matching.
package dev.gatehouse.rules;

/**
 * Regex matching can backtrack for a very long time on hostile input. Patterns match against a
 * {@link CharSequence} that checks the clock every 4096 character reads and throws
 * {@link RuleEvaluationException} once the deadline passed, so the rule's RuleErrorAction decides.
 */
public final class Deadline {
    private final long deadlineNanos;
    private int reads;

    private Deadline(long deadlineNanos) { this.deadlineNanos = deadlineNanos; }

    public static Deadline in(long millis) { return new Deadline(System.nanoTime() + millis * 1_000_000L); }

    public static Deadline none() { return new Deadline(Long.MAX_VALUE); }

    CharSequence wrap(String s) {
        return deadlineNanos == Long.MAX_VALUE ? s : new Guarded(s);
    }

    void check() {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            throw new RuleEvaluationException("pattern matching exceeded its time limit");
        }
    }

    private final class Guarded implements CharSequence {
        private final String s;
        Guarded(String s) { this.s = s; }
        @Override public int length() { return s.length(); }
        @Override public char charAt(int i) {
            if ((++reads & 4095) == 0) check();
            return s.charAt(i);
        }
        @Override public CharSequence subSequence(int a, int b) { return new Guarded(s.substring(a, b)); }
        @Override public String toString() { return s; }
    }
}
