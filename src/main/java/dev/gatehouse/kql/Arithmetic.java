// + - * / % over numbers, datetimes and timespans, with Kusto's result types and sticky nulls.
package dev.gatehouse.kql;

import static dev.gatehouse.kql.KqlType.DATETIME;
import static dev.gatehouse.kql.KqlType.INT;
import static dev.gatehouse.kql.KqlType.LONG;
import static dev.gatehouse.kql.KqlType.REAL;
import static dev.gatehouse.kql.KqlType.TIMESPAN;

import java.util.function.Function;

/**
 * datetime - datetime is a timespan; datetime ± timespan a datetime; timespan / timespan a real; integer division
 * truncates and a division by zero is null; any null operand gives null. A dynamic operand is read as a number.
 */
final class Arithmetic {
    private Arithmetic() {}

    static CExpr compile(String op, CExpr l0, CExpr r0, Pos pos, Compiler c) {
        CExpr l = numericFromDynamic(l0, r0, c);
        CExpr r = numericFromDynamic(r0, l0, c);
        KqlType a = l.type, b = r.type;
        KqlType out;
        Function<Object[], Object> fn;
        if (integral(a) && integral(b)) {
            out = a == INT && b == INT ? INT : LONG;
            fn = x -> longOp(op, (Long) x[0], (Long) x[1]);
        } else if (a.isNumeric() && b.isNumeric()) {
            out = REAL;
            fn = x -> realOp(op, ((Number) x[0]).doubleValue(), ((Number) x[1]).doubleValue());
        } else if (a == DATETIME && b == DATETIME && op.equals("-")) {
            out = TIMESPAN;
            fn = x -> (Long) x[0] - (Long) x[1];
        } else if (a == DATETIME && b == TIMESPAN && (op.equals("+") || op.equals("-"))) {
            out = DATETIME;
            fn = x -> op.equals("+") ? (Long) x[0] + (Long) x[1] : (Long) x[0] - (Long) x[1];
        } else if (a == TIMESPAN && b == DATETIME && op.equals("+")) {
            out = DATETIME;
            fn = x -> (Long) x[0] + (Long) x[1];
        } else if (a == TIMESPAN && b == TIMESPAN) {
            if (op.equals("/")) {
                out = REAL;
                fn = x -> (Long) x[1] == 0 ? null : (double) (Long) x[0] / (Long) x[1];
            } else if (op.equals("+") || op.equals("-") || op.equals("%")) {
                out = TIMESPAN;
                fn = x -> longOp(op, (Long) x[0], (Long) x[1]);
            } else throw types(op, a, b, pos);
        } else if (a == TIMESPAN && b.isNumeric() && (op.equals("*") || op.equals("/"))) {
            out = TIMESPAN;
            fn = x -> {
                double d = ((Number) x[1]).doubleValue();
                if (op.equals("/") && d == 0) return null;
                return (long) (op.equals("*") ? (Long) x[0] * d : (Long) x[0] / d);
            };
        } else if (a.isNumeric() && b == TIMESPAN && op.equals("*")) {
            out = TIMESPAN;
            fn = x -> (long) (((Number) x[0]).doubleValue() * (Long) x[1]);
        } else {
            throw types(op, a, b, pos);
        }
        Function<Object[], Object> f = fn;
        return c.rowWise(out, new CExpr[]{l, r}, x -> x[0] == null || x[1] == null ? null : f.apply(x), pos);
    }

    private static boolean integral(KqlType t) { return t == INT || t == LONG; }

    /** A dynamic operand next to a number is read as a real (or long, next to an integer). */
    private static CExpr numericFromDynamic(CExpr e, CExpr other, Compiler c) {
        if (e.type != KqlType.DYNAMIC) return e;
        KqlType t = other.type == KqlType.DYNAMIC ? REAL : other.type == INT ? LONG : other.type;
        return c.rowWise(t, new CExpr[]{e}, x -> Compiler.convert(x[0], KqlType.DYNAMIC, t), e.pos);
    }

    private static KqlException types(String op, KqlType a, KqlType b, Pos pos) {
        return new KqlException("operator '" + op + "' does not apply to " + a + " and " + b, pos);
    }

    static Object longOp(String op, long x, long y) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> y == 0 ? null : x / y;
            case "%" -> y == 0 ? null : x % y;
            default -> throw new IllegalArgumentException(op);
        };
    }

    static Object realOp(String op, double x, double y) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            case "%" -> x % y;
            default -> throw new IllegalArgumentException(op);
        };
    }
}
