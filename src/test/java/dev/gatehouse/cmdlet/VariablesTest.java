// Unit tests of Variables: $true, $false and $null in every spelling, their expansion inside double-quoted strings
// and bare words, literal dollars, and the errors for every other variable, assignment and subexpression.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VariablesTest {

    static Value value(String text) { return ValueParserTest.value(text); }

    static SyntaxError error(String script) {
        ParseResult r = ScriptParser.parse(script);
        assertThat(r).as("expected a syntax error for %s", script).isInstanceOf(ParseResult.Failed.class);
        return ((ParseResult.Failed) r).error();
    }

    static String unknown(String name) {
        return "The variable '" + name + "' cannot be retrieved because it has not been set. Gatehouse knows only "
                + "$true, $false and $null.";
    }

    @ParameterizedTest
    @ValueSource(strings = {"$true", "$TRUE", "$True", "${true}", "${TrUe}"})
    void trueInAnyCaseAndWithBraces(String text) {
        Value v = value(text);
        assertThat(v).isInstanceOfSatisfying(Value.Bool.class, b -> assertThat(b.value()).isTrue());
        assertThat(v.source()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$false", "$FALSE", "${false}"})
    void falseInAnyCase(String text) {
        assertThat(value(text)).isInstanceOfSatisfying(Value.Bool.class, b -> assertThat(b.value()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$null", "$NULL", "${Null}"})
    void nullInAnyCase(String text) {
        assertThat(value(text)).isInstanceOf(Value.Null.class);
    }

    @Test void expansionInsideDoubleQuotesAndBareWords() {
        assertThat(ValueParserTest.text(value("\"on: $true, off: $false, none: [$null]\""))).isEqualTo("on: True, off: False, none: []");
        assertThat(ValueParserTest.text(value("\"${true}x\""))).isEqualTo("Truex");
        assertThat(ValueParserTest.text(value("\"$True$FALSE\""))).isEqualTo("TrueFalse");
        assertThat(ValueParserTest.text(value("prefix-$true"))).isEqualTo("prefix-True");
        assertThat(ValueParserTest.text(value("a$null.b"))).isEqualTo("a.b");
    }

    @Test void aDollarNotFollowedByANameIsLiteral() {
        assertThat(ValueParserTest.text(value("\"cost: $ 5\""))).isEqualTo("cost: $ 5");
        assertThat(ValueParserTest.text(value("\"50$\""))).isEqualTo("50$");
        assertThat(ValueParserTest.text(value("\"$.\""))).isEqualTo("$.");
        assertThat(ValueParserTest.text(value("a$"))).isEqualTo("a$");
        assertThat(ValueParserTest.text(value("$"))).isEqualTo("$");
        assertThat(ValueParserTest.text(value("\"`$HOME\""))).isEqualTo("$HOME");
        assertThat(ValueParserTest.text(value("'$HOME'"))).isEqualTo("$HOME");
    }

    @Test void unknownVariablesAreErrorsPositionedAtTheDollar() {
        SyntaxError bare = error("Set-Mailbox -Identity $mailbox");
        assertThat(bare.message()).isEqualTo(unknown("$mailbox"));
        assertThat(bare.column()).isEqualTo(23);
        SyntaxError quoted = error("Set-TransportRule x -Comments \"Blocked by $policy today\"");
        assertThat(quoted.message()).isEqualTo(unknown("$policy"));
        assertThat(quoted.column()).isEqualTo(43);
        SyntaxError secondLine = error("Get-A\nSet-B -Name \"Pa$5word\"");
        assertThat(secondLine.message()).isEqualTo(unknown("$5word"));
        assertThat(secondLine).extracting(SyntaxError::line, SyntaxError::column).containsExactly(2, 16);
        assertThat(error("Set-B -Name \"$trueish\"").message()).isEqualTo(unknown("$trueish"));
        assertThat(error("Set-B -Name a$x").message()).isEqualTo(unknown("$x"));
    }

    @Test void specialVariablesAreNamedAsWritten() {
        assertThat(error("Set-B \"a$?b\"").message()).isEqualTo(unknown("$?"));
        assertThat(error("Set-B $^").message()).isEqualTo(unknown("$^"));
        assertThat(error("Set-B $$").message()).isEqualTo(unknown("$$"));
        assertThat(error("Set-B ${a b}").message()).isEqualTo(unknown("$a b"));
        assertThat(error("Set-B $env:USERPROFILE").message()).contains("cannot be retrieved because it has not been set");
        assertThat(error("Set-B $_").message()).isEqualTo("The variable '$_' cannot be retrieved because it has not been "
                + "set. $_ exists only inside script blocks, which Gatehouse does not support.");
    }

    @Test void anUnclosedBracedNameAsksForMoreInput() {
        SyntaxError e = error("Set-B ${mailbox");
        assertThat(e.message()).isEqualTo("Missing closing '}' in the variable name '${...}'.");
        assertThat(e.incomplete()).isTrue();
    }

    @Test void memberAccessAndOtherExpressionsAfterAVariable() {
        assertThat(error("Set-B $true.ToString").message()).isEqualTo("Unexpected token '.' after '$true'. Member access "
                + "and other expressions are not supported in Gatehouse.");
        assertThat(error("Set-B $null[0]").message()).startsWith("Unexpected token '[' after '$null'.");
        assertThat(error("Set-B -Enabled $false=1").column()).isEqualTo(22);
        assertThat(ValueParserTest.items(value("$true,$false"))).hasSize(2);
    }

    @Test void subexpressionsAreUnsupportedEverywhere() {
        for (String script : List.of("Set-B $(Get-Date)", "Set-B \"now $(Get-Date)\"", "Set-B a$(1)", "$(Get-A)")) {
            assertThat(error(script).message()).as(script).isEqualTo("Subexpressions such as '$(...)' are not supported "
                    + "in Gatehouse; write the value itself.");
        }
    }

    // --- a statement that starts with '$' -----------------------------------------------------------------

    @Test void assignmentsAreUnsupported() {
        for (String script : List.of("$x = Get-Mailbox", "$x=1", "$x += 1", "$x -= 1", "$x *= 2", "$x /= 2", "$x %= 2",
                "${x} = 2", "$x \u2013= 1")) {
            SyntaxError e = error(script);
            assertThat(e.message()).as(script).startsWith("Assignments such as '$").endsWith(" = ...' are not supported "
                    + "in Gatehouse; write each value directly in the command that uses it.");
            assertThat(e.column()).isEqualTo(1);
        }
        assertThat(error("Get-A\n  $domains = 'a','b'").message()).startsWith("Assignments such as '$domains = ...'");
    }

    @Test void aKnownValueCannotBeACommand() {
        assertThat(error("$true").message()).isEqualTo("A value such as '$true' cannot be a command. Start each command "
                + "with a cmdlet name, such as Get-AcceptedDomain.");
        assertThat(error("$NULL | Set-A").message()).startsWith("A value such as '$NULL' cannot be a command.");
        assertThat(error("$").message()).startsWith("A value such as '$' cannot be a command.");
    }

    @Test void anUnknownVariableAsACommandIsTheUnknownVariableError() {
        assertThat(error("$mailboxes | Set-Mailbox -Enabled $false").message()).isEqualTo(unknown("$mailboxes"));
        assertThat(error("$_.Name").message()).contains("exists only inside script blocks");
    }
}
