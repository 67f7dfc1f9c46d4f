// The prefix of an SPF mechanism (RFC 7208 §4.6.2): what a match means.
package dev.gatehouse.spf;

/** {@code +} pass (the default), {@code -} fail, {@code ~} softfail, {@code ?} neutral. */
enum Qualifier {
    PASS('+', SpfResult.Result.PASS),
    FAIL('-', SpfResult.Result.FAIL),
    SOFTFAIL('~', SpfResult.Result.SOFTFAIL),
    NEUTRAL('?', SpfResult.Result.NEUTRAL);

    final char symbol;
    final SpfResult.Result result;

    Qualifier(char symbol, SpfResult.Result result) {
        this.symbol = symbol;
        this.result = result;
    }

    /** The qualifier written as {@code c}, or null when {@code c} is not one. */
    static Qualifier of(char c) {
        for (Qualifier q : values()) {
            if (q.symbol == c) return q;
        }
        return null;
    }
}
