// Binder edge cases compared with PowerShell: prefixes shared with the framework's parameters, a parameter
// given twice under different spellings, the "-Switch $false" trap, positional order, mandatory $null and
// empty values, pipeline input converted from Java property values, and REST parameters.
package dev.gatehouse.cmdlet;

import static dev.gatehouse.cmdlet.BinderTest.GET_CONNECTOR;
import static dev.gatehouse.cmdlet.BinderTest.NEW_DOMAIN;
import static dev.gatehouse.cmdlet.BinderTest.err;
import static dev.gatehouse.cmdlet.BinderTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinderEdgeCasesTest {
    static final CmdletDefinition<Void> ROUTE = CmdletDefinition.<Void>builder("Get-Route")
            .parameter(ParameterDefinition.of("Destination", ParameterType.string()).at(1))
            .parameter(ParameterDefinition.of("Source", ParameterType.string()).at(0))
            .parameter(ParameterDefinition.of("Via", ParameterType.string()).at(2))
            .handler((p, c) -> List.of())
            .build();

    record Piped(String identity, OffsetDateTime whenChanged, SampleOrg.DomainType domainType, ByteQuantifiedSize maxSize,
            long priority, boolean enabled, List<String> senderDomains, String unrelated) {}

    static final CmdletDefinition<Void> SET_DOMAIN = CmdletDefinition.<Void>builder("Set-AcceptedDomain")
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0)
                    .fromPipelineByPropertyName().alias("DomainName"))
            .parameter(ParameterDefinition.of("WhenChanged", ParameterType.dateTime()).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("DomainType", ParameterType.enumOf(SampleOrg.DomainType.class))
                    .fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("MaxSize", ParameterType.byteSize()).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("Priority", ParameterType.int32()).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("Enabled", ParameterType.bool()).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("SenderDomains", ParameterType.stringArray()).fromPipelineByPropertyName())
            .handler((p, c) -> List.of())
            .build();

    static final CmdletDefinition<Void> REMOVE_BY_VALUE = CmdletDefinition.<Void>builder("Remove-AcceptedDomain")
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).required().at(0).fromPipeline())
            .handler((p, c) -> List.of())
            .build();

    /** Binds {@code args} and then one piped object, as the runner does for a command after a '|'. */
    static BoundParameters piped(CmdletDefinition<?> def, String args, Object input) throws Binder.Failure {
        ParsedCommand command = ScriptParserTest.single(def.name() + (args.isEmpty() ? "" : " " + args));
        return Binder.complete(Binder.bindArguments(def, command), input, new ArrayList<>());
    }

    static BindingError pipedError(CmdletDefinition<?> def, String args, Object input) {
        try {
            BoundParameters p = piped(def, args, input);
            throw new AssertionError("expected a binding error, bound " + p);
        } catch (Binder.Failure f) {
            return f.error;
        }
    }

    @Test void aPrefixSharedWithTheFrameworksParametersIsAmbiguous() {
        BindingError e = err(NEW_DOMAIN, "x -DomainName a.com -W");
        assertThat(e.message()).isEqualTo("Parameter cannot be processed because the parameter name 'W' is ambiguous. "
                + "Possible matches include: -WhatIf -WarningAction.");
        assertThat(e.parameter()).isEqualTo("W");
        BoundParameters p = ok(GET_CONNECTOR, "-Verb");
        assertThat(p.common()).containsEntry("Verbose", true);
        assertThat(p.asMap()).isEmpty();
    }

    @Test void theSameParameterUnderAPrefixOrAnAliasIsSpecifiedMoreThanOnce() {
        BindingError prefix = err(NEW_DOMAIN, "x -DomainName a.com -DomainN b.com");
        assertThat(prefix.message()).startsWith("Cannot bind parameter because parameter 'DomainName' is specified more than once.");
        assertThat(prefix.parameter()).isEqualTo("DomainName");
        assertThat(prefix.value()).isEqualTo("b.com");
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -WhatIf -wi").message())
                .startsWith("Cannot bind parameter because parameter 'WhatIf' is specified more than once.");
        assertThat(err(GET_CONNECTOR, "-ea Stop -ErrorAction Continue").message())
                .startsWith("Cannot bind parameter because parameter 'ErrorAction' is specified more than once.");
    }

    @Test void aSwitchFollowedByFalseAfterASpaceIsSetAndFalseBecomesAPositionalValue() {
        BoundParameters p = ok(NEW_DOMAIN, "-DomainName a.com -Force $false");
        assertThat(p.asMap()).containsEntry("Force", true).containsEntry("Name", "False");
        BindingError e = err(NEW_DOMAIN, "x -DomainName a.com -Force $false");
        assertThat(e.message()).isEqualTo("A positional parameter cannot be found that accepts argument '$false'.");
        assertThat(e.parameter()).isNull();
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -Force:$false").isSet("Force")).isFalse();
    }

    @Test void positionalValuesFillThePositionsInOrderSkippingNamedOnes() {
        assertThat(ok(ROUTE, "a b c").asMap())
                .containsEntry("Source", "a").containsEntry("Destination", "b").containsEntry("Via", "c");
        assertThat(ok(ROUTE, "-Source a b c").asMap())
                .containsEntry("Source", "a").containsEntry("Destination", "b").containsEntry("Via", "c");
        assertThat(ok(ROUTE, "b -Destination x c").asMap())
                .containsEntry("Source", "b").containsEntry("Destination", "x").containsEntry("Via", "c");
        assertThat(err(ROUTE, "a b c d").message()).isEqualTo("A positional parameter cannot be found that accepts argument 'd'.");
    }

    @Test void aPlaceholderInPositionNamesTheParameterItWouldHaveFilled() {
        BindingError e = err(GET_CONNECTOR, "<identity>");
        assertThat(e.message()).isEqualTo("Cannot bind parameter 'Identity'. The value <identity> is a placeholder copied "
                + "from documentation; replace it with a real value of type System.String.");
        assertThat(e.parameter()).isEqualTo("Identity");
    }

    @Test void mandatoryParametersRejectNullAndEmptyValuesAsPowerShellDoes() {
        BindingError nul = err(NEW_DOMAIN, "$null -DomainName a.com");
        assertThat(nul.message()).isEqualTo("Cannot bind argument to parameter 'Name' because it is null.");
        assertThat(nul.parameter()).isEqualTo("Name");
        assertThat(err(NEW_DOMAIN, "'' -DomainName a.com").message())
                .isEqualTo("Cannot bind argument to parameter 'Name' because it is an empty string.");
        assertThat(err(CmdletMetadataTest.RELEASE, "x -User @()").message())
                .isEqualTo("Cannot bind argument to parameter 'User' because it is an empty array.");
        assertThat(err(CmdletMetadataTest.RELEASE, "x -User $null").message())
                .isEqualTo("Cannot bind argument to parameter 'User' because it is null.");
        // optional parameters keep $null and '' ("clear this property")
        assertThat(ok(GET_CONNECTOR, "-Comment ''").asMap()).containsEntry("Comment", "");
        assertThat(ok(GET_CONNECTOR, "-SenderIPAddresses @()").asMap()).containsEntry("SenderIPAddresses", List.of());
    }

    @Test void aPipedObjectWithANullMandatoryPropertyIsRefused() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("Identity", null);
        BindingError e = pipedError(SET_DOMAIN, "", input);
        assertThat(e.message()).isEqualTo("Cannot bind argument to parameter 'Identity' because it is null.");
    }

    @Test void pipedPropertyValuesAreConvertedLikeTypedArguments() throws Exception {
        OffsetDateTime changed = OffsetDateTime.of(2025, 12, 24, 0, 0, 0, 0, ZoneOffset.UTC);
        Piped input = new Piped("contoso.com", changed, SampleOrg.DomainType.InternalRelay, new ByteQuantifiedSize(35L << 20),
                7L, true, List.of("a.contoso.com", "b.contoso.com"), "ignored");
        BoundParameters p = piped(SET_DOMAIN, "", input);
        assertThat(p.asMap()).containsExactly(Map.entry("Identity", "contoso.com"), Map.entry("WhenChanged", changed),
                Map.entry("DomainType", SampleOrg.DomainType.InternalRelay), Map.entry("MaxSize", new ByteQuantifiedSize(35L << 20)),
                Map.entry("Priority", 7), Map.entry("Enabled", true),
                Map.entry("SenderDomains", List.of("a.contoso.com", "b.contoso.com")));
    }

    @Test void pipedPropertiesAlsoMatchAParametersAlias() throws Exception {
        assertThat(piped(SET_DOMAIN, "", Map.of("domainname", "fabrikam.com")).asMap())
                .containsExactly(Map.entry("Identity", "fabrikam.com"));
    }

    @Test void aParameterGivenOnTheCommandLineIsNotReplacedByPipedInput() throws Exception {
        BoundParameters p = piped(SET_DOMAIN, "-Identity fixed.com", Map.of("Identity", "other.com", "Priority", 3));
        assertThat(p.asMap()).containsEntry("Identity", "fixed.com").containsEntry("Priority", 3);
        BindingError e = pipedError(SET_DOMAIN, "-Identity fixed.com", Map.of("Identity", "other.com"));
        assertThat(e.message()).isEqualTo("The input object cannot be bound to any parameters for the command either "
                + "because the command does not take pipeline input or the input and its properties do not match any of "
                + "the parameters that take pipeline input.");
    }

    @Test void pipedValuesThatDoNotConvertNameTheParameterAndTheValue() {
        BindingError e = pipedError(SET_DOMAIN, "", Map.of("Identity", "contoso.com", "Priority", "high"));
        assertThat(e.message()).isEqualTo("Cannot bind parameter 'Priority'. Cannot convert value \"high\" to type "
                + "\"System.Int32\". Error: \"Input string was not in a correct format.\"");
        assertThat(e.parameter()).isEqualTo("Priority");
        assertThat(e.value()).isEqualTo("high");
        assertThat(pipedError(SET_DOMAIN, "", Map.of("Identity", List.of("a.com", "b.com"))).message())
                .startsWith("Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Identity'.");
    }

    @Test void byValueBindingTakesScalarsButNotObjects() throws Exception {
        assertThat(piped(REMOVE_BY_VALUE, "", "contoso.com").string("Identity")).isEqualTo("contoso.com");
        assertThat(piped(REMOVE_BY_VALUE, "", 42).string("Identity")).isEqualTo("42");
        assertThat(piped(REMOVE_BY_VALUE, "", SampleOrg.DomainType.Authoritative).string("Identity")).isEqualTo("Authoritative");
        assertThat(pipedError(REMOVE_BY_VALUE, "", SampleOrg.CONTOSO).message())
                .startsWith("The input object cannot be bound to any parameters for the command");
    }

    @Test void restParametersBindWithTheSameConversionsAndErrors() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("senderipaddresses", List.of("192.0.2.1", "198.51.100.0/24"));
        parameters.put("Settings", Map.of("Mode", "strict"));
        parameters.put("Comment", null);
        parameters.put("Port", 2525L);
        parameters.put("MaxSize", 1048576);
        BoundParameters p = bindRest(GET_CONNECTOR, parameters).parameters();
        assertThat(p.asMap()).containsEntry("SenderIPAddresses", List.of("192.0.2.1", "198.51.100.0/24"))
                .containsEntry("Settings", Map.of("Mode", "strict")).containsEntry("Comment", null)
                .containsEntry("Port", 2525).containsEntry("MaxSize", new ByteQuantifiedSize(1 << 20));
        // a REST string is a quoted string: text in angle brackets is a value, not a placeholder
        assertThat(bindRest(GET_CONNECTOR, Map.of("Comment", "<from the portal>")).parameters().string("Comment"))
                .isEqualTo("<from the portal>");
        assertThat(bindRest(NEW_DOMAIN, Map.of("Name", "x", "DomainName", "a.com", "Force", false)).parameters().isSet("Force"))
                .isFalse();
        BindingError e = ((Binding.Failed) Binder.bind(GET_CONNECTOR,
                ParsedCommand.of("Get-InboundConnector", Map.of("SenderIPAdresses", "192.0.2.1")))).error();
        assertThat(e.formatted()).isEqualTo("Get-InboundConnector: A parameter cannot be found that matches parameter name "
                + "'SenderIPAdresses'. Did you mean -SenderIPAddresses?");
    }

    static Binding.Bound bindRest(CmdletDefinition<?> def, Map<String, ?> parameters) {
        Binding b = Binder.bind(def, ParsedCommand.of(def.name(), parameters));
        if (b instanceof Binding.Failed f) throw new AssertionError(f.error().formatted());
        return (Binding.Bound) b;
    }
}
