// The values a script can write: strings, booleans, numbers, $null, lists, hashtables and a present switch.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A literal value from the script. Every value keeps its exact {@code source} text and {@code position},
 * so the binder can convert it to the parameter's type (a {@code 10MB} stays "10MB" for a
 * ByteQuantifiedSize, a {@code 07/01/2025} stays a string until a DateTime parameter reads it) and name it
 * in error messages.
 */
public sealed interface Value {
    String source();

    Position position();

    /** How a string was written. */
    enum Quoting { BARE, SINGLE, DOUBLE }

    /** A string: a bare word, or a quoted string with its escapes already applied in {@code value}. */
    record Text(String value, Quoting quoting, String source, Position position) implements Value {}

    /** {@code $true} or {@code $false}. */
    record Bool(boolean value, String source, Position position) implements Value {}

    /** A number such as {@code 5}, {@code -1.5}, {@code 0x1F} or {@code 10MB} (multiplier applied). */
    record Number(BigDecimal value, String source, Position position) implements Value {}

    /** {@code $null}. */
    record Null(String source, Position position) implements Value {}

    /** {@code a,b,c} or {@code @(a, b)}; {@code @()} is an empty list. */
    record ListOf(List<Value> items, String source, Position position) implements Value {
        public ListOf { items = List.copyOf(items); }
    }

    /** {@code @{Add='x'; Remove='y'}}: keys in written order (unique ignoring case). */
    record Table(Map<String, Value> entries, String source, Position position) implements Value {
        public Table { entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries)); }
    }

    /** The implicit value of a switch written without a value ({@code -WhatIf}). */
    record SwitchPresent(String source, Position position) implements Value {}
}
