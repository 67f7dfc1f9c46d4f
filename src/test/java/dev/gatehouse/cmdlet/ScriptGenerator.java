// Builds plausible scripts (cmdlets, parameters, values, lists, arrays, hashtables, noise) from a stream of
// choices, so the fuzz and random tests reach the binder's conversions and not only the tokenizer.
package dev.gatehouse.cmdlet;

import java.util.function.IntUnaryOperator;

final class ScriptGenerator {
    private static final String[] COMMANDS = {"Set-Thing", "st", "Get-Thing", "Format-List", "Select-Object", "Export-Csv"};
    private static final String[] PARAMETERS = {"Identity", "Names", "Addresses", "Enabled", "Priority", "Kind", "Start",
        "Size", "Force", "Table", "WhatIf", "Confirm", "ErrorAction", "I", "N", "E", "Nope", "?"};
    private static final String[] ATOMS = {"$true", "$false", "$null", "$x", "0", "1", "-1", "101", "0x1F", "1e3", "1.5",
        "10MB", "1.5GB", "'10 MB'", "contoso.com", "'it''s'", "\"a`tb\"", "\u2018typo'", "\u201Cq\u201D", "07/01/2025",
        "2025-07-01T10:00:00Z", "'13/45/2025'", "<start>", "internalrelay", "Authoritative", "yes", "''", "\"\"",
        "192.0.2.0/24", "*.contoso.com", "`n", "$", "Stop"};
    private static final String[] SEPARATORS = {" ", " ", " ", "\n", ";", " | ", " `\n ", " # c\n", " <# c #> "};
    private static final String[] DASHES = {"-", "-", "\u2013", "\u2014", "\u2015"};

    private final IntUnaryOperator choose;
    private final StringBuilder sb = new StringBuilder();
    private int budget = 200;

    private ScriptGenerator(IntUnaryOperator choose) { this.choose = choose; }

    /** A script of up to a few statements; {@code choose.applyAsInt(n)} returns a number in [0, n). */
    static String generate(IntUnaryOperator choose) {
        ScriptGenerator g = new ScriptGenerator(choose);
        int statements = 1 + g.pick(3);
        for (int i = 0; i < statements; i++) {
            if (i > 0) g.sb.append(g.one(SEPARATORS));
            g.command();
        }
        return g.sb.toString();
    }

    private int pick(int n) { return Math.floorMod(choose.applyAsInt(n), n); }

    private String one(String[] options) { return options[pick(options.length)]; }

    private void command() {
        sb.append(one(COMMANDS));
        int args = pick(6);
        for (int i = 0; i < args && budget-- > 0; i++) {
            sb.append(' ');
            switch (pick(4)) {
                case 0 -> value(0);
                case 1 -> sb.append(one(DASHES)).append(one(PARAMETERS));
                case 2 -> { sb.append(one(DASHES)).append(one(PARAMETERS)).append(':'); value(0); }
                default -> { sb.append(one(DASHES)).append(one(PARAMETERS)).append(' '); value(0); }
            }
        }
    }

    private void value(int depth) {
        if (budget-- <= 0 || depth > 3) {
            sb.append(one(ATOMS));
            return;
        }
        switch (pick(6)) {
            case 0 -> { value(depth + 1); sb.append(pick(2) == 0 ? "," : ", "); value(depth + 1); }
            case 1 -> { sb.append("@("); elements(depth); sb.append(')'); }
            case 2 -> {
                sb.append("@{");
                int n = pick(3);
                for (int i = 0; i < n; i++) {
                    if (i > 0) sb.append(pick(2) == 0 ? "; " : "\n");
                    sb.append(one(new String[] {"Add", "Remove", "a", "'k'", "Add"})).append('=');
                    value(depth + 1);
                }
                sb.append('}');
            }
            default -> sb.append(one(ATOMS));
        }
    }

    private void elements(int depth) {
        int n = pick(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(one(new String[] {",", ", ", "\n", ";"}));
            value(depth + 1);
        }
    }
}
