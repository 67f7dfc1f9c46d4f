// The scalar functions of KQL that hunting queries use, typed at compile time and evaluated row by row.
package dev.gatehouse.kql;

import static dev.gatehouse.kql.KqlType.BOOL;
import static dev.gatehouse.kql.KqlType.DATETIME;
import static dev.gatehouse.kql.KqlType.DYNAMIC;
import static dev.gatehouse.kql.KqlType.INT;
import static dev.gatehouse.kql.KqlType.LONG;
import static dev.gatehouse.kql.KqlType.REAL;
import static dev.gatehouse.kql.KqlType.STRING;
import static dev.gatehouse.kql.KqlType.TIMESPAN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.gatehouse.kql.Ast.Call;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code now()} and {@code ago()} read the one clock reading of the query. Functions of constants are folded at
 * compile time, so {@code Timestamp > ago(30d)} compares a column with a constant (and prunes chunks).
 */
final class Functions {
    private Functions() {}

    static final Set<String> AGGREGATES = Set.of("count", "countif", "dcount", "dcountif", "sum", "sumif", "avg", "avgif",
            "min", "max", "minif", "maxif", "arg_max", "arg_min", "make_set", "make_set_if", "make_list", "make_list_if",
            "take_any", "any", "make_bag", "percentile", "percentiles", "stdev", "variance");

    /** Tier C functions: named in the error instead of "unknown function". */
    static final Set<String> UNSUPPORTED = Set.of("geo_info_from_ip_address", "series_decompose_anomalies", "pack_all",
            "jaccard_index", "unicode_codepoints_from_string", "series_fir", "series_stats", "bag_unpack", "materialize",
            "externaldata", "row_number", "prev", "next", "row_cumsum", "toscalar_", "hll", "tdigest", "invoke",
            "make_series", "series_decompose", "series_outliers", "ipv6_compare", "ipv6_is_match", "zip", "bag_merge");

