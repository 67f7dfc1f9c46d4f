// The syntax tree of a KQL query: what the parser builds and the planner reads.
package dev.gatehouse.kql;

import java.util.List;

/**
 * A query is a list of {@code let} statements and a final tabular expression. Tabular expressions are a source and a
 * list of {@code | operator}s; scalar expressions are {@link Expr}s. Every node carries the position of its first
 * token. Names are kept exactly as written (KQL is case-sensitive); bracket-quoted names ({@code ['Malware Emails']})
 * arrive unquoted.
 */
public final class Ast {
    private Ast() {}

    /** {@code let}s first, then the tabular expression whose rows are the result. */
    public record Query(List<Let> lets, Tabular body, Pos pos) {}

    /**
     * {@code let name = value;}. {@code value} is a {@link Tabular} when the right side is plainly tabular (it has a
     * top-level {@code |}, or starts with {@code union}, {@code datatable}, {@code print}, {@code range} or a
     * parenthesised tabular expression); otherwise an {@link Expr}. A bare name ({@code let T = EmailEvents;}) is an
     * {@link Name} expression: the planner decides whether it names a table.
     */
    public record Let(String name, Node value, Pos pos) {}

    /** Either kind of node a {@code let} can bind. */
    public sealed interface Node permits Tabular, Expr {
        Pos pos();
    }

    // ---- tabular ----------------------------------------------------------------------------------------------

    /** A source followed by zero or more {@code | operator}s. */
    public sealed interface Tabular extends Node permits Pipeline {}

    public record Pipeline(Source source, List<Op> ops, Pos pos) implements Tabular {}

    public sealed interface Source permits TableRef, UnionSource, Nested, Datatable, Print {
        Pos pos();
    }

    /** A table or a tabular {@code let} name ({@code EmailEvents}, {@code T}). */
    public record TableRef(String name, Pos pos) implements Source {}

    /** {@code union [kind=inner|outer] [withsource=Col] [isfuzzy=true] T1, T2, ...} as the first thing in a pipeline. */
    public record UnionSource(List<Tabular> tables, String kind, String withSource, boolean isFuzzy, Pos pos) implements Source {}

    /** {@code ( tabular )}. */
    public record Nested(Tabular inner, Pos pos) implements Source {}

    /** {@code datatable (A:string, B:long) [ 'x', 1, 'y', 2 ]}: values are literals, row-major. */
    public record Datatable(List<ColumnDef> columns, List<Expr> values, Pos pos) implements Source {}

    /** {@code print [Name =] expr, ...}: one row. */
    public record Print(List<NamedExpr> columns, Pos pos) implements Source {}

    /** One {@code | operator}. */
    public sealed interface Op permits Where, Project, ProjectAway, ProjectKeep, ProjectRename, ProjectReorder, Extend,
            Summarize, Top, Sort, Take, Distinct, Count, Union, Join, Render {
        Pos pos();
    }

    /** {@code where p} (also {@code filter p}). */
    public record Where(Expr predicate, Pos pos) implements Op {}

    /** {@code project a, b = expr, ...}. */
    public record Project(List<NamedExpr> columns, Pos pos) implements Op {}

    /** {@code project-away a, b*}: names or wildcard patterns ({@code *} anywhere). */
    public record ProjectAway(List<String> patterns, Pos pos) implements Op {}

    /** {@code project-keep a, b*}. */
    public record ProjectKeep(List<String> patterns, Pos pos) implements Op {}

    /** {@code project-rename New = Old, ...}. */
    public record ProjectRename(List<Rename> renames, Pos pos) implements Op {}

    public record Rename(String newName, String oldName, Pos pos) {}

    /** {@code project-reorder a, b*, c asc}: listed names or patterns first (the direction, if any, is ignored). */
    public record ProjectReorder(List<String> patterns, Pos pos) implements Op {}

    /** {@code extend [Name =] expr, ...}; {@code (A, B) = ...} is not supported. */
    public record Extend(List<NamedExpr> columns, Pos pos) implements Op {}

    /** {@code summarize [Name =] agg(...), ... [by [Name =] expr, ...]}; {@code aggregates} may be empty (distinct by). */
    public record Summarize(List<NamedExpr> aggregates, List<NamedExpr> by, Pos pos) implements Op {}

    /** {@code top N by expr [asc|desc] [nulls first|last]}. */
    public record Top(Expr count, SortKey by, Pos pos) implements Op {}

    /** {@code sort by ...} / {@code order by ...}. */
    public record Sort(List<SortKey> keys, Pos pos) implements Op {}

    /**
     * @param ascending  true only when {@code asc} is written: KQL sorts descending by default
     * @param nullsFirst null when not written (KQL default: nulls last when descending, first when ascending)
     */
    public record SortKey(Expr expr, boolean ascending, Boolean nullsFirst, Pos pos) {}

