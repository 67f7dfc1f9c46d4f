// Parses KQL scalar expressions by precedence climbing (Pratt), with KQL's own operator levels.
package dev.gatehouse.kql;

import dev.gatehouse.kql.KqlToken.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Precedence, lowest first, as Microsoft's parser (Kusto.Language QueryGrammar, and Kql.g4) has it:
 * <ol>
 *   <li>{@code or}</li>
 *   <li>{@code and}</li>
 *   <li>equality and lists: {@code == != <> in !in in~ !in~ has_any has_all between !between} (not chainable)</li>
 *   <li>relational: {@code < <= > >=} (not chainable)</li>
 *   <li>{@code + -}</li>
 *   <li>{@code * / %}</li>
 *   <li>string operators: {@code =~ !~ has contains startswith ... matches regex} (not chainable)</li>
 *   <li>unary {@code -} / {@code +} (one sign)</li>
 *   <li>postfix {@code .member}, {@code [index]}, calls</li>
 * </ol>
 * So {@code a has "x" and b > 1 + 2} is {@code (a has "x") and (b > (1 + 2))}. A non-chainable operator cannot
 * follow one of its own level without parentheses ({@code a == b == c} is an error, as in Kusto).
 * {@code not(x)} is an ordinary call.
 */
final class KqlExpressionParser {
    private static final int OR = 1, AND = 2, EQUALITY = 3, RELATIONAL = 4, ADDITIVE = 5, MULTIPLICATIVE = 6, STRING = 7;

    private enum Shape { BINARY, IN, BETWEEN }

    /** An infix operator: its canonical spelling (what {@link Ast.Binary#op()} holds), level and shape. */
    private record Operator(String op, int level, Shape shape) {}

    private static final Map<String, Operator> OPERATORS = new HashMap<>();

    static {
        op(OR, Shape.BINARY, "or");
        op(AND, Shape.BINARY, "and");
        op(EQUALITY, Shape.BINARY, "==", "!=");
        OPERATORS.put("<>", new Operator("!=", EQUALITY, Shape.BINARY));
        op(EQUALITY, Shape.IN, "in", "!in", "in~", "!in~", "has_any", "has_all");
        op(EQUALITY, Shape.BETWEEN, "between", "!between");
        op(RELATIONAL, Shape.BINARY, "<", "<=", ">", ">=");
        op(ADDITIVE, Shape.BINARY, "+", "-");
        op(MULTIPLICATIVE, Shape.BINARY, "*", "/", "%");
        op(STRING, Shape.BINARY, "=~", "!~");
        for (String base : new String[] {"has", "hasprefix", "hassuffix", "contains", "startswith", "endswith"}) {
            op(STRING, Shape.BINARY, base, "!" + base, base + "_cs", "!" + base + "_cs");
        }
        // legacy spellings of the contains family, kept under their modern names
        OPERATORS.put("containscs", new Operator("contains_cs", STRING, Shape.BINARY));
        OPERATORS.put("notcontains", new Operator("!contains", STRING, Shape.BINARY));
        OPERATORS.put("notcontainscs", new Operator("!contains_cs", STRING, Shape.BINARY));
    }

    private static void op(int level, Shape shape, String... spellings) {
        for (String s : spellings) OPERATORS.put(s, new Operator(s, level, shape));
    }

    private static final Operator MATCHES_REGEX = new Operator("matches regex", STRING, Shape.BINARY);

    private final TokenCursor c;
    /** Parses a tabular expression at the cursor (for {@code toscalar(...)} and {@code in (T | ...)}). */
    private final Supplier<Ast.Tabular> tabular;

    KqlExpressionParser(TokenCursor cursor, Supplier<Ast.Tabular> tabular) {
        this.c = cursor;
        this.tabular = tabular;
    }

    /** A whole expression; it ends at the first token that cannot continue it ({@code ,}, {@code |}, {@code by}, ...). */
    Ast.Expr parse() { return parse(OR); }

    private Ast.Expr parse(int minLevel) {
        c.enter();
        Ast.Expr left = unary();
        Operator previous = null;
        while (true) {
            KqlToken opToken = c.peek();
            Operator op = operatorAt(opToken);
            if (op == null || op.level() < minLevel) break;
            if (previous != null && previous.level() == op.level() && !chainable(op.level())) {
                throw new KqlException("operator '" + opToken.text() + "' cannot follow '" + previous.op()
                        + "' without parentheses", opToken.pos());
            }
            c.advance();
            if (op == MATCHES_REGEX) c.advance();
            left = switch (op.shape()) {
                case BINARY -> new Ast.Binary(op.op(), left, parse(op.level() + 1), left.pos());
                case IN -> in(op.op(), left);
                case BETWEEN -> between(op.op().equals("!between"), left);
            };
            previous = op;
        }
        c.exit();
        return left;
    }

    private static boolean chainable(int level) {
        return level == OR || level == AND || level == ADDITIVE || level == MULTIPLICATIVE;
    }

    private Operator operatorAt(KqlToken tok) {
        if (tok.kind() != Kind.IDENT && tok.kind() != Kind.PUNCT) return null;
        if (tok.isWord("matches") && c.peek(1).isWord("regex")) return MATCHES_REGEX;
        if (tok.kind() == Kind.IDENT) {
            switch (tok.text()) {
                case "like", "notlike", "likecs", "notlikecs" -> throw KqlException.unsupported(tok.text(), tok.pos());
                default -> { }
            }
        }
        return OPERATORS.get(tok.text());
    }

