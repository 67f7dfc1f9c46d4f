// Types and compiles scalar expressions against an input schema: vector fast paths for the predicates hunting uses.
package dev.gatehouse.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.kql.Ast.Expr;
import dev.gatehouse.kql.Vec.BoolVec;
import dev.gatehouse.kql.Vec.DictVec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Strings compare case-sensitively with {@code ==}, case-insensitively with {@code =~}; the string operators follow
 * {@link KqlStrings}. A comparison with null is null, and {@code where} keeps only true rows (three-valued logic).
 * A dynamic value compared with a string compares as its text when it is a string, and is null otherwise. On a
 * dictionary-encoded column, string predicates run once per distinct value and then map each row's code.
 */
final class Compiler {
    final Schema in;
    final Env env;
    final Planner planner;
    final Ctx ctx;

    Compiler(Schema in, Env env, Planner planner, Ctx ctx) {
        this.in = in;
        this.env = env;
        this.planner = planner;
        this.ctx = ctx;
    }

    CExpr compile(Expr e) {
        return switch (e) {
            case Ast.Literal l -> new CExpr.Const(l.type(), l.value(), l.pos());
            case Ast.Name n -> name(n);
            case Ast.Star s -> throw new KqlException("'*' is only allowed as an argument of arg_max, arg_min or count", s.pos());
            case Ast.Member m -> member(compile(m.target()), new CExpr.Const(KqlType.STRING, m.member(), m.pos()), m.pos());
            case Ast.Index x -> member(compile(x.target()), compile(x.index()), x.pos());
            case Ast.Call c -> Functions.compile(c, this);
            case Ast.Unary u -> unary(u);
            case Ast.Binary b -> binary(b);
            case Ast.In i -> in(i);
            case Ast.Between b -> between(b);
            case Ast.ToScalar t -> toScalar(t.tabular(), t.pos());
        };
    }

    private CExpr name(Ast.Name n) {
        int i = in.indexOf(n.name());
        if (i >= 0) return new CExpr.Column(i, n.name(), in.type(i), n.pos());
        Env.Binding b = env.get(n.name());
        if (b instanceof Env.Scalar s) return new CExpr.Const(s.type(), s.value(), n.pos());
        if (env.isTabular(n.name())) {
            throw new KqlException("'" + n.name() + "' is a table; a scalar was expected here (use toscalar(" + n.name() + ") or in (" + n.name() + "))", n.pos());
        }
        throw new KqlException("Failed to resolve scalar expression named '" + n.name() + "'", n.pos());
    }

    CExpr toScalar(Ast.Tabular t, Pos pos) {
        Frame f = planner.collect(planner.plan(t, env), ctx, 1);
        if (f.schema().size() == 0) throw new KqlException("toscalar needs a table with at least one column", pos);
        KqlType type = f.schema().type(0);
        Object v = f.rows() == 0 ? null : f.get(0, 0);
        return new CExpr.Const(type, v == null && type == KqlType.STRING ? "" : v, pos);
    }

    /** {@code d.member} or {@code d[index]} on a dynamic value. */
    private CExpr member(CExpr target, CExpr key, Pos pos) {
        if (target.type != KqlType.DYNAMIC) {
            throw new KqlException("member access needs a dynamic value, but this is " + target.type
                    + (target.type == KqlType.STRING ? "; parse it first with parse_json()" : ""), pos);
        }
        KqlType kt = key.type;
        return rowWise(KqlType.DYNAMIC, new CExpr[]{target, key}, a -> {
            JsonNode d = (JsonNode) a[0];
            if (d == null || a[1] == null) return null;
            JsonNode r;
            if (kt == KqlType.STRING) r = d.isObject() ? d.get((String) a[1]) : null;
            else if (kt == KqlType.INT || kt == KqlType.LONG) {
                if (!d.isArray()) return null;
                long idx = (Long) a[1];
                if (idx < 0) idx += d.size();
                r = idx < 0 || idx >= d.size() ? null : d.get((int) idx);
            } else if (kt == KqlType.DYNAMIC) {
                JsonNode k = (JsonNode) a[1];
                r = k.isTextual() && d.isObject() ? d.get(k.textValue()) : k.isIntegralNumber() && d.isArray() ? d.get(k.intValue()) : null;
            } else return null;
            return r == null || r.isNull() ? null : r;
        }, pos);
    }

