// Thrown while a rule is evaluated against a message (a pattern timed out, content could not be read).
package dev.gatehouse.rules;

/** Caught per rule by the evaluator, which applies the rule's RuleErrorAction (Ignore or Defer). */
public final class RuleEvaluationException extends RuntimeException {
    public RuleEvaluationException(String message) { super(message, null, false, false); }
}