    /** {@code left in (a, b)}, {@code in (L)}, {@code in (dynamic([...]))}, {@code in (T | project X)}, {@code in ((T | ...))}. */
    private Ast.Expr in(String op, Ast.Expr left) {
        int open = c.index();
        c.expectPunct("(");
        if (c.parenHoldsTabular(open)) {
            Ast.Tabular t = tabular.get();
            c.expectPunct(")");
            return new Ast.In(op, left, List.of(), t, left.pos());
        }
        List<Ast.Expr> items = new ArrayList<>();
        do {
            items.add(parse());
        } while (c.acceptPunct(","));
        c.expectPunct(")");
        return new Ast.In(op, left, List.copyOf(items), null, left.pos());
    }

    /** {@code value between (low .. high)}. */
    private Ast.Expr between(boolean negated, Ast.Expr value) {
        c.expectPunct("(");
        Ast.Expr low = parse();
        c.expectPunct("..");
        Ast.Expr high = parse();
        c.expectPunct(")");
        return new Ast.Between(value, low, high, negated, value.pos());
    }

    /** One optional sign, as in Kusto ({@code --x} is an error). */
    private Ast.Expr unary() {
        KqlToken tok = c.peek();
        if (tok.isPunct("-") || tok.isPunct("+")) {
            c.advance();
            return new Ast.Unary(tok.text(), postfix(), tok.pos());
        }
        return postfix();
    }

    private Ast.Expr postfix() {
        Ast.Expr e = primary();
        while (true) {
            if (c.atPunct(".")) {
                c.advance();
                if (c.isBracketName(c.index())) { // legacy d.['key']
                    KqlToken key = c.peek(1);
                    c.name("a member name");
                    e = new Ast.Index(e, new Ast.Literal(KqlType.STRING, key.value(), key.pos()), e.pos());
                } else {
                    KqlToken member = c.peek();
                    if (member.kind() != Kind.IDENT) throw c.expected("a member name after '.'");
                    c.advance();
                    e = new Ast.Member(e, member.text(), e.pos());
                }
            } else if (c.atPunct("[")) {
                c.advance();
                Ast.Expr index = parse();
                c.expectPunct("]");
                e = new Ast.Index(e, index, e.pos());
            } else if (c.atPunct("(") && e instanceof Ast.Name name && c.at(c.index() - 1).kind() == Kind.IDENT) {
                e = call(name);
            } else {
                return e;
            }
        }
    }

    /** {@code name(args)}; {@code *} is an argument of its own ({@code arg_max(Timestamp, *)}). */
    private Ast.Expr call(Ast.Name name) {
        c.expectPunct("(");
        List<Ast.Expr> args = new ArrayList<>();
        if (!c.atPunct(")")) {
            do {
                KqlToken tok = c.peek();
                if (tok.isPunct("*") && (c.peek(1).isPunct(",") || c.peek(1).isPunct(")"))) {
                    c.advance();
                    args.add(new Ast.Star(tok.pos()));
                } else {
                    args.add(parse());
                }
            } while (c.acceptPunct(","));
        }
        c.expectPunct(")");
        return new Ast.Call(name.name(), List.copyOf(args), name.pos());
    }

    private Ast.Expr primary() {
        KqlToken tok = c.peek();
        switch (tok.kind()) {
            case LITERAL, STRING -> {
                c.advance();
                return new Ast.Literal(tok.type(), tok.value(), tok.pos());
            }
            case IDENT -> {
                return word(tok);
            }
            case PUNCT -> {
                if (tok.isPunct("(")) {
                    c.advance();
                    Ast.Expr inner = parse();
                    c.expectPunct(")");
                    return inner;
                }
                if (c.isBracketName(c.index())) return new Ast.Name(c.name("a name"), tok.pos());
                if (tok.isPunct("*")) {
                    // Kusto's "* has x" / "* == x" searches every column; anywhere else * is only an argument
                    Operator next = operatorAt(c.peek(1));
                    if (next != null && (next.level() == STRING || next.op().equals("=="))) {
                        c.advance();
                        return new Ast.Star(tok.pos());
                    }
                    throw new KqlException("'*' can only be a function argument here", tok.pos());
                }
                throw c.expected("an expression");
            }
            default -> throw c.expected("an expression");
        }
    }

    private Ast.Expr word(KqlToken tok) {
        boolean callFollows = c.peek(1).isPunct("(");
        switch (tok.text()) {
            case "toscalar" -> {
                if (callFollows) return toScalar(tok);
            }
            case "dynamic" -> {
                if (callFollows) {
                    c.advance();
                    return new Ast.Literal(KqlType.DYNAMIC, DynamicLiteralParser.parse(c), tok.pos());
                }
            }
            case "materialize", "totable" -> {
                if (callFollows) throw KqlException.unsupported(tok.text(), tok.pos());
            }
            case "$left", "$right" -> throw new KqlException("'" + tok.text() + "' can only be used in a join's on clause", tok.pos());
            default -> { }
        }
        c.advance();
        return new Ast.Name(tok.text(), tok.pos());
    }

    private Ast.Expr toScalar(KqlToken tok) {
        c.advance();
        c.expectPunct("(");
        Ast.Tabular t = tabular.get();
        c.expectPunct(")");
        return new Ast.ToScalar(t, tok.pos());
    }
}