    private CExpr unary(Ast.Unary u) {
        CExpr x = compile(u.operand());
        if (u.op().equals("+")) return x;
        return switch (x.type) {
            case INT, LONG -> rowWise(x.type, new CExpr[]{x}, a -> a[0] == null ? null : -(Long) a[0], u.pos());
            case REAL -> rowWise(x.type, new CExpr[]{x}, a -> a[0] == null ? null : -(Double) a[0], u.pos());
            case TIMESPAN -> rowWise(x.type, new CExpr[]{x}, a -> a[0] == null ? null : -(Long) a[0], u.pos());
            default -> throw new KqlException("cannot negate a value of type " + x.type, u.pos());
        };
    }

    // ---- binary ------------------------------------------------------------------------------------------------------

    private CExpr binary(Ast.Binary b) {
        String op = b.op();
        if (op.equals("and") || op.equals("or")) return logical(op, compile(b.left()), compile(b.right()), b.pos());
        CExpr l = compile(b.left());
        CExpr r = compile(b.right());
        return switch (op) {
            case "==", "!=", "<", "<=", ">", ">=" -> compare(op, l, r, b.pos());
            case "=~", "!~" -> stringPredicate(op, l, r, b.pos());
            case "+", "-", "*", "/", "%" -> Arithmetic.compile(op, l, r, b.pos(), this);
            case "matches regex" -> regex(l, r, b.pos());
            default -> {
                if (KqlStrings.isStringOperator(op)) yield stringPredicate(op, l, r, b.pos());
                throw new KqlException("unknown operator '" + op + "'", b.pos());
            }
        };
    }

    private CExpr logical(String op, CExpr l, CExpr r, Pos pos) {
        requireBool(l, op);
        requireBool(r, op);
        boolean and = op.equals("and");
        return fold(new CExpr(KqlType.BOOL, pos) {
            @Override Vec eval(Batch b, Ctx c) {
                BoolVec x = l.evalBool(b, c);
                BoolVec y = r.evalBool(b, c);
                byte[] out = new byte[b.n()];
                for (int i = 0; i < out.length; i++) out[i] = and ? and(x.values[i], y.values[i]) : or(x.values[i], y.values[i]);
                return new BoolVec(out, b.n());
            }
        }, l, r);
    }

    static byte and(byte a, byte b) {
        if (a == Vec.FALSE || b == Vec.FALSE) return Vec.FALSE;
        if (a == Vec.NULL || b == Vec.NULL) return Vec.NULL;
        return Vec.TRUE;
    }

    static byte or(byte a, byte b) {
        if (a == Vec.TRUE || b == Vec.TRUE) return Vec.TRUE;
        if (a == Vec.NULL || b == Vec.NULL) return Vec.NULL;
        return Vec.FALSE;
    }

    void requireBool(CExpr e, String where) {
        if (e.type != KqlType.BOOL && e.type != KqlType.DYNAMIC) {
            throw new KqlException("'" + where + "' needs a bool operand, but this is " + e.type, e.pos);
        }
    }

    /** The type two operands are compared in, or an error naming both types. */
    static KqlType comparisonType(CExpr l, CExpr r, String op, Pos pos) {
        KqlType a = l.type, b = r.type;
        if (a == b) return a;
        if (a == KqlType.DYNAMIC) return b;
        if (b == KqlType.DYNAMIC) return a;
        if (a.isNumeric() && b.isNumeric()) return a == KqlType.REAL || b == KqlType.REAL ? KqlType.REAL : KqlType.LONG;
        throw new KqlException("Cannot compare values of types " + a + " and " + b + " with '" + op + "'", pos);
    }

    /** Converts a boxed value of {@code from} to {@code to} for a comparison (null when it can't be). */
    static Object convert(Object v, KqlType from, KqlType to) {
        if (v == null || from == to) return v;
        if (from == KqlType.DYNAMIC) return Values.fromDynamic((JsonNode) v, to);
        if (to == KqlType.REAL && v instanceof Number n) return n.doubleValue();
        if ((to == KqlType.LONG || to == KqlType.INT) && v instanceof Long) return v;
        if (to == KqlType.DYNAMIC) return Values.toDynamic(from, v);
        return v;
    }

