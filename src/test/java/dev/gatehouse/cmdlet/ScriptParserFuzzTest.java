// Jazzer fuzz test: any text given to ScriptParser yields a parsed script or a positioned syntax error, and
// binding what parsed never throws. Plain `./mvnw test` replays the stored inputs (regression mode).
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

class ScriptParserFuzzTest {
    enum Kind { Authoritative, InternalRelay }

    /** One cmdlet with a parameter of every type, so the binder's conversions are exercised too. */
    static final CmdletRegistry<Void> REGISTRY = new CmdletRegistry<Void>().register(
            CmdletDefinition.<Void>builder("Set-Thing").supportsShouldProcess().alias("st")
                    .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
                    .parameter(ParameterDefinition.of("Names", ParameterType.stringArray()).at(1))
                    .parameter(ParameterDefinition.of("Addresses", ParameterType.multiValued()))
                    .parameter(ParameterDefinition.of("Enabled", ParameterType.bool()))
                    .parameter(ParameterDefinition.of("Priority", ParameterType.int32(0, 100)))
                    .parameter(ParameterDefinition.of("Kind", ParameterType.enumOf(Kind.class)))
                    .parameter(ParameterDefinition.of("Start", ParameterType.dateTime()))
                    .parameter(ParameterDefinition.of("Size", ParameterType.byteSize()))
                    .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
                    .parameter(ParameterDefinition.of("Table", ParameterType.hashtable()))
                    .handler((p, c) -> List.of())
                    .build());

    @FuzzTest(maxDuration = "30s")
    void parsesOrReportsAPositionedError(byte[] data) {
        check(new String(data, StandardCharsets.UTF_8));
    }

    /** Structure-aware: the fuzzer's bytes choose cmdlets, parameters and values of every kind. */
    @FuzzTest(maxDuration = "30s")
    void generatedScriptsParseAndBindWithoutThrowing(com.code_intelligence.jazzer.api.FuzzedDataProvider data) {
        check(ScriptGenerator.generate(n -> data.remainingBytes() == 0 ? 0 : data.consumeInt(0, n - 1)));
    }

    static void check(String text) {
        ParseResult result = ScriptParser.parse(text);
        switch (result) {
            case ParseResult.Failed f -> {
                SyntaxError e = f.error();
                assertThat(e.message()).isNotBlank();
                assertThat(e.line()).isBetween(1, lineCount(text));
                assertThat(e.column()).isBetween(1, text.length() + 1);
            }
            case ParseResult.Parsed p -> {
                for (Pipeline pipeline : p.script().pipelines()) {
                    assertThat(pipeline.commands()).isNotEmpty();
                    for (ParsedCommand command : pipeline.commands()) {
                        assertThat(command.name()).isNotEmpty();
                        assertThat(command.position().offset()).isBetween(0, text.length());
                        for (Argument a : command.arguments()) {
                            assertThat(a.position().offset()).isBetween(0, text.length());
                        }
                        Binding binding = Binder.bind(REGISTRY, command);
                        if (binding instanceof Binding.Failed failed) assertThat(failed.error().message()).isNotBlank();
                    }
                }
            }
        }
    }

    private static int lineCount(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) lines++;
        }
        return lines;
    }
}