    /** {@code take N} / {@code limit N}. */
    public record Take(Expr count, Pos pos) implements Op {}

    /** {@code distinct a, b} or {@code distinct *} (then {@code columns} is empty). */
    public record Distinct(List<NamedExpr> columns, boolean all, Pos pos) implements Op {}

    /** {@code count}: one row, column {@code Count}. */
    public record Count(Pos pos) implements Op {}

    /** {@code | union [kind=...] [withsource=C] [isfuzzy=true] T2, T3}: the piped input is the first table. */
    public record Union(List<Tabular> tables, String kind, String withSource, boolean isFuzzy, Pos pos) implements Op {}

    /**
     * {@code join [kind=K] [hint.x=y ...] (Right) on Key, $left.A == $right.B, ...}.
     * @param kind as written, lower-cased ({@code inner}, {@code leftouter}, ...), or null for the default innerunique
     */
    public record Join(String kind, Tabular right, List<JoinKey> keys, Pos pos) implements Op {}

    /** {@code on A} gives {@code left = right = "A"}; {@code $left.A == $right.B} gives A and B. */
    public record JoinKey(String left, String right, Pos pos) {}

    /** {@code render timechart [with (title="x", ...)]}: accepted and returned as a chart hint. */
    public record Render(String visualization, List<NamedExpr> properties, Pos pos) implements Op {}

    /** An expression with an optional name ({@code Name = expr}); {@code name} is null when not written. */
    public record NamedExpr(String name, Expr expr, Pos pos) {}

    /** {@code Name:type} in {@code datatable}. */
    public record ColumnDef(String name, KqlType type, Pos pos) {}

    // ---- scalar ------------------------------------------------------------------------------------------------

    public sealed interface Expr extends Node permits Literal, Name, Star, Member, Index, Call, Unary, Binary, In,
            Between, ToScalar {}

    /**
     * A literal of {@code type}, with the value boxed as {@link KqlType} says ({@code 30d} is a TIMESPAN of ticks,
     * {@code datetime(2025-01-01)} a DATETIME of ticks, {@code dynamic([1,"a"])} a DYNAMIC JsonNode,
     * {@code long(null)} a LONG null).
     */
    public record Literal(KqlType type, Object value, Pos pos) implements Expr {}

    /** A column, a scalar/list {@code let} name, or (in some places) a table name. */
    public record Name(String name, Pos pos) implements Expr {}

    /** {@code *} as an argument, as in {@code arg_max(Timestamp, *)}. */
    public record Star(Pos pos) implements Expr {}

    /** {@code target.member} (dynamic member access). */
    public record Member(Expr target, String member, Pos pos) implements Expr {}

    /** {@code target[index]}: an array index (negative counts from the end) or a member name as a string. */
    public record Index(Expr target, Expr index, Pos pos) implements Expr {}

    /** {@code name(args)}: scalar functions and aggregations alike; the planner tells them apart. */
    public record Call(String name, List<Expr> args, Pos pos) implements Expr {}

    /** {@code -x}, {@code +x}. */
    public record Unary(String op, Expr operand, Pos pos) implements Expr {}

    /**
     * {@code left op right}. {@code op} is the operator as KQL spells it: {@code + - * / % == != < <= > >= =~ !~
     * and or}, the string operators ({@code has !has has_cs !has_cs hasprefix !hasprefix hasprefix_cs
     * !hasprefix_cs hassuffix !hassuffix hassuffix_cs !hassuffix_cs contains !contains contains_cs !contains_cs
     * startswith !startswith startswith_cs !startswith_cs endswith !endswith endswith_cs !endswith_cs}), and
     * {@code matches regex}.
     */
    public record Binary(String op, Expr left, Expr right, Pos pos) implements Expr {}

    /**
     * {@code left op (items)} for {@code in !in in~ !in~ has_any has_all}. {@code items} are the expressions in the
     * parentheses; when the parentheses hold a tabular expression ({@code in ((T | project X))} or a pipeline),
     * {@code tabular} is set and {@code items} is empty. A single bare name ({@code in (L)}) is a {@link Name} item:
     * the planner decides whether it is a list, a scalar or a tabular {@code let}.
     */
    public record In(String op, Expr left, List<Expr> items, Tabular tabular, Pos pos) implements Expr {}

    /** {@code x between (lo .. hi)} / {@code x !between (lo .. hi)}. */
    public record Between(Expr value, Expr low, Expr high, boolean negated, Pos pos) implements Expr {}

    /** {@code toscalar(tabular)}: the first column of the first row. */
    public record ToScalar(Tabular tabular, Pos pos) implements Expr {}
}