    private CExpr compare(String op, CExpr l, CExpr r, Pos pos) {
        KqlType t = comparisonType(l, r, op, pos);
        if (t == KqlType.STRING && (op.equals("==") || op.equals("!="))) return stringPredicate(op, l, r, pos);
        if (t == KqlType.DYNAMIC && l.type == KqlType.DYNAMIC && r.type == KqlType.DYNAMIC) {
            boolean eq = op.equals("==");
            if (!eq && !op.equals("!=")) {
                return rowWise(KqlType.BOOL, new CExpr[]{l, r}, a -> a[0] == null || a[1] == null ? null
                        : test(op, Values.compare(KqlType.DYNAMIC, a[0], a[1])), pos);
            }
            return rowWise(KqlType.BOOL, new CExpr[]{l, r}, a -> a[0] == null || a[1] == null ? null
                    : ((JsonNode) a[0]).equals(a[1]) == eq, pos);
        }
        if ((t == KqlType.LONG || t == KqlType.INT || t == KqlType.DATETIME || t == KqlType.TIMESPAN || t == KqlType.BOOL)
                && l.type == t && r.type == t && r.isConst() && !l.isConst()) {
            return longConstCompare(op, l, r.constValue() == null ? null : convertLong(r.constValue()), pos);
        }
        return rowWise(KqlType.BOOL, new CExpr[]{l, r}, a -> {
            Object x = convert(a[0], l.type, t), y = convert(a[1], r.type, t);
            if (x == null || y == null) return null;
            return test(op, Values.compare(t, x, y));
        }, pos);
    }

    private static long convertLong(Object v) { return v instanceof Boolean bo ? (bo ? 1 : 0) : ((Number) v).longValue(); }

    static boolean test(String op, int c) {
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** A column of longs (or datetimes, timespans) against a constant: the time filter of almost every query. */
    private CExpr longConstCompare(String op, CExpr l, Long k, Pos pos) {
        return new CExpr(KqlType.BOOL, pos) {
            @Override Vec eval(Batch b, Ctx c) {
                Vec v = l.eval(b, c);
                byte[] out = new byte[b.n()];
                if (k == null) {
                    java.util.Arrays.fill(out, Vec.NULL);
                    return new BoolVec(out, b.n());
                }
                long kk = k;
                for (int i = 0; i < out.length; i++) {
                    if (v.isNull(i)) {
                        out[i] = Vec.NULL;
                        continue;
                    }
                    long x = v.getLong(i);
                    boolean r = switch (op) {
                        case "==" -> x == kk;
                        case "!=" -> x != kk;
                        case "<" -> x < kk;
                        case "<=" -> x <= kk;
                        case ">" -> x > kk;
                        default -> x >= kk;
                    };
                    out[i] = r ? Vec.TRUE : Vec.FALSE;
                }
                return new BoolVec(out, b.n());
            }
        };
    }

    /** The left side read as a string: strings as they are, dynamics by their text (null when not a string). */
    CExpr asString(CExpr e, String op) {
        if (e.type == KqlType.STRING) return e;
        if (e.type == KqlType.DYNAMIC) {
            return rowWise(KqlType.STRING, new CExpr[]{e}, a -> a[0] == null ? null : Values.fromDynamic((JsonNode) a[0], KqlType.STRING), e.pos);
        }
        throw new KqlException("'" + op + "' needs a string operand, but this is " + e.type + " (use tostring())", e.pos);
    }

    /**
     * {@code == != =~ !~} and the string operators. A constant right side over a dictionary column is tested once per
     * distinct value.
     */
    private CExpr stringPredicate(String op, CExpr l0, CExpr r0, Pos pos) {
        CExpr l = asString(l0, op);
        CExpr r = asString(r0, op);
        boolean negated = op.startsWith("!");
        String base = negated ? op.substring(1) : op;
        final Predicate<String> test;
        if (r.isConst()) {
            String k = (String) r.constValue();
            if (k == null) return new CExpr.Const(KqlType.BOOL, null, pos);
            test = constantTest(op, k);
        } else test = null;
        boolean dynamicLeft = l0.type == KqlType.DYNAMIC;
        if (test != null && !dynamicLeft) return setPredicate(l, test, pos);
        DictCache cache = test == null ? null : new DictCache(test);
        return fold(new CExpr(KqlType.BOOL, pos) {
            @Override Vec eval(Batch b, Ctx c) {
                Vec lv = l.eval(b, c);
                byte[] out = new byte[b.n()];
                if (test != null && lv instanceof DictVec d) {
                    d.mapCodes(cache.matches(d, c), out);
                    return new BoolVec(out, b.n());
                }
                Vec rv = test == null ? r.eval(b, c) : null;
                for (int i = 0; i < out.length; i++) {
                    String x = (String) lv.get(i);
                    if (x == null && dynamicLeft) {
                        out[i] = Vec.NULL;
                        continue;
                    }
                    if (x == null) x = "";
                    boolean m;
                    if (test != null) m = test.test(x);
                    else {
                        String y = (String) rv.get(i);
                        if (y == null) {
                            out[i] = Vec.NULL;
                            continue;
                        }
                        m = constantTest(op, y).test(x);
                    }
                    out[i] = m ? Vec.TRUE : Vec.FALSE;
                    if ((i & 4095) == 4095) c.poll();
                }
                return new BoolVec(out, b.n());
            }
        }, l, r);
    }

    /** The test of one left value for operator {@code op} with right side {@code k}. */
    static Predicate<String> constantTest(String op, String k) {
        boolean negated = op.startsWith("!") && !op.equals("!=") && !op.equals("!~");
        Predicate<String> p = switch (op) {
            case "==" -> k::equals;
            case "!=" -> x -> !k.equals(x);
            case "=~" -> { String f = KqlStrings.fold(k); yield x -> x.equals(k) || KqlStrings.fold(x).equals(f); }
            case "!~" -> { String f = KqlStrings.fold(k); yield x -> !(x.equals(k) || KqlStrings.fold(x).equals(f)); }
            default -> {
                String positive = negated ? op.substring(1) : op;
                String needle = positive.endsWith("_cs") ? k : KqlStrings.fold(k);
                yield x -> KqlStrings.test(positive, x, needle);
            }
        };
        return negated ? p.negate() : p;
    }

    private CExpr regex(CExpr l0, CExpr r, Pos pos) {
        CExpr l = asString(l0, "matches regex");
        if (!r.isConst() || r.type != KqlType.STRING) throw new KqlException("matches regex needs a constant string pattern", pos);
        Pattern p = pattern((String) r.constValue(), r.pos);
        return setPredicate(l, x -> p.matcher(x).find(), pos);
    }

    /** RE2 syntax, as Kusto: no backreferences or lookaround, and matching in linear time. */
    static Pattern pattern(String re, Pos pos) {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new KqlException("invalid regular expression '" + re + "': " + e.getDescription(), pos);
        }
    }