    static CExpr compile(Call call, Compiler c) {
        String name = call.name();
        List<Ast.Expr> a = call.args();
        Pos pos = call.pos();
        if (AGGREGATES.contains(name)) {
            throw new KqlException("the aggregation '" + name + "' can only be used in summarize (or top-nested)", pos);
        }
        if (UNSUPPORTED.contains(name)) throw KqlException.unsupported(name, pos);
        CExpr[] x = new CExpr[a.size()];
        // toscalar is parsed as its own node; anything else evaluates its arguments first
        for (int i = 0; i < x.length; i++) x[i] = c.compile(a.get(i));
        return switch (name) {
            case "now" -> {
                arity(call, 0, 1);
                long off = x.length == 1 ? ticksOf(x[0], call) : 0;
                yield new CExpr.Const(DATETIME, c.ctx.now + off, pos);
            }
            case "ago" -> {
                arity(call, 1, 1);
                yield new CExpr.Const(DATETIME, c.ctx.now - ticksOf(x[0], call), pos);
            }
            case "isempty", "isnotempty" -> {
                arity(call, 1, 1);
                boolean want = name.equals("isempty");
                KqlType t = x[0].type;
                // on a string column: once per distinct value, like the other string predicates
                if (t == STRING) yield c.setPredicate(x[0], v -> v.isEmpty() == want, pos);
                yield c.rowWise(BOOL, x, v -> Values.isEmptyValue(t, v[0]) == want, pos);
            }
            case "isnull", "isnotnull" -> {
                arity(call, 1, 1);
                boolean want = name.equals("isnull");
                KqlType t = x[0].type;
                yield c.rowWise(BOOL, x, v -> (v[0] == null || (t == DYNAMIC && ((JsonNode) v[0]).isNull())) == want, pos);
            }
            case "not" -> {
                arity(call, 1, 1);
                c.requireBool(x[0], "not");
                // a dynamic that holds no bool is null, and so is its negation
                yield c.rowWise(BOOL, x, v -> bool(x[0].type, v[0]) instanceof Boolean b ? !b : null, pos);
            }
            case "tostring" -> {
                arity(call, 1, 1);
                KqlType t = x[0].type;
                yield c.rowWise(STRING, x, v -> Values.toText(t, v[0]), pos);
            }
            case "tolong", "toint", "todouble", "toreal", "tobool", "toboolean", "todatetime", "totimespan", "totime", "todecimal" -> {
                arity(call, 1, 1);
                KqlType to = switch (name) {
                    case "tolong" -> LONG;
                    case "toint" -> INT;
                    case "todouble", "toreal", "todecimal" -> REAL;
                    case "tobool", "toboolean" -> BOOL;
                    case "todatetime" -> DATETIME;
                    default -> TIMESPAN;
                };
                KqlType from = x[0].type;
                yield c.rowWise(to, x, v -> convert(v[0], from, to), pos);
            }
            case "parse_json", "todynamic", "toobject", "parsejson" -> {
                arity(call, 1, 1);
                KqlType t = x[0].type;
                yield c.rowWise(DYNAMIC, x, v -> t == DYNAMIC ? v[0] : t == STRING ? Values.parseJson((String) v[0]) : Values.toDynamic(t, v[0]), pos);
            }
            case "tolower", "toupper" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                boolean lower = name.equals("tolower");
                yield c.rowWise(STRING, new CExpr[]{s}, v -> v[0] == null ? "" : lower ? ((String) v[0]).toLowerCase(java.util.Locale.ROOT) : ((String) v[0]).toUpperCase(java.util.Locale.ROOT), pos);
            }
            case "strlen" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(LONG, new CExpr[]{s}, v -> v[0] == null ? null : (long) ((String) v[0]).codePointCount(0, ((String) v[0]).length()), pos);
            }
            case "strcat" -> {
                if (x.length < 1) throw arityError(call, 1, 64);
                KqlType[] ts = types(x);
                yield c.rowWise(STRING, x, v -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < v.length; i++) b.append(Values.toText(ts[i], v[i]));
                    return b.toString();
                }, pos);
            }
            case "strcat_delim" -> {
                if (x.length < 2) throw arityError(call, 2, 64);
                KqlType[] ts = types(x);
                yield c.rowWise(STRING, x, v -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i < v.length; i++) {
                        if (i > 1) b.append(Values.toText(ts[0], v[0]));
                        b.append(Values.toText(ts[i], v[i]));
                    }
                    return b.toString();
                }, pos);
            }
            case "substring" -> {
                arity(call, 2, 3);
                CExpr s = str(x[0], c, name);
                CExpr[] args = x.length == 3 ? new CExpr[]{s, number(x[1], c, name), number(x[2], c, name)} : new CExpr[]{s, number(x[1], c, name)};
                yield c.rowWise(STRING, args, v -> {
                    String t = (String) v[0];
                    if (t == null || v[1] == null) return "";
                    long n = t.length();
                    long start = ((Number) v[1]).longValue();
                    // a negative start counts from the end: substring("123456", -2, 2) is "56"
                    if (start < 0) start = Math.max(0, n + start);
                    if (start >= n) return "";
                    long len = v.length == 3 && v[2] != null ? Math.clamp(((Number) v[2]).longValue(), 0, n) : n;
                    return t.substring((int) start, (int) Math.min(n, start + len));
                }, pos);
            }
            case "indexof" -> {
                arity(call, 2, 5);
                CExpr s = str(x[0], c, name);
                CExpr look = str(x[1], c, name);
                CExpr[] args = x.clone();
                args[0] = s;
                args[1] = look;
                for (int i = 2; i < args.length; i++) args[i] = number(args[i], c, name);
                yield c.rowWise(LONG, args, v -> {
                    if (v[0] == null || v[1] == null) return null;
                    String t = (String) v[0];
                    int start = v.length > 2 && v[2] != null ? (int) Math.clamp(((Number) v[2]).longValue(), -Integer.MAX_VALUE, Integer.MAX_VALUE) : 0;
                    if (start < 0) start = Math.max(0, t.length() + start);
                    if (start > t.length()) return null;
                    int occurrence = v.length > 4 && v[4] != null ? (int) Math.clamp(((Number) v[4]).longValue(), 0, Integer.MAX_VALUE) : 1;
                    int at = start - 1;
                    for (int k = 0; k < occurrence; k++) {
                        at = t.indexOf((String) v[1], at + 1);
                        if (at < 0) return -1L;
                    }
                    if (v.length > 3 && v[3] != null && ((Number) v[3]).longValue() >= 0
                            && at + ((String) v[1]).length() > start + ((Number) v[3]).longValue()) return -1L;
                    return (long) at;
                }, pos);
            }
            case "split" -> {
                arity(call, 2, 3);
                CExpr s = str(x[0], c, name);
                CExpr d = str(x[1], c, name);
                CExpr[] args = x.length == 3 ? new CExpr[]{s, d, number(x[2], c, name)} : new CExpr[]{s, d};
                yield c.rowWise(DYNAMIC, args, v -> {
                    String t = v[0] == null ? "" : (String) v[0];
                    String sep = v[1] == null ? "" : (String) v[1];
                    ArrayNode out = Values.NODES.arrayNode();
                    if (sep.isEmpty()) out.add(t);
                    else {
                        int from = 0;
                        while (true) {
                            int i = t.indexOf(sep, from);
                            if (i < 0) { out.add(t.substring(from)); break; }
                            out.add(t.substring(from, i));
                            from = i + sep.length();
                        }
                    }
                    if (v.length == 3 && v[2] != null) {
                        long idx = ((Number) v[2]).longValue();
                        ArrayNode one = Values.NODES.arrayNode();
                        if (idx >= 0 && idx < out.size()) one.add(out.get((int) idx));
                        return one;
                    }
                    return out;
                }, pos);
            }
            case "extract" -> {
                arity(call, 3, 4);
                Pattern p = Compiler.pattern(constText(x[0], "extract needs a constant regular expression"), a.get(0).pos());
                CExpr s = str(x[2], c, name);
                KqlType to = x.length == 4 ? typeArg(a.get(3)) : STRING;
                yield c.rowWise(to, new CExpr[]{number(x[1], c, name), s}, v -> {
                    if (v[0] == null || v[1] == null) return to == STRING ? "" : null;
                    Matcher m = p.matcher((String) v[1]);
                    long g = ((Number) v[0]).longValue();
                    if (!m.find() || g < 0 || g > m.groupCount() || m.group((int) g) == null) return to == STRING ? "" : null;
                    return to == STRING ? m.group((int) g) : convert(m.group((int) g), STRING, to);
                }, pos);
            }
            case "extract_all" -> {
                arity(call, 2, 2);
                Pattern p = Compiler.pattern(constText(x[0], "extract_all needs a constant regular expression"), a.get(0).pos());
                CExpr s = str(x[1], c, name);
                yield c.rowWise(DYNAMIC, new CExpr[]{s}, v -> {
                    if (v[0] == null) return null;
                    Matcher m = p.matcher((String) v[0]);
                    ArrayNode out = Values.NODES.arrayNode();
                    while (m.find()) {
                        if (m.groupCount() == 0) out.add(m.group());
                        else if (m.groupCount() == 1) out.add(m.group(1));
                        else {
                            ArrayNode groups = out.addArray();
                            for (int g = 1; g <= m.groupCount(); g++) groups.add(m.group(g));
                        }
                    }
                    return out.isEmpty() ? null : out;
                }, pos);
            }
            case "replace_string", "replace" -> {
                arity(call, 3, 3);
                CExpr[] s = {str(x[0], c, name), str(x[1], c, name), str(x[2], c, name)};
                yield c.rowWise(STRING, s, v -> v[0] == null ? "" : ((String) v[1]).isEmpty() ? v[0] : ((String) v[0]).replace((String) v[1], v[2] == null ? "" : (String) v[2]), pos);
            }
            case "replace_regex" -> {
                arity(call, 3, 3);
                Pattern p = Compiler.pattern(constText(x[1], "replace_regex needs a constant regular expression"), a.get(1).pos());
                CExpr[] s = {str(x[0], c, name), str(x[2], c, name)};
                yield c.rowWise(STRING, s, v -> v[0] == null ? "" : replaceRegex(p, (String) v[0], v[1] == null ? "" : (String) v[1]), pos);
            }
            case "trim", "trim_start", "trim_end" -> {
                arity(call, 2, 2);
                String re = constText(x[0], name + " needs a constant regular expression");
                Pattern start = Compiler.pattern("^(?:" + re + ")+", a.get(0).pos());
                Pattern end = Compiler.pattern("(?:" + re + ")+$", a.get(0).pos());
                CExpr s = str(x[1], c, name);
                yield c.rowWise(STRING, new CExpr[]{s}, v -> {
                    String t = v[0] == null ? "" : (String) v[0];
                    if (!name.equals("trim_end")) t = start.matcher(t).replaceFirst("");
                    if (!name.equals("trim_start")) t = end.matcher(t).replaceFirst("");
                    return t;
                }, pos);
            }
            case "countof" -> {
                arity(call, 2, 3);
                CExpr s = str(x[0], c, name);
                CExpr look = str(x[1], c, name);
                boolean regex = x.length == 3 && x[2].isConst() && "regex".equals(x[2].constValue());
                Pos lookPos = a.get(1).pos();
                yield c.rowWise(LONG, new CExpr[]{s, look}, v -> {
                    String t = (String) v[0], k = (String) v[1];
                    if (t == null || k == null || k.isEmpty()) return 0L;
                    long n = 0;
                    if (regex) {
                        Matcher m = Compiler.pattern(k, lookPos).matcher(t);
                        while (m.find()) n++;
                        return n;
                    }
                    for (int i = t.indexOf(k); i >= 0; i = t.indexOf(k, i + k.length())) n++;
                    return n;
                }, pos);
            }
            case "reverse" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(STRING, new CExpr[]{s}, v -> v[0] == null ? "" : new StringBuilder((String) v[0]).reverse().toString(), pos);
            }
            case "url_decode", "url_encode", "url_encode_component", "base64_encode_tostring", "base64_decode_tostring",
                 "base64_encodestring", "base64_decodestring", "hash_sha256", "hash_md5" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(STRING, new CExpr[]{s}, v -> v[0] == null ? "" : transform(name, (String) v[0]), pos);
            }
            case "parse_url" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(DYNAMIC, new CExpr[]{s}, v -> parseUrl((String) v[0]), pos);
            }
            case "ipv4_is_in_range", "ipv4_is_match" -> {
                arity(call, 2, 2);
                CExpr[] s = {str(x[0], c, name), str(x[1], c, name)};
                yield c.rowWise(BOOL, s, v -> Ipv4.inRange((String) v[0], (String) v[1]), pos);
            }
            case "ipv4_is_private" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(BOOL, new CExpr[]{s}, v -> Ipv4.isPrivate((String) v[0]), pos);
            }
            case "parse_ipv4" -> {
                arity(call, 1, 1);
                CExpr s = str(x[0], c, name);
                yield c.rowWise(LONG, new CExpr[]{s}, v -> Ipv4.parse((String) v[0]), pos);
            }
            case "round" -> {
                arity(call, 1, 2);
                CExpr[] args = x.length == 2 ? new CExpr[]{number(x[0], c, name), number(x[1], c, name)} : new CExpr[]{number(x[0], c, name)};
                yield c.rowWise(args[0].type == INT || args[0].type == LONG ? args[0].type : REAL, args, v -> {
                    if (v[0] == null) return null;
                    if (v[0] instanceof Long l) return l;
                    // a double has no digits past the 1,100th place; a larger scale would only build a huge number
                    int digits = v.length > 1 && v[1] != null ? (int) Math.clamp(((Number) v[1]).longValue(), -1_100, 1_100) : 0;
                    double d = ((Number) v[0]).doubleValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) return d;
                    return new java.math.BigDecimal(d).setScale(digits, java.math.RoundingMode.HALF_EVEN).doubleValue();
                }, pos);
            }
            case "abs" -> {
                arity(call, 1, 1);
                CExpr n = x[0].type == TIMESPAN ? x[0] : number(x[0], c, name);
                yield c.rowWise(n.type, new CExpr[]{n}, v -> v[0] == null ? null : v[0] instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs((Long) v[0]), pos);
            }
            case "sqrt", "log", "log10", "log2", "exp" -> {
                arity(call, 1, 1);
                yield c.rowWise(REAL, new CExpr[]{number(x[0], c, name)}, v -> {
                    if (v[0] == null) return null;
                    double d = ((Number) v[0]).doubleValue();
                    return switch (name) {
                        case "sqrt" -> Math.sqrt(d);
                        case "log" -> Math.log(d);
                        case "log10" -> Math.log10(d);
                        case "log2" -> Math.log(d) / Math.log(2);
                        default -> Math.exp(d);
                    };
                }, pos);
            }
            case "pow" -> {
                arity(call, 2, 2);
                yield c.rowWise(REAL, new CExpr[]{number(x[0], c, name), number(x[1], c, name)}, v -> v[0] == null || v[1] == null ? null : Math.pow(((Number) v[0]).doubleValue(), ((Number) v[1]).doubleValue()), pos);
            }
            case "bin", "floor" -> {
                arity(call, 2, 2);
                yield bin(x, c, call);
            }
            case "startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth", "endofyear" -> {
                arity(call, 1, 2);
                if (x[0].type != DATETIME) throw new KqlException(name + " needs a datetime, but this is " + x[0].type, a.get(0).pos());
                if (x.length > 1) x[1] = number(x[1], c, name);
                yield c.rowWise(DATETIME, x, v -> v[0] == null ? null : outOfRangeIsNull(() -> startOf(name, (Long) v[0], v.length > 1 && v[1] != null ? ((Number) v[1]).longValue() : 0)), pos);
            }
            case "dayofweek" -> {
                arity(call, 1, 1);
                yield c.rowWise(TIMESPAN, new CExpr[]{datetime(x[0], c, name)}, v -> v[0] == null ? null : (ldt((Long) v[0]).getDayOfWeek().getValue() % 7) * Ticks.PER_DAY, pos);
            }
            case "hourofday", "dayofmonth", "dayofyear", "getmonth", "monthofyear", "getyear", "week_of_year" -> {
                arity(call, 1, 1);
                yield c.rowWise(INT, new CExpr[]{datetime(x[0], c, name)}, v -> {
                    if (v[0] == null) return null;
                    LocalDateTime t = ldt((Long) v[0]);
                    return (long) switch (name) {
                        case "hourofday" -> t.getHour();
                        case "dayofmonth" -> t.getDayOfMonth();
                        case "dayofyear" -> t.getDayOfYear();
                        case "getmonth", "monthofyear" -> t.getMonthValue();
                        case "getyear" -> t.getYear();
                        default -> t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                    };
                }, pos);
            }
            case "datetime_diff" -> {
                arity(call, 3, 3);
                String part = partArg(x[0], call);
                yield c.rowWise(LONG, new CExpr[]{datetime(x[1], c, name), datetime(x[2], c, name)}, v -> v[0] == null || v[1] == null ? null : outOfRangeIsNull(() -> diff(part, (Long) v[0], (Long) v[1], call)), pos);
            }
            case "datetime_add" -> {
                arity(call, 3, 3);
                String part = partArg(x[0], call);
                yield c.rowWise(DATETIME, new CExpr[]{number(x[1], c, name), datetime(x[2], c, name)}, v -> v[0] == null || v[1] == null ? null : outOfRangeIsNull(() -> add(part, ((Number) v[0]).longValue(), (Long) v[1], call)), pos);
            }
            case "format_datetime" -> {
                arity(call, 2, 2);
                java.time.format.DateTimeFormatter f = dateFormat(constText(x[1], "format_datetime needs a constant format"), a.get(1).pos());
                yield c.rowWise(STRING, new CExpr[]{datetime(x[0], c, name)}, v -> v[0] == null ? "" : f.format(ldt((Long) v[0])), pos);
            }
            case "iff", "iif" -> {
                arity(call, 3, 3);
                c.requireBool(x[0], name);
                KqlType t = common(x[1], x[2], call);
                yield c.rowWise(t, x, v -> Boolean.TRUE.equals(bool(x[0].type, v[0])) ? Compiler.convert(v[1], x[1].type, t) : Compiler.convert(v[2], x[2].type, t), pos);
            }
            case "case" -> {
                if (x.length < 3 || x.length % 2 == 0) throw new KqlException("case needs pairs of predicate and value, then an else value", pos);
                KqlType t = x[1].type;
                for (int i = 1; i < x.length; i += 2) {
                    if (i + 1 < x.length) c.requireBool(x[i - 1], "case");
                    t = common(t, x[i], call);
                }
                t = common(t, x[x.length - 1], call);
                KqlType tt = t;
                yield c.rowWise(t, x, v -> {
                    for (int i = 0; i + 1 < v.length; i += 2) if (Boolean.TRUE.equals(bool(x[i].type, v[i]))) return Compiler.convert(v[i + 1], x[i + 1].type, tt);
                    return Compiler.convert(v[v.length - 1], x[x.length - 1].type, tt);
                }, pos);
            }
            case "coalesce" -> {
                if (x.length < 1) throw arityError(call, 1, 64);
                KqlType t = x[0].type;
                for (CExpr e : x) t = common(t, e, call);
                KqlType tt = t;
                yield c.rowWise(t, x, v -> {
                    for (int i = 0; i < v.length; i++) if (!Values.isEmptyValue(x[i].type, v[i]) || (x[i].type != STRING && v[i] != null)) return Compiler.convert(v[i], x[i].type, tt);
                    return tt == STRING ? "" : null;
                }, pos);
            }
            case "pack_array" -> {
                KqlType[] ts = types(x);
                yield c.rowWise(DYNAMIC, x, v -> {
                    ArrayNode out = Values.NODES.arrayNode();
                    for (int i = 0; i < v.length; i++) {
                        JsonNode n = Values.toDynamic(ts[i], v[i]);
                        out.add(n == null ? Values.NODES.nullNode() : n);
                    }
                    return out;
                }, pos);
            }
            case "pack", "bag_pack", "pack_dictionary" -> {
                if (x.length % 2 != 0) throw new KqlException(name + " needs pairs of key and value", pos);
                KqlType[] ts = types(x);
                yield c.rowWise(DYNAMIC, x, v -> {
                    ObjectNode out = Values.NODES.objectNode();
                    for (int i = 0; i + 1 < v.length; i += 2) {
                        JsonNode n = Values.toDynamic(ts[i + 1], v[i + 1]);
                        out.set(Values.toText(ts[i], v[i]), n == null ? Values.NODES.nullNode() : n);
                    }
                    return out;
                }, pos);
            }
            case "array_length" -> {
                arity(call, 1, 1);
                yield c.rowWise(LONG, new CExpr[]{dyn(x[0], c)}, v -> v[0] instanceof ArrayNode arr ? (Object) (long) arr.size() : null, pos);
            }
            case "set_has_element", "array_index_of" -> {
                arity(call, 2, 2);
                KqlType t = x[1].type;
                boolean index = name.equals("array_index_of");
                yield c.rowWise(index ? LONG : BOOL, new CExpr[]{dyn(x[0], c), x[1]}, v -> {
                    if (!(v[0] instanceof ArrayNode arr)) return null;
                    JsonNode want = Values.toDynamic(t, v[1]);
                    for (int i = 0; i < arr.size(); i++) if (arr.get(i).equals(want)) return index ? (Object) (long) i : (Object) true;
                    return index ? (Object) (-1L) : (Object) false;
                }, pos);
            }
            case "array_concat" -> {
                CExpr[] d = new CExpr[x.length];
                for (int i = 0; i < x.length; i++) d[i] = dyn(x[i], c);
                yield c.rowWise(DYNAMIC, d, v -> {
                    ArrayNode out = Values.NODES.arrayNode();
                    for (Object o : v) if (o instanceof ArrayNode arr) out.addAll(arr);
                    return out;
                }, pos);
            }
            case "array_strcat" -> {
                arity(call, 2, 2);
                yield c.rowWise(STRING, new CExpr[]{dyn(x[0], c), str(x[1], c, name)}, v -> {
                    if (!(v[0] instanceof ArrayNode arr)) return "";
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < arr.size(); i++) {
                        if (i > 0) b.append((String) v[1]);
                        b.append(Values.dynamicText(arr.get(i)));
                    }
                    return b.toString();
                }, pos);
            }
            case "bag_keys" -> {
                arity(call, 1, 1);
                yield c.rowWise(DYNAMIC, new CExpr[]{dyn(x[0], c)}, v -> {
                    if (!(v[0] instanceof ObjectNode o)) return null;
                    ArrayNode out = Values.NODES.arrayNode();
                    o.fieldNames().forEachRemaining(out::add);
                    return out;
                }, pos);
            }
            case "gettype" -> {
                arity(call, 1, 1);
                KqlType t = x[0].type;
                yield c.rowWise(STRING, x, v -> gettype(t, v[0]), pos);
            }
            case "datetime", "timespan", "dynamic", "int", "long", "real", "double", "bool", "guid", "decimal", "time" ->
                    throw new KqlException("'" + name + "(...)' takes a literal value", pos);
            default -> throw new KqlException("unknown function '" + name + "'", pos);
        };
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    static void arity(Call call, int min, int max) {
        int n = call.args().size();
        if (n < min || n > max) throw arityError(call, min, max);
    }

    static KqlException arityError(Call call, int min, int max) {
        String want = min == max ? String.valueOf(min) : max >= 64 ? "at least " + min : min + " to " + max;
        return new KqlException("function '" + call.name() + "' takes " + want + " argument" + (max == 1 && min == 1 ? "" : "s")
                + ", not " + call.args().size(), call.pos());
    }

    private static KqlType[] types(CExpr[] x) {
        KqlType[] t = new KqlType[x.length];
        for (int i = 0; i < x.length; i++) t[i] = x[i].type;
        return t;
    }

    private static long ticksOf(CExpr e, Call call) {
        if (!e.isConst() || e.type != TIMESPAN) throw new KqlException("'" + call.name() + "' needs a constant timespan (such as 30d)", e.pos);
        Object v = e.constValue();
        return v == null ? 0 : (Long) v;
    }

    /** The value of a constant string argument (a regular expression, a format); anything else is {@code error} at its place. */
    private static String constText(CExpr e, String error) {
        if (!e.isConst() || e.type != STRING) throw new KqlException(error, e.pos);
        return (String) e.constValue();
    }

    /**
     * A numeric argument (an index, a length, digits): int, long and real as they are, a dynamic read as a number (null
     * when it holds none); any other type is an error at the argument, as in Kusto, not a cast failing at run time.
     */
    static CExpr number(CExpr e, Compiler c, String fn) {
        if (e.type.isNumeric()) return e;
        if (e.type == DYNAMIC) return c.rowWise(REAL, new CExpr[]{e}, v -> Values.fromDynamic((JsonNode) v[0], REAL), e.pos);
        throw new KqlException("'" + fn + "' needs a number here, but this is " + e.type, e.pos);
    }

    /** A datetime argument: a datetime, or a dynamic read as one; any other type is an error at the argument. */
    static CExpr datetime(CExpr e, Compiler c, String fn) {
        if (e.type == DATETIME) return e;
        if (e.type == DYNAMIC) return c.rowWise(DATETIME, new CExpr[]{e}, v -> Values.fromDynamic((JsonNode) v[0], DATETIME), e.pos);
        throw new KqlException("'" + fn + "' needs a datetime here, but this is " + e.type, e.pos);
    }

    /** A string argument: strings as they are, other types through tostring. */
    static CExpr str(CExpr e, Compiler c, String fn) {
        if (e.type == STRING) return e;
        KqlType t = e.type;
        return c.rowWise(STRING, new CExpr[]{e}, v -> v[0] == null ? null : Values.toText(t, v[0]), e.pos);
    }

    private static CExpr dyn(CExpr e, Compiler c) {
        if (e.type == DYNAMIC) return e;
        KqlType t = e.type;
        return c.rowWise(DYNAMIC, new CExpr[]{e}, v -> t == STRING ? Values.parseJson((String) v[0]) : Values.toDynamic(t, v[0]), e.pos);
    }

    static Object bool(KqlType t, Object v) {
        if (v == null) return null;
        if (t == DYNAMIC) return Values.fromDynamic((JsonNode) v, BOOL);
        return v;
    }

    private static KqlType common(CExpr a, CExpr b, Call call) { return common(a.type, b, call); }

    private static KqlType common(KqlType a, CExpr b, Call call) {
        if (b.isConst() && b.constValue() == null) return a;
        if (a == b.type) return a;
        if (a.isNumeric() && b.type.isNumeric()) return a == REAL || b.type == REAL ? REAL : LONG;
        if (a == DYNAMIC || b.type == DYNAMIC) return DYNAMIC;
        throw new KqlException("the branches of '" + call.name() + "' have different types: " + a + " and " + b.type, call.pos());
    }

    private static KqlType typeArg(Ast.Expr e) {
        if (e instanceof Ast.Call c && c.name().equals("typeof") && c.args().size() == 1 && c.args().get(0) instanceof Ast.Name n) {
            for (KqlType t : KqlType.values()) if (t.kqlName().equals(n.name())) return t;
        }
        if (e instanceof Ast.Name n) for (KqlType t : KqlType.values()) if (t.kqlName().equals(n.name())) return t;
        throw new KqlException("expected typeof(<type>)", e.pos());
    }

    /** Conversions of tolong, todouble, todatetime, ...: what can't be read is null. */
    static Object convert(Object v, KqlType from, KqlType to) {
        if (v == null) return null;
        if (from == to) return v;
        if (from == DYNAMIC) return Values.fromDynamic((JsonNode) v, to);
        if (from == STRING) {
            String s = ((String) v).trim();
            return switch (to) {
                case INT, LONG -> { try { yield Long.parseLong(s); } catch (NumberFormatException e) { try { yield (long) Double.parseDouble(s); } catch (NumberFormatException e2) { yield null; } } }
                case REAL -> { try { yield Double.parseDouble(s); } catch (NumberFormatException e) { yield null; } }
                case BOOL -> s.equalsIgnoreCase("true") || s.equals("1") ? (Object) true : s.equalsIgnoreCase("false") || s.equals("0") ? (Object) false : null;
                case DATETIME -> KqlLiterals.datetimeOrNull(s);
                case TIMESPAN -> KqlLiterals.timespanOrNull(s);
                case DYNAMIC -> Values.parseJson((String) v);
                default -> v;
            };
        }
        return switch (to) {
            case INT -> v instanceof Number n ? (Object) (long) n.intValue() : v instanceof Boolean b ? (Object) (b ? 1L : 0L) : null;
            case LONG -> v instanceof Number n ? (Object) n.longValue() : v instanceof Boolean b ? (Object) (b ? 1L : 0L) : null;
            case REAL -> v instanceof Number n ? (Object) (from == DATETIME || from == TIMESPAN ? (double) n.longValue() : n.doubleValue()) : v instanceof Boolean b ? (Object) (b ? 1.0 : 0.0) : null;
            case BOOL -> v instanceof Number n ? (Object) (n.doubleValue() != 0) : null;
            case DATETIME -> from == LONG || from == INT ? v : null;
            case TIMESPAN -> from == LONG || from == INT ? v : null;
            case STRING -> Values.toText(from, v);
            case DYNAMIC -> Values.toDynamic(from, v);
        };
    }

    private static CExpr bin(CExpr[] x, Compiler c, Call call) {
        KqlType t = x[0].type;
        KqlType st = x[1].type;
        Pos pos = call.pos();
        if (t == DATETIME || t == TIMESPAN) {
            if (st != TIMESPAN) throw new KqlException("bin of a " + t + " needs a timespan size, not " + st, call.args().get(1).pos());
            return c.rowWise(t, x, v -> {
                if (v[0] == null || v[1] == null) return null;
                long size = (Long) v[1];
                if (size <= 0) return null;
                return Math.floorDiv((Long) v[0], size) * size;
            }, pos);
        }
        if ((t.isNumeric() || t == DYNAMIC) && !st.isNumeric()) {
            throw new KqlException("bin of a " + t + " needs a number as its size, not " + st, call.args().get(1).pos());
        }
        if (t == INT || t == LONG) {
            if (st == REAL) return c.rowWise(REAL, x, v -> v[0] == null || v[1] == null || ((Number) v[1]).doubleValue() <= 0 ? null : Math.floor(((Number) v[0]).doubleValue() / ((Number) v[1]).doubleValue()) * ((Number) v[1]).doubleValue(), pos);
            return c.rowWise(t, x, v -> v[0] == null || v[1] == null || ((Number) v[1]).longValue() <= 0 ? null : Math.floorDiv((Long) v[0], ((Number) v[1]).longValue()) * ((Number) v[1]).longValue(), pos);
        }
        if (t == REAL || t == DYNAMIC) {
            return c.rowWise(REAL, x, v -> {
                Object o = t == DYNAMIC ? Values.fromDynamic((JsonNode) v[0], REAL) : v[0];
                if (o == null || v[1] == null || ((Number) v[1]).doubleValue() <= 0) return null;
                double size = ((Number) v[1]).doubleValue();
                return Math.floor(((Number) o).doubleValue() / size) * size;
            }, pos);
        }
        throw new KqlException("bin does not apply to " + t, pos);
    }

    static LocalDateTime ldt(long ticks) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ticks, Ticks.PER_SECOND), (int) (Math.floorMod(ticks, Ticks.PER_SECOND) * 100), ZoneOffset.UTC);
    }

    private static long ticks(LocalDateTime t) { return Ticks.of(t.toInstant(ZoneOffset.UTC)); }

    /** Weeks start on Sunday in KQL. */
    static long startOf(String fn, long ticks, long offset) {
        LocalDateTime t = ldt(ticks);
        boolean end = fn.startsWith("end");
        String unit = fn.substring(end ? 5 : 7);
        LocalDateTime s = switch (unit) {
            case "day" -> t.truncatedTo(ChronoUnit.DAYS).plusDays(offset);
            case "week" -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).plusWeeks(offset);
            case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(offset);
            default -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1).plusYears(offset);
        };
        if (!end) return ticks(s);
        LocalDateTime next = switch (unit) {
            case "day" -> s.plusDays(1);
            case "week" -> s.plusWeeks(1);
            case "month" -> s.plusMonths(1);
            default -> s.plusYears(1);
        };
        return ticks(next) - 1;
    }

    /**
     * A date/time arithmetic result, or null when it leaves the range a datetime can hold (Kusto gives null there too)
     * rather than an overflow surfacing as an exception.
     */
    private static Object outOfRangeIsNull(java.util.function.Supplier<Object> f) {
        try {
            return f.get();
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    /** A format_datetime pattern, checked once on a sample date so a bad one is an error at its place, not at run time. */
    private static java.time.format.DateTimeFormatter dateFormat(String format, Pos pos) {
        try {
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(
                    format.replace("tt", "a").replace("f", "S"), java.util.Locale.ROOT);
            f.format(LocalDateTime.of(2000, 1, 1, 0, 0));
            return f;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new KqlException("format_datetime can't use the format '" + format + "': " + e.getMessage(), pos);
        }
    }

    /**
     * RE2's rewrite, as Kusto's replace_regex uses it: {@code \0} is the whole match, {@code \1}..{@code \9} the groups
     * (empty when the group did not take part or does not exist), {@code \\} a backslash; anything else, {@code $}
     * included, is literal text. Like RE2's GlobalReplace, an empty match right where the previous match ended is skipped.
     */
    static String replaceRegex(Pattern p, String s, String rewrite) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        int last = 0, lastEnd = -1;
        for (int from = 0; from <= s.length() && m.find(from); from = m.end() > m.start() ? m.end() : m.end() + 1) {
            if (m.start() == m.end() && m.start() == lastEnd) continue; // RE2: no empty match right where the last one ended
            out.append(s, last, m.start());
            for (int i = 0; i < rewrite.length(); i++) {
                char ch = rewrite.charAt(i);
                if (ch != '\\' || i + 1 == rewrite.length()) {
                    out.append(ch);
                    continue;
                }
                char next = rewrite.charAt(++i);
                if (next < '0' || next > '9') out.append(next);
                else if (next - '0' <= m.groupCount() && m.group(next - '0') != null) out.append(m.group(next - '0'));
            }
            last = lastEnd = m.end();
        }
        return out.append(s, last, s.length()).toString();
    }

    private static String partArg(CExpr e, Call call) {
        if (!e.isConst() || e.type != STRING) throw new KqlException("'" + call.name() + "' needs a constant period such as 'day'", e.pos);
        return ((String) e.constValue()).toLowerCase(java.util.Locale.ROOT);
    }

    private static ChronoUnit unit(String part, Call call) {
        return switch (part) {
            case "year" -> ChronoUnit.YEARS;
            case "quarter" -> null;
            case "month" -> ChronoUnit.MONTHS;
            case "week" -> ChronoUnit.WEEKS;
            case "day" -> ChronoUnit.DAYS;
            case "hour" -> ChronoUnit.HOURS;
            case "minute" -> ChronoUnit.MINUTES;
            case "second" -> ChronoUnit.SECONDS;
            case "millisecond" -> ChronoUnit.MILLIS;
            case "microsecond" -> ChronoUnit.MICROS;
            case "nanosecond" -> ChronoUnit.NANOS;
            default -> throw new KqlException("unknown period '" + part + "'", call.pos());
        };
    }

    private static Object diff(String part, long a, long b, Call call) {
        if (part.equals("quarter")) return (long) ((ldt(a).getYear() * 12 + ldt(a).getMonthValue() - 1) / 3 - (ldt(b).getYear() * 12 + ldt(b).getMonthValue() - 1) / 3);
        ChronoUnit u = unit(part, call);
        // Kusto counts boundaries crossed: truncate both to the unit first
        return switch (u) {
            case YEARS -> (long) (ldt(a).getYear() - ldt(b).getYear());
            case MONTHS -> (long) ((ldt(a).getYear() - ldt(b).getYear()) * 12 + ldt(a).getMonthValue() - ldt(b).getMonthValue());
            case WEEKS -> Math.floorDiv(startOf("startofweek", a, 0) - startOf("startofweek", b, 0), 7 * Ticks.PER_DAY);
            case DAYS -> Math.floorDiv(a, Ticks.PER_DAY) - Math.floorDiv(b, Ticks.PER_DAY);
            case HOURS -> Math.floorDiv(a, Ticks.PER_HOUR) - Math.floorDiv(b, Ticks.PER_HOUR);
            case MINUTES -> Math.floorDiv(a, Ticks.PER_MINUTE) - Math.floorDiv(b, Ticks.PER_MINUTE);
            case SECONDS -> Math.floorDiv(a, Ticks.PER_SECOND) - Math.floorDiv(b, Ticks.PER_SECOND);
            case MILLIS -> Math.floorDiv(a, Ticks.PER_MILLISECOND) - Math.floorDiv(b, Ticks.PER_MILLISECOND);
            case MICROS -> Math.floorDiv(a, 10) - Math.floorDiv(b, 10);
            default -> Math.multiplyExact(Math.subtractExact(a, b), 100);
        };
    }

    private static Object add(String part, long n, long t, Call call) {
        if (part.equals("quarter")) return ticks(ldt(t).plusMonths(3 * n));
        ChronoUnit u = unit(part, call);
        return switch (u) {
            case NANOS -> Math.addExact(t, n / 100);
            case MICROS -> Math.addExact(t, Math.multiplyExact(n, 10));
            default -> ticks(ldt(t).plus(n, u));
        };
    }

    private static String transform(String fn, String s) {
        try {
            return switch (fn) {
                case "url_decode" -> URLDecoder.decode(s, StandardCharsets.UTF_8);
                case "url_encode", "url_encode_component" -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
                case "base64_encode_tostring", "base64_encodestring" -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
                case "base64_decode_tostring", "base64_decodestring" -> new String(Base64.getDecoder().decode(s.trim()), StandardCharsets.UTF_8);
                case "hash_sha256" -> HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
                default -> HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
            };
        } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
            return "";
        }
    }

    private static JsonNode parseUrl(String s) {
        if (s == null || s.isEmpty()) return null;
        ObjectNode o = Values.NODES.objectNode();
        try {
            URI u = new URI(s);
            o.put("Scheme", u.getScheme() == null ? "" : u.getScheme());
            o.put("Host", u.getHost() == null ? "" : u.getHost());
            o.put("Port", u.getPort() < 0 ? "" : String.valueOf(u.getPort()));
            o.put("Path", u.getRawPath() == null ? "" : u.getRawPath());
            String user = u.getRawUserInfo();
            o.put("Username", user == null ? "" : user.split(":", 2)[0]);
            o.put("Password", user == null || !user.contains(":") ? "" : user.split(":", 2)[1]);
            ObjectNode q = o.putObject("Query Parameters");
            if (u.getRawQuery() != null) {
                for (String kv : u.getRawQuery().split("&")) {
                    if (kv.isEmpty()) continue;
                    String[] p = kv.split("=", 2);
                    q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
                }
            }
            o.put("Fragment", u.getRawFragment() == null ? "" : u.getRawFragment());
            return o;
        } catch (Exception e) {
            return o;
        }
    }

    private static String gettype(KqlType t, Object v) {
        if (t != DYNAMIC) return t == KqlType.TIMESPAN ? "timespan" : t.kqlName();
        if (v == null) return "null";
        JsonNode n = (JsonNode) v;
        if (n.isArray()) return "array";
        if (n.isObject()) return "dictionary";
        if (n.isTextual()) return "string";
        if (n.isBoolean()) return "bool";
        if (n.isIntegralNumber()) return "long";
        if (n.isNumber()) return "real";
        return "null";
    }
}
