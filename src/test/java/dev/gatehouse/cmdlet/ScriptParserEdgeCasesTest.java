// Edge cases of ScriptParser beyond ScriptParserTest: statement separators and line endings, command names,
// parameter tokens, positions, the public results (Script, ParsedCommand, SyntaxError, ParseException) and
// what an interactive shell should treat as "read another line".
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptParserEdgeCasesTest {

    static Script parse(String text) { return ScriptParserTest.parse(text); }

    static ParsedCommand single(String text) { return ScriptParserTest.single(text); }

    static SyntaxError error(String text) { return ScriptParserTest.error(text); }

    static List<String> names(Script s) {
        List<String> names = new ArrayList<>();
        s.pipelines().forEach(p -> p.commands().forEach(c -> names.add(c.name())));
        return names;
    }

    static Argument.Named named(ParsedCommand c, int i) { return (Argument.Named) c.arguments().get(i); }

    // --- statements ---------------------------------------------------------------------------------------

    @Test void statementsSeparatedByEveryLineEndingAndSemicolons() {
        Script s = parse("Get-A\r\nGet-B\rGet-C\nGet-D; Get-E ;Get-F;;\n\n;Get-G");
        assertThat(names(s)).containsExactly("Get-A", "Get-B", "Get-C", "Get-D", "Get-E", "Get-F", "Get-G");
        assertThat(s.pipelines()).hasSize(7).allMatch(p -> p.commands().size() == 1);
        assertThat(s.pipelines().get(2).position()).isEqualTo(new Position(3, 1, 13));
    }

    @Test void onlyBlanksCommentsAndSeparatorsIsAnEmptyScript() {
        for (String text : List.of(" ", "\t\n\r\n", ";;;", "# c", "<# c #>", "`\n", " ; # c\n <# d\n #> ;")) {
            assertThat(parse(text).pipelines()).as(text.replace("\n", "\\n")).isEmpty();
        }
    }

    @Test void pipelinesAcrossLinesAndComments() {
        Script s = parse("Get-A |\r\n\r\n  # why\n  Set-B -X 1 | <# fmt #> fl");
        assertThat(s.pipelines()).hasSize(1);
        assertThat(s.pipelines().getFirst().commands()).extracting(ParsedCommand::name).containsExactly("Get-A", "Set-B", "fl");
        assertThat(s.pipelines().getFirst().commands().get(1).position()).extracting(Position::line, Position::column)
                .containsExactly(4, 3);
    }

    @Test void aLineStartingWithAPipeIsAnEmptyPipeElement() {
        SyntaxError e = error("Get-A\n| Set-B");
        assertThat(e.message()).isEqualTo("An empty pipe element is not allowed.");
        assertThat(e).extracting(SyntaxError::line, SyntaxError::column).containsExactly(2, 1);
        assertThat(error("Get-A |; Get-B").incomplete()).isFalse();
        assertThat(error("Get-A ||").message()).startsWith("The '||' operator is not supported");
    }

    // --- command names --------------------------------------------------------------------------------------

    @Test void commandNamesAreWordsUpToABlankOrAnOperator() {
        assertThat(names(parse("Get-Thing2;fl;Export-Csv|ft;x.y;New-Item\u2013Typographic"))).containsExactly(
                "Get-Thing2", "fl", "Export-Csv", "ft", "x.y", "New-Item\u2013Typographic");
        assertThat(single("Get-A# not a comment").name()).isEqualTo("Get-A#");
        assertThat(error("Get-A(1)").message()).startsWith("Parenthesized expressions");
        assertThat(error("Get-A{ }").message()).startsWith("Script blocks");
    }

    @Test void statementsThatAreNotCommandsSayWhy() {
        String expressions = "Expressions are not supported in Gatehouse: start each command with a cmdlet name, such as "
                + "Get-AcceptedDomain.";
        for (String text : List.of("'Get-A'", "\"Get-A\"", "5", "-Name x", "\u2013Name x", ",a", "+1", "(Get-A)", "@(1)",
                "@{a=1}", "\u201CGet-A\u201D")) {
            assertThat(error(text).message()).as(text).isEqualTo(expressions);
        }
        assertThat(error("[int]5").message()).startsWith("Type expressions such as '[int]'");
        assertThat(error("& Get-A").message()).isEqualTo("The '&' operator is not supported in Gatehouse.");
        assertThat(error("&'Get-A'").message()).isEqualTo("The call operator '&' is not supported in Gatehouse; write "
                + "the cmdlet name directly.");
        assertThat(error(". .\\connect.ps1").message()).startsWith("Running scripts");
        assertThat(error(".\\connect.ps1").message()).startsWith("Running scripts");
        assertThat(error("./connect.ps1").message()).startsWith("Running scripts");
        assertThat(error("< x").message()).isEqualTo("The '<' operator is reserved for future use.");
        assertThat(error(")").message()).isEqualTo("Unexpected token ')' in expression or statement.");
    }

    @Test void keywordsAndScriptBlockCmdletsInAnyCase() {
        for (String keyword : List.of("foreach", "FOREACH", "For", "while", "function", "Param", "try", "return", "exit",
                "class", "throw")) {
            String message = error(keyword + " x").message();
            assertThat(message).as(keyword).isIn(
                    "The PowerShell keyword '" + keyword + "' is not supported in Gatehouse: a script is a list of cmdlet "
                            + "pipelines, one per line.",
                    "ForEach-Object (and its aliases % and foreach) is not supported in Gatehouse, because script "
                            + "blocks cannot run here. Pipe a getter straight into the cmdlet instead, for example "
                            + "Get-AcceptedDomain | Set-AcceptedDomain -MatchSubDomains $true.");
        }
        assertThat(error("Get-A | FOREACH-OBJECT Name").message()).startsWith("ForEach-Object");
        assertThat(error("Get-A | where Name -eq x").message()).startsWith("Where-Object");
        assertThat(error("Get-A | WHERE-object").column()).isEqualTo(9);
        // Names that merely start like a keyword are commands.
        assertThat(names(parse("Format-List; ifconfig; Trace-Thing; Where-Thing"))).containsExactly("Format-List",
                "ifconfig", "Trace-Thing", "Where-Thing");
    }

    // --- parameters -----------------------------------------------------------------------------------------

    @Test void aDashIsAParameterOnlyBeforeALetterUnderscoreOrQuestionMark() {
        ParsedCommand c = single("Set-A -5 - -- -_x 1 -? -\u00E9t\u00E9 2");
        assertThat(c.arguments().get(0)).isInstanceOf(Argument.Positional.class);
        assertThat(((Argument.Positional) c.arguments().get(0)).value()).isInstanceOf(Value.Number.class);
        assertThat(ScriptParserTest.text(((Argument.Positional) c.arguments().get(1)).value())).isEqualTo("-");
        assertThat(ScriptParserTest.text(((Argument.Positional) c.arguments().get(2)).value())).isEqualTo("--");
        assertThat(named(c, 3).name()).isEqualTo("_x");
        assertThat(named(c, 4).name()).isEqualTo("?");
        assertThat(named(c, 4).syntax()).isEqualTo(Argument.Syntax.NONE);
        assertThat(named(c, 5).name()).isEqualTo("\u00E9t\u00E9");
    }

    @Test void aNegativeNumberAfterAParameterIsItsValue() {
        ParsedCommand c = single("Set-A -Priority -1 -Offset:-2.5");
        assertThat(((Value.Number) named(c, 0).value()).value()).isEqualByComparingTo("-1");
        assertThat(named(c, 0).syntax()).isEqualTo(Argument.Syntax.SPACE);
        assertThat(((Value.Number) named(c, 1).value()).value()).isEqualByComparingTo("-2.5");
    }

    @Test void aSwitchEndsAtTheNextParameterPipeOrStatement() {
        for (String text : List.of("Set-A -WhatIf", "Set-A -WhatIf -Confirm:$false", "Set-A -WhatIf | fl",
                "Set-A -WhatIf; Get-B", "Set-A -WhatIf\nGet-B", "Set-A -WhatIf # comment", "Set-A -WhatIf `\n -Force")) {
            Argument.Named first = named(parse(text).pipelines().getFirst().commands().getFirst(), 0);
            assertThat(first.syntax()).as(text.replace("\n", "\\n")).isEqualTo(Argument.Syntax.NONE);
            assertThat(first.value()).isEqualTo(new Value.SwitchPresent("-WhatIf", new Position(1, 7, 6)));
        }
        assertThat(named(single("Set-A -Force \u2013Confirm:$false"), 0).syntax()).isEqualTo(Argument.Syntax.NONE);
    }

    @Test void aColonValueMayFollowBlanksButNotANewline() {
        assertThat(ScriptParserTest.text(named(single("Set-A -Name:   x"), 0).value())).isEqualTo("x");
        assertThat(ScriptParserTest.text(named(single("Set-A -Name: `\n x"), 0).value())).isEqualTo("x");
        List<Value> list = ((Value.ListOf) named(single("Set-A -Name:a,b"), 0).value()).items();
        assertThat(list).hasSize(2);
        SyntaxError e = error("Set-A -Name:\nx");
        assertThat(e.message()).isEqualTo("Missing an argument for parameter 'Name'. Write the value right after the "
                + "colon, for example -Name:$false.");
        assertThat(e.column()).isEqualTo(12);
        assertThat(error("Set-A -Name:)").message()).startsWith("Missing an argument for parameter 'Name'.");
        assertThat(error("Set-A -Name: ;").message()).startsWith("Missing an argument for parameter 'Name'.");
    }

    @Test void parameterNamesEndAtABlankOrAColon() {
        SyntaxError dot = error("Set-A -Name.txt");
        assertThat(dot.message()).isEqualTo("Unexpected character '.' in parameter name '-Name'. A parameter name is "
                + "letters and digits, followed by a space or ':'.");
        assertThat(dot.column()).isEqualTo(12);
        assertThat(error("Set-A -Name=x").message()).startsWith("Unexpected character '=' in parameter name '-Name'.");
        assertThat(error("Set-A -Name'x'").message()).startsWith("Unexpected character ''' in parameter name '-Name'.");
        assertThat(error("Set-A -Name,x").message()).isEqualTo("Missing expression before ','.");
    }

    @Test void typographicDashesBeforeParametersAndInsideValues() {
        ParsedCommand c = single("Set-A \u2013Name a\u2013b \u2014Other \u2013 \u2015Last \u2013x");
        assertThat(named(c, 0).name()).isEqualTo("Name");
        assertThat(ScriptParserTest.text(named(c, 0).value())).isEqualTo("a\u2013b");
        assertThat(ScriptParserTest.text(named(c, 1).value())).isEqualTo("\u2013");
        assertThat(named(c, 2).name()).isEqualTo("Last");
        assertThat(named(c, 3).name()).isEqualTo("x");
    }

    @Test void unicodeBlanksSeparateArguments() {
        ParsedCommand c = single("Set-A\u00A0-Name\u2003x\u3000y\t-On:$true");
        assertThat(c.name()).isEqualTo("Set-A");
        assertThat(c.arguments()).hasSize(3);
        assertThat(ScriptParserTest.text(((Argument.Positional) c.arguments().get(1)).value())).isEqualTo("y");
    }

    // --- what the results are ----------------------------------------------------------------------------------

    @Test void argumentsKeepSourceOrderAndPositions() {
        ParsedCommand c = parse("Get-A\n  Set-B x -N:'a b'  -S y").pipelines().get(1).commands().getFirst();
        assertThat(c.arguments()).extracting(Argument::position).extracting(Position::column).containsExactly(9, 11, 21);
        assertThat(c.arguments()).extracting(Argument::position).extracting(Position::line).containsOnly(2);
        assertThat(named(c, 1).value().source()).isEqualTo("'a b'");
        assertThat(named(c, 1).value().position().column()).isEqualTo(14);
        assertThat(c.position()).isEqualTo(new Position(2, 3, 8));
    }

    @Test void namedFindsTheFirstMatchIgnoringCaseWithoutPrefixes() {
        ParsedCommand c = single("Set-A pos -Name one -NAME two -Names three");
        assertThat(ScriptParserTest.text(c.named("name").orElseThrow().value())).isEqualTo("one");
        assertThat(ScriptParserTest.text(c.named("NAMES").orElseThrow().value())).isEqualTo("three");
        assertThat(c.named("Nam")).isEmpty();
        assertThat(c.named("pos")).isEmpty();
    }

    @Test void ofBuildsColonArgumentsFromJsonValues() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("Identity", "contoso.com");
        parameters.put("MatchSubDomains", true);
        parameters.put("Priority", 3);
        parameters.put("Ratio", 1.5);
        parameters.put("Domains", List.of("a.com", "b.com"));
        parameters.put("Edit", Map.of("Add", "x.com"));
        parameters.put("Comment", null);
        ParsedCommand c = ParsedCommand.of("Set-AcceptedDomain", parameters);
        assertThat(c.name()).isEqualTo("Set-AcceptedDomain");
        assertThat(c.arguments()).hasSize(7).allMatch(a -> ((Argument.Named) a).syntax() == Argument.Syntax.COLON);
        assertThat(c.position()).isEqualTo(new Position(1, 1, 0));
        assertThat(((Value.Text) c.named("Identity").orElseThrow().value()).value()).isEqualTo("contoso.com");
        assertThat(((Value.Bool) c.named("MatchSubDomains").orElseThrow().value()).value()).isTrue();
        assertThat(((Value.Number) c.named("Priority").orElseThrow().value()).value()).isEqualByComparingTo("3");
        assertThat(((Value.Number) c.named("Ratio").orElseThrow().value()).value()).isEqualByComparingTo(new BigDecimal("1.5"));
        assertThat(((Value.ListOf) c.named("Domains").orElseThrow().value()).items()).hasSize(2);
        assertThat(((Value.Table) c.named("Edit").orElseThrow().value()).entries()).containsOnlyKeys("Add");
        assertThat(c.named("Comment").orElseThrow().value()).isInstanceOf(Value.Null.class);
    }

    @Test void resultsAreImmutable() {
        Script s = parse("Get-A x | Set-B");
        assertThatThrownBy(() -> s.pipelines().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.pipelines().getFirst().commands().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.pipelines().getFirst().commands().getFirst().arguments().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        List<Argument> arguments = new ArrayList<>();
        ParsedCommand c = new ParsedCommand("Get-A", arguments, new Position(1, 1, 0));
        arguments.add(new Argument.Positional(new Value.Null("$null", new Position(1, 7, 6)), new Position(1, 7, 6)));
        assertThat(c.arguments()).isEmpty();
    }

    @Test void theSameTextAlwaysParsesToEqualResults() {
        String text = "Set-A -Name 'x' -List a,@(b,c) -T @{Add=1} -WhatIf | fl";
        assertThat(ScriptParser.parse(text)).isEqualTo(ScriptParser.parse(text));
    }

    // --- errors as values and as exceptions ----------------------------------------------------------------------

    @Test void syntaxErrorsFormatLikePowerShell() {
        SyntaxError e = error("Get-A\nGet-B\n    Set-C -Name 'open");
        assertThat(e.formatted()).isEqualTo("At line:3 char:17: The string is missing the terminator: '.");
        assertThat(new SyntaxError("m", 2, 3)).isEqualTo(new SyntaxError("m", 2, 3, false));
    }

    @Test void parseOrThrowReturnsTheScriptOrThrowsThePositionedError() throws ParseException {
        assertThat(ScriptParser.parseOrThrow("Get-A; Get-B").pipelines()).hasSize(2);
        assertThat(ScriptParser.parseOrThrow(null).pipelines()).isEmpty();
        ParseException ex = catchThrowableOfType(ParseException.class, () -> ScriptParser.parseOrThrow("Get-A | "));
        assertThat(ex.error()).isEqualTo(new SyntaxError("An empty pipe element is not allowed.", 1, 7, true));
        assertThat(ex).hasMessage("At line:1 char:7: An empty pipe element is not allowed.");
    }

    @Test void errorsPointAtTheFirstProblemOnly() {
        SyntaxError e = error("Get-A -Name $x -Other $y");
        assertThat(e.message()).contains("'$x'");
        assertThat(e.column()).isEqualTo(13);
        assertThat(error("Get-A\nGet-B )\nGet-C (").line()).isEqualTo(2);
    }

    @Test void needsMoreInputForEveryConstructLeftOpen() {
        for (String partial : List.of("Set-A -Name 'it''", "Set-A -Name \u2018open", "Set-A -Name \"a`n", "Set-A -Name \u201Copen",
                "Set-A ${x", "Set-A -L a,", "Set-A -L a,\n", "Set-A -L @(1,\n", "Set-A -T @{a=1;", "Set-A -T @{a=1\n",
                "Set-A -T @{a", "Set-A -T @{a=", "Set-A -T @{Add=@(", "Get-A |\n\n", "Get-A <# still open\n",
                "Set-A -Name \"line one\nline two")) {
            assertThat(ScriptParser.needsMoreInput(partial)).as(partial.replace("\n", "\\n")).isTrue();
        }
    }

    @Test void aMistakeIsNotIncompleteInputEvenAtTheEnd() {
        for (String wrong : List.of("Set-A -Name:", "Set-A -L @(1,\n)", "Set-A -L a,,", "Get-A )", "Set-A -T @{a=1}}",
                "Set-A -Name \"`u{41\"", "Get-A ||", "Set-A $x", "Set-A -Name x.txt -N.x", "$x = 1", "Get-A\n| Set-B")) {
            ParseResult r = ScriptParser.parse(wrong);
            assertThat(r).as(wrong).isInstanceOf(ParseResult.Failed.class);
            assertThat(ScriptParser.needsMoreInput(wrong)).as(wrong.replace("\n", "\\n")).isFalse();
        }
        assertThat(ScriptParser.needsMoreInput("Get-A")).isFalse();
        assertThat(ScriptParser.needsMoreInput(null)).isFalse();
    }

    @Test void veryLongInputsParse() {
        String many = "Get-A -Name x\n".repeat(5000);
        assertThat(parse(many).pipelines()).hasSize(5000);
        String longList = "Set-A -L " + "a,".repeat(20_000) + "z";
        assertThat(((Value.ListOf) named(single(longList), 0).value()).items()).hasSize(20_001);
        String longString = "Set-A -Name '" + "x".repeat(100_000) + "'";
        assertThat(ScriptParserTest.text(named(single(longString), 0).value())).hasSize(100_000);
    }
}