    // ---- in, has_any, between ------------------------------------------------------------------------------------

    /** The values of an {@code in}-style list: literals, let-bound lists (flattened), or a subquery's first column. */
    List<Object> listValues(Ast.In in, KqlType[] typeOut) {
        List<Object> values = new ArrayList<>();
        KqlType type = null;
        if (in.tabular() != null) {
            Frame f = planner.collect(planner.plan(in.tabular(), env), ctx, Integer.MAX_VALUE);
            return firstColumn(f, typeOut, in.pos());
        }
        if (in.items().size() == 1 && in.items().get(0) instanceof Ast.Name n && !this.in.has(n.name()) && env.isTabular(n.name())) {
            Frame f = planner.collect(planner.plan(new Ast.Pipeline(new Ast.TableRef(n.name(), n.pos()), List.of(), n.pos()), env), ctx, Integer.MAX_VALUE);
            return firstColumn(f, typeOut, in.pos());
        }
        for (Expr item : in.items()) {
            CExpr c = compile(item);
            if (!c.isConst()) throw new KqlException("the list of '" + in.op() + "' must hold constants", item.pos());
            Object v = c.constValue();
            if (c.type == KqlType.DYNAMIC && v instanceof JsonNode node && node.isArray()) {
                for (JsonNode x : node) values.add(x);
                type = type == null ? KqlType.DYNAMIC : type;
            } else {
                values.add(c.type == KqlType.DYNAMIC ? v : Values.toDynamic(c.type, v));
            }
        }
        typeOut[0] = KqlType.DYNAMIC;
        return values;
    }

    private List<Object> firstColumn(Frame f, KqlType[] typeOut, Pos pos) {
        if (f.schema().size() == 0) throw new KqlException("the subquery returns no columns", pos);
        KqlType t = f.schema().type(0);
        List<Object> values = new ArrayList<>(f.rows());
        for (int i = 0; i < f.rows(); i++) values.add(Values.toDynamic(t, f.get(i, 0)));
        typeOut[0] = KqlType.DYNAMIC;
        return values;
    }

