// The parsers' position in the token list: lookahead, expectations with positioned errors, and a nesting guard.
package dev.gatehouse.kql;

import dev.gatehouse.kql.KqlToken.Kind;
import java.util.Arrays;
import java.util.List;

/**
 * Shared by {@link KqlParser} and {@link KqlExpressionParser}. Besides moving through the tokens it answers, in
 * constant time, the two questions KQL's grammar needs more than one token of lookahead for: where a {@code (}
 * closes, and whether a {@code |} sits directly inside it (then the parentheses hold a tabular expression, as in
 * {@code x in (T | project Id)}). Both are computed once, in one pass, so parsing stays linear.
 */
final class TokenCursor {
    /** Deeper nesting than this is refused, so no input can exhaust the stack. */
    static final int MAX_DEPTH = 200;

    private final KqlToken[] t;
    private final int[] closeOf;
    private final boolean[] pipeInside;
    private int p;
    private int depth;

    TokenCursor(List<KqlToken> tokens) {
        this.t = tokens.toArray(KqlToken[]::new);
        this.closeOf = new int[t.length];
        this.pipeInside = new boolean[t.length];
        Arrays.fill(closeOf, -1);
        int[] open = new int[t.length];
        int sp = 0;
        for (int k = 0; k < t.length; k++) {
            KqlToken tok = t[k];
            if (tok.isPunct("(")) open[sp++] = k;
            else if (tok.isPunct(")") && sp > 0) closeOf[open[--sp]] = k;
            else if (tok.isPunct("|") && sp > 0) pipeInside[open[sp - 1]] = true;
        }
        // a '(' that never closes holds nothing: "x in ('a'\n| take 1" is a missing ')', not a tabular operand
        while (sp > 0) pipeInside[open[--sp]] = false;
    }

    // ---- moving ------------------------------------------------------------------------------------------------

    /** The current token; reaching text the lexer could not read reports the lexer's error. */
    KqlToken peek() {
        KqlToken tok = t[p];
        if (tok.kind() == Kind.ERROR) throw (KqlException) tok.value();
        return tok;
    }

    /** The token {@code ahead} places on, for lookahead only (never throws; the last token repeats at the end). */
    KqlToken peek(int ahead) { return at(p + ahead); }

    /** The token at absolute index {@code k}, clamped to the last. */
    KqlToken at(int k) { return t[Math.min(Math.max(k, 0), t.length - 1)]; }

    int index() { return p; }

    KqlToken advance() {
        KqlToken tok = peek();
        if (tok.kind() != Kind.EOF) p++;
        return tok;
    }

    boolean atPunct(String s) { return peek().isPunct(s); }

    boolean atWord(String w) { return peek().isWord(w); }

    boolean atEnd() { return peek().kind() == Kind.EOF; }

    boolean acceptPunct(String s) {
        if (!atPunct(s)) return false;
        p++;
        return true;
    }

    boolean acceptWord(String w) {
        if (!atWord(w)) return false;
        p++;
        return true;
    }

    KqlToken expectPunct(String s) {
        if (!atPunct(s)) throw expected("'" + s + "'");
        return advance();
    }

    KqlToken expectWord(String w) {
        if (!atWord(w)) throw expected("'" + w + "'");
        return advance();
    }

    /** "expected X but found Y" at the current token. */
    KqlException expected(String what) {
        KqlToken tok = peek();
        return new KqlException("expected " + what + " but found " + tok.describe(), tok.pos());
    }

    /** True when {@code a} ends exactly where {@code b} starts ({@code project-away}, {@code Network*Id}). */
    static boolean touching(KqlToken a, KqlToken b) { return a.end() == b.start() && b.kind() != Kind.EOF; }

    // ---- names -------------------------------------------------------------------------------------------------

    /** True if a name starts here: a word, or a bracket-quoted {@code ['Malware Emails']}. */
    boolean atName() {
        KqlToken tok = peek();
        return tok.kind() == Kind.IDENT || isBracketName(p);
    }

    boolean isBracketName(int k) {
        return at(k).isPunct("[") && at(k + 1).kind() == Kind.STRING && at(k + 2).isPunct("]");
    }

    /** Number of tokens the name at {@code k} takes (1 or 3), or 0 if no name is there. */
    int nameLength(int k) {
        if (at(k).kind() == Kind.IDENT) return 1;
        return isBracketName(k) ? 3 : 0;
    }

    /** A name as written, bracket-quoted names unquoted. */
    String name(String what) {
        KqlToken tok = peek();
        if (tok.kind() == Kind.IDENT) {
            p++;
            return tok.text();
        }
        if (isBracketName(p)) {
            String name = (String) t[p + 1].value();
            p += 3;
            return name;
        }
        throw expected(what);
    }

    // ---- nesting -----------------------------------------------------------------------------------------------

    void enter() {
        if (++depth > MAX_DEPTH) throw new KqlException("expression nested too deeply (more than " + MAX_DEPTH + " levels)", peek().pos());
    }

    void exit() { depth--; }

    // ---- lookahead for tabular expressions ---------------------------------------------------------------------

    /** Index of the {@code )} that closes the {@code (} at {@code open}, or -1. */
    int closeOf(int open) { return open >= 0 && open < t.length ? closeOf[open] : -1; }

    /**
     * True when the parentheses opening at {@code open} hold a tabular expression: a {@code |} directly inside, a
     * tabular keyword first ({@code union}, {@code datatable}, ...), or parentheses around such a thing
     * ({@code ((T | project X))}).
     */
    boolean parenHoldsTabular(int open) {
        int k = open;
        while (true) {
            if (pipeInside[k] || startsTabularSource(k + 1)) return true;
            int inner = k + 1;
            if (at(inner).isPunct("(") && closeOf[inner] >= 0 && closeOf[inner] + 1 == closeOf[k]) {
                k = inner;
            } else {
                return false;
            }
        }
    }

    /** True when the let value starting here is tabular (see {@link Ast.Let}). */
    boolean letValueIsTabular() {
        if (startsTabularSource(p) || (at(p).isPunct("(") && closeOf[p] >= 0 && parenHoldsTabular(p))) return true;
        for (int k = p; k < t.length; k++) {
            KqlToken tok = t[k];
            if (tok.kind() == Kind.EOF || tok.kind() == Kind.ERROR || tok.isPunct(";") || tok.isPunct(")")) return false;
            if (tok.isPunct("|")) return true;
            if (tok.isPunct("(")) {
                if (closeOf[k] < 0) return false;
                k = closeOf[k];
            }
        }
        return false;
    }

    /**
     * True for a word that can only begin a tabular expression here. {@code print}, {@code evaluate}, {@code find}
     * and {@code search} count only when something that could be their argument follows, and {@code range} only in
     * its {@code range x from ...} form, so columns or scalar functions of those names are left alone.
     */
    boolean startsTabularSource(int k) {
        KqlToken tok = at(k);
        if (tok.kind() != Kind.IDENT) return false;
        KqlToken next = at(k + 1);
        return switch (tok.text()) {
            case "union", "datatable", "externaldata", "external_data", "materialize" -> true;
            case "print", "evaluate", "find", "search" ->
                    next.kind() == Kind.IDENT || next.kind() == Kind.STRING || next.kind() == Kind.LITERAL || next.isPunct("*");
            case "range" -> next.kind() == Kind.IDENT && at(k + 2).isWord("from");
            default -> false;
        };
    }
}
