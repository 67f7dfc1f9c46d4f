// Seeded random scripts built from PowerShell token fragments, checked like the fuzz test on every build.
package dev.gatehouse.cmdlet;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptParserRandomInputTest {
    private static final String[] FRAGMENTS = {
        "Set-Thing", "st", "Get-Thing", " ", " ", " ", "\n", "\r\n", ";", "|", "-", "\u2013", "\u2014", "\u2015", "-Identity",
        "-Names", "-Enabled", "-Priority", "-Kind", "-Start", "-Size", "-Force", "-Table", "-Addresses", "-WhatIf",
        "-Confirm:", ":", "$true", "$false", "$null", "$x", "$", "$(", "${", "'", "''", "\u2018", "\u2019", "\"", "\"\"",
        "\u201C", "\u201D", "\u201E", "`", "`n", "`\n", "`u{", "}", "{", "(", ")", "@(", "@{", "@", "=", ",", "#", "<#",
        "#>", "<", ">", "<start>", "&", "&&", "a", "contoso.com", "192.0.2.0/24", "07/01/2025", "2025-07-01T10:00:00Z",
        "10MB", "1.5GB", "0x1F", "-3", "1e3", "1e99999", "*.contoso.com", "internalrelay", "%", "?", "ForEach-Object",
        "if", "\u00A0", "\t", "\0", "\uD83D", "\uDE00",
    };

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomScriptsParseOrFailWithAPosition(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(30);
            for (int j = 0; j < n; j++) sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            ScriptParserFuzzTest.check(sb.toString());
            ScriptParserFuzzTest.check(ScriptGenerator.generate(random::nextInt));
        }
    }
}