    private CExpr in(Ast.In in) {
        String op = in.op();
        CExpr l = compile(in.left());
        List<Object> values = listValues(in, new KqlType[1]);
        if (op.equals("has_any") || op.equals("has_all")) {
            CExpr ls = asString(l, op);
            List<String> needles = new ArrayList<>();
            for (Object v : values) if (v != null) needles.add(KqlStrings.fold(Values.dynamicText((JsonNode) v)));
            boolean any = op.equals("has_any");
            Predicate<String> test = x -> {
                if (needles.isEmpty()) return !any;
                for (String n : needles) {
                    boolean h = KqlStrings.has(x, n, false);
                    if (any && h) return true;
                    if (!any && !h) return false;
                }
                return !any;
            };
            return setPredicate(ls, test, in.pos());
        }
        boolean negated = op.startsWith("!");
        boolean ci = op.endsWith("~");
        if (l.type == KqlType.STRING || l.type == KqlType.DYNAMIC) {
            Set<String> set = new HashSet<>();
            for (Object v : values) {
                if (v == null || ((JsonNode) v).isNull()) continue;
                String s = Values.dynamicText((JsonNode) v);
                set.add(ci ? KqlStrings.fold(s) : s);
            }
            CExpr ls = asString(l, op);
            Predicate<String> test = ci ? x -> set.contains(KqlStrings.fold(x)) : set::contains;
            return setPredicate(ls, negated ? test.negate() : test, in.pos());
        }
        Set<Object> set = new HashSet<>();
        for (Object v : values) {
            Object x = Values.fromDynamic((JsonNode) v, l.type == KqlType.INT ? KqlType.LONG : l.type);
            if (x != null) set.add(l.type == KqlType.REAL ? (Object) ((Number) x).doubleValue() : x);
        }
        return rowWise(KqlType.BOOL, new CExpr[]{l}, a -> a[0] == null ? null : set.contains(a[0]) != negated, in.pos());
    }

    /** A test of a string operand's value, run once per distinct value of a dictionary column. */
    CExpr setPredicate(CExpr l, Predicate<String> test, Pos pos) {
        return fold(new DictPredicate(l, test, pos), l);
    }

    /**
     * A constant test of a string operand: on a dictionary column, once per distinct value. Summarize's fused count
     * ({@link FusedCount}) reads the operand and the cache directly when the operand is a column.
     */
    static final class DictPredicate extends CExpr {
        final CExpr operand;
        final Predicate<String> test;
        final DictCache cache;

        DictPredicate(CExpr operand, Predicate<String> test, Pos pos) {
            super(KqlType.BOOL, pos);
            this.operand = operand;
            this.test = test;
            this.cache = new DictCache(test);
        }

        @Override Vec eval(Batch b, Ctx c) {
            Vec lv = operand.eval(b, c);
            byte[] out = new byte[b.n()];
            if (lv instanceof DictVec d) {
                d.mapCodes(cache.matches(d, c), out);
                return new BoolVec(out, b.n());
            }
            for (int i = 0; i < out.length; i++) {
                String x = (String) lv.get(i);
                out[i] = x == null ? Vec.NULL : test.test(x) ? Vec.TRUE : Vec.FALSE;
                if ((i & 1023) == 1023) c.poll();
            }
            return new BoolVec(out, b.n());
        }
    }

    private CExpr between(Ast.Between b) {
        CExpr v = compile(b.value());
        CExpr lo = compile(b.low());
        CExpr hi0 = compile(b.high());
        // datetime between (datetime .. timespan): the upper end is the lower end plus the span
        CExpr hi = v.type == KqlType.DATETIME && hi0.type == KqlType.TIMESPAN
                ? Arithmetic.compile("+", lo, hi0, b.pos(), this) : hi0;
        CExpr ge = compare(">=", v, lo, b.pos());
        CExpr le = compare("<=", v, hi, b.pos());
        CExpr both = logical("and", ge, le, b.pos());
        if (!b.negated()) return both;
        return rowWise(KqlType.BOOL, new CExpr[]{both}, a -> a[0] == null ? null : !(Boolean) a[0], b.pos());
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    /** A row-by-row expression, folded to a constant when every argument is one. */
    CExpr rowWise(KqlType type, CExpr[] args, Function<Object[], Object> fn, Pos pos) {
        return fold(new CExpr.RowWise(type, args, fn, pos), args);
    }

    /** {@code e} evaluated now when all of {@code args} are constants. */
    CExpr fold(CExpr e, CExpr... args) {
        for (CExpr a : args) if (!a.isConst()) return e;
        Vec v = e.eval(new Batch(new Vec[0], 1), ctx);
        Object value = v.get(0);
        return new CExpr.Const(e.type, value == null && e.type == KqlType.STRING ? "" : value, e.pos);
    }
}
