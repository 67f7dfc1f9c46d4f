// Unit tests of Binder: name resolution, positions, switches, every conversion, and PowerShell's error messages.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinderTest {
    enum DomainType { Authoritative, InternalRelay }

    static final CmdletDefinition<Void> NEW_DOMAIN = CmdletDefinition.<Void>builder("New-AcceptedDomain")
            .supportsShouldProcess()
            .parameter(ParameterDefinition.of("Name", ParameterType.string()).required().at(0))
            .parameter(ParameterDefinition.of("DomainName", ParameterType.string()).required()
                    .validatedBy(v -> ((String) v).contains(".") ? Optional.empty()
                            : Optional.of("a domain name has at least one dot, such as contoso.com")))
            .parameter(ParameterDefinition.of("DomainType", ParameterType.enumOf(DomainType.class)))
            .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool()))
            .parameter(ParameterDefinition.of("Priority", ParameterType.int32(0, 1000)))
            .parameter(ParameterDefinition.of("Force", ParameterType.switchParameter()))
            .handler((p, c) -> List.of())
            .build();

    static final CmdletDefinition<Void> GET_CONNECTOR = CmdletDefinition.<Void>builder("Get-InboundConnector")
            .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0).fromPipelineByPropertyName())
            .parameter(ParameterDefinition.of("Comment", ParameterType.string()))
            .parameter(ParameterDefinition.of("ConnectorType", ParameterType.enumOf("ConnectorType", "Partner", "OnPremises")))
            .parameter(ParameterDefinition.of("Name", ParameterType.string()))
            .parameter(ParameterDefinition.of("NameSuffix", ParameterType.string()))
            .parameter(ParameterDefinition.of("StartDate", ParameterType.dateTime()))
            .parameter(ParameterDefinition.of("MaxSize", ParameterType.byteSize()))
            .parameter(ParameterDefinition.of("SenderIPAddresses", ParameterType.stringArray())
                    .validatedBy(v -> ((String) v).matches("[0-9./]+") ? Optional.empty()
                            : Optional.of("write an IPv4 address or CIDR range such as 192.0.2.0/24")))
            .parameter(ParameterDefinition.of("EmailAddresses", ParameterType.multiValued()))
            .parameter(ParameterDefinition.of("Settings", ParameterType.hashtable()))
            .parameter(ParameterDefinition.of("Port", ParameterType.custom("Port", s -> {
                int port = Integer.parseInt(s);
                if (port < 1 || port > 65535) throw new IllegalArgumentException("A port is 1 to 65535.");
                return port;
            })))
            .handler((p, c) -> List.of())
            .build();

    static Binding bind(CmdletDefinition<?> def, String args) {
        return Binder.bind(def, ScriptParserTest.single(def.name() + " " + args));
    }

    static BoundParameters ok(CmdletDefinition<?> def, String args) {
        Binding b = bind(def, args);
        if (b instanceof Binding.Failed f) throw new AssertionError(f.error().formatted());
        return ((Binding.Bound) b).parameters();
    }

    static BindingError err(CmdletDefinition<?> def, String args) {
        Binding b = bind(def, args);
        assertThat(b).as("binding %s", args).isInstanceOf(Binding.Failed.class);
        return ((Binding.Failed) b).error();
    }

    @Test void bindsNamedPositionalAndConvertedValues() {
        BoundParameters p = ok(NEW_DOMAIN, "Contoso -DomainName contoso.com -DomainType authoritative -MatchSubDomains $true -Priority 5");
        assertThat(p.asMap()).containsExactly(Map.entry("DomainName", "contoso.com"),
                Map.entry("DomainType", DomainType.Authoritative), Map.entry("MatchSubDomains", true),
                Map.entry("Priority", 5), Map.entry("Name", "Contoso"));
        assertThat(p.string("name")).isEqualTo("Contoso");
        assertThat(p.whatIf()).isFalse();
    }

    @Test void unknownParameter() {
        BindingError e = err(NEW_DOMAIN, "x -DomainName a.com -Foo 1");
        assertThat(e.message()).startsWith("A parameter cannot be found that matches parameter name 'Foo'.");
        assertThat(e.formatted()).startsWith("New-AcceptedDomain: A parameter cannot be found that matches parameter name 'Foo'.");
        assertThat(e.parameter()).isEqualTo("Foo");
        assertThat(e.position().column()).isEqualTo(40);
    }

    @Test void ambiguousPrefixListsTheCandidates() {
        BindingError e = err(GET_CONNECTOR, "-Co x");
        assertThat(e.message()).isEqualTo("Parameter cannot be processed because the parameter name 'Co' is ambiguous. "
                + "Possible matches include: -Comment -ConnectorType.");
        assertThat(e.formatted()).startsWith("Get-InboundConnector: ");
    }

    @Test void uniquePrefixBindsAndExactNameWinsOverPrefix() {
        assertThat(ok(GET_CONNECTOR, "-Comm hello").asMap()).containsEntry("Comment", "hello");
        assertThat(ok(GET_CONNECTOR, "-Name a").asMap()).containsOnlyKeys("Name");
        assertThat(ok(GET_CONNECTOR, "-NameS a").asMap()).containsOnlyKeys("NameSuffix");
        assertThat(ok(NEW_DOMAIN, "x -DomainN a.com").asMap()).containsEntry("DomainName", "a.com");
        assertThat(err(NEW_DOMAIN, "x -Dom a.com").message()).contains("ambiguous").contains("-DomainName -DomainType");
        assertThat(ok(NEW_DOMAIN, "x -DOMAINNAME a.com").asMap()).containsEntry("DomainName", "a.com");
    }

    @Test void booleanParametersRejectWords() {
        BindingError e = err(NEW_DOMAIN, "x -DomainName a.com -MatchSubDomains yes");
        assertThat(e.message()).isEqualTo("Cannot process argument transformation on parameter 'MatchSubDomains'. Cannot "
                + "convert value \"yes\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and "
                + "numbers, such as $True, $False, 1 or 0.");
        assertThat(e.value()).isEqualTo("yes");
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -MatchSubDomains true").message()).contains("\"true\"");
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -MatchSubDomains 0").asMap()).containsEntry("MatchSubDomains", false);
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -MatchSubDomains:1").asMap()).containsEntry("MatchSubDomains", true);
    }

    @Test void enumErrorListsValidNames() {
        BindingError e = err(NEW_DOMAIN, "x -DomainName a.com -DomainType Foo");
        assertThat(e.message()).isEqualTo("Cannot bind parameter 'DomainType'. Cannot convert value \"Foo\" to type "
                + "\"DomainType\". Error: \"Unable to match the identifier name Foo to a valid enumerator name. Specify "
                + "one of the following enumerator names and try again: Authoritative, InternalRelay\"");
        assertThat(ok(GET_CONNECTOR, "-ConnectorType onpremises").asMap()).containsEntry("ConnectorType", "OnPremises");
    }

    @Test void missingMandatoryParameters() {
        assertThat(err(NEW_DOMAIN, "-DomainName a.com").message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: Name.");
        assertThat(err(NEW_DOMAIN, "").message())
                .isEqualTo("Cannot process command because of one or more missing mandatory parameters: Name DomainName.");
    }

    @Test void unknownCmdlet() {
        CmdletRegistry<Void> registry = new CmdletRegistry<>();
        Binding b = Binder.bind(registry, ScriptParserTest.single("Get-Foo -Identity x"));
        BindingError e = ((Binding.Failed) b).error();
        assertThat(e.message()).startsWith("The term 'Get-Foo' is not recognized as a name of a cmdlet.");
        assertThat(e.formatted()).startsWith("Get-Foo: The term 'Get-Foo'");
    }

    @Test void positionalBindingAndExtraPositional() {
        assertThat(ok(GET_CONNECTOR, "contoso.com").asMap()).containsEntry("Identity", "contoso.com");
        BindingError e = err(GET_CONNECTOR, "a b");
        assertThat(e.message()).isEqualTo("A positional parameter cannot be found that accepts argument 'b'.");
        assertThat(ok(GET_CONNECTOR, "-Comment c a").asMap()).containsEntry("Identity", "a").containsEntry("Comment", "c");
    }

    @Test void switchWithSpaceValueGivesTheValueBackAsPositional() {
        BoundParameters p = ok(NEW_DOMAIN, "-Force contoso -DomainName a.com");
        assertThat(p.asMap()).containsEntry("Force", true).containsEntry("Name", "contoso");
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -Force:$false").asMap()).containsEntry("Force", false);
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -Force:maybe").message())
                .startsWith("Cannot process argument transformation on parameter 'Force'.");
    }

    @Test void commonParameters() {
        BoundParameters p = ok(NEW_DOMAIN, "x -DomainName a.com -WhatIf -Confirm:$false -ErrorAction Stop -Verbose");
        assertThat(p.whatIf()).isTrue();
        assertThat(p.confirm()).contains(false);
        assertThat(p.asMap()).containsOnlyKeys("Name", "DomainName");
        assertThat(p.common()).containsEntry("ErrorAction", "Stop").containsEntry("Verbose", true);
        assertThat(err(GET_CONNECTOR, "-WhatIf").message())
                .startsWith("A parameter cannot be found that matches parameter name 'WhatIf'.");
        assertThat(err(GET_CONNECTOR, "-ErrorAction Sometimes").message()).contains("SilentlyContinue");
        assertThat(ok(GET_CONNECTOR, "-ea SilentlyContinue").common()).containsEntry("ErrorAction", "SilentlyContinue");
    }

    @Test void shouldProcessRecordsWhatIfLines() {
        BoundParameters p = ok(NEW_DOMAIN, "x -DomainName a.com -WhatIf");
        assertThat(p.shouldProcess("a.com", "New accepted domain")).isFalse();
        assertThat(p.whatIfMessages()).containsExactly("What if: Performing the operation \"New accepted domain\" on target \"a.com\".");
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com").shouldProcess("a.com")).isTrue();
    }

    @Test void duplicateAndMissingArguments() {
        assertThat(err(NEW_DOMAIN, "-Name a -Name b -DomainName a.com").message())
                .startsWith("Cannot bind parameter because parameter 'Name' is specified more than once.");
        assertThat(err(NEW_DOMAIN, "x -DomainName").message())
                .isEqualTo("Missing an argument for parameter 'DomainName'. Specify a parameter of type 'System.String' and try again.");
        assertThat(err(NEW_DOMAIN, "x -DomainName -Force").message()).startsWith("Missing an argument for parameter 'DomainName'.");
    }

    @Test void int32RangeAndFormat() {
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -Priority 1001").message()).isEqualTo("Cannot validate argument "
                + "on parameter 'Priority'. The 1001 argument is greater than the maximum allowed range of 1000. Supply "
                + "an argument that is less than or equal to 1000 and then try the command again.");
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -Priority -1").message()).contains("less than the minimum allowed range of 0");
        assertThat(err(NEW_DOMAIN, "x -DomainName a.com -Priority high").message())
                .isEqualTo("Cannot bind parameter 'Priority'. Cannot convert value \"high\" to type \"System.Int32\". "
                        + "Error: \"Input string was not in a correct format.\"");
        assertThat(ok(NEW_DOMAIN, "x -DomainName a.com -Priority '7'").asMap()).containsEntry("Priority", 7);
    }

    @Test void dateTimesInTheFormsAdminsType() {
        assertThat(ok(GET_CONNECTOR, "-StartDate 07/01/2025").get("StartDate"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ok(GET_CONNECTOR, "-StartDate 2025-07-01").get("StartDate"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ok(GET_CONNECTOR, "-StartDate 2025-07-01T10:00:00Z").get("StartDate"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ok(GET_CONNECTOR, "-StartDate '07/01/2025 10:00'").get("StartDate"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ok(GET_CONNECTOR, "-StartDate '7/1/2025 1:30 PM'").get("StartDate"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 13, 30, 0, 0, ZoneOffset.UTC));
        BindingError e = err(GET_CONNECTOR, "-StartDate 13/01/2025");
        assertThat(e.message()).startsWith("Cannot bind parameter 'StartDate'. Cannot convert value \"13/01/2025\" to type "
                + "\"System.DateTime\". Error: \"String '13/01/2025' was not recognized as a valid DateTime.");
    }

    @Test void documentationPlaceholdersAreNamed() {
        BindingError e = err(GET_CONNECTOR, "-StartDate <start>");
        assertThat(e.message()).isEqualTo("Cannot bind parameter 'StartDate'. The value <start> is a placeholder copied "
                + "from documentation; replace it with a real value of type System.DateTime.");
        assertThat(e.value()).isEqualTo("<start>");
        assertThat(ok(GET_CONNECTOR, "-Comment '<quoted is fine>'").asMap()).containsEntry("Comment", "<quoted is fine>");
    }

    @Test void byteQuantifiedSizes() {
        assertThat(ok(GET_CONNECTOR, "-MaxSize 10MB").get("MaxSize")).isEqualTo(new ByteQuantifiedSize(10L << 20));
        assertThat(ok(GET_CONNECTOR, "-MaxSize 1.5GB").get("MaxSize")).isEqualTo(new ByteQuantifiedSize(3L << 29));
        assertThat(ok(GET_CONNECTOR, "-MaxSize 500KB").get("MaxSize")).isEqualTo(new ByteQuantifiedSize(500L << 10));
        assertThat(ok(GET_CONNECTOR, "-MaxSize 1024").get("MaxSize")).isEqualTo(new ByteQuantifiedSize(1024));
        assertThat(ok(GET_CONNECTOR, "-MaxSize '10 MB'").get("MaxSize")).isEqualTo(new ByteQuantifiedSize(10L << 20));
        assertThat(new ByteQuantifiedSize(10L << 20)).hasToString("10 MB (10,485,760 bytes)");
        assertThat(err(GET_CONNECTOR, "-MaxSize 10XB").message())
                .startsWith("Cannot bind parameter 'MaxSize'. Cannot convert value \"10XB\" to type \"ByteQuantifiedSize\".");
    }

    @Test void listsValidatorsAndScalars() {
        assertThat(ok(GET_CONNECTOR, "-SenderIPAddresses 192.0.2.0/24").get("SenderIPAddresses")).isEqualTo(List.of("192.0.2.0/24"));
        assertThat(ok(GET_CONNECTOR, "-SenderIPAddresses 192.0.2.1, '198.51.100.0/24'").get("SenderIPAddresses"))
                .isEqualTo(List.of("192.0.2.1", "198.51.100.0/24"));
        BindingError e = err(GET_CONNECTOR, "-SenderIPAddresses 192.0.2.1,bogus");
        assertThat(e.message()).isEqualTo("Cannot validate argument on parameter 'SenderIPAddresses'. The argument "
                + "\"bogus\" is not valid: write an IPv4 address or CIDR range such as 192.0.2.0/24");
        assertThat(err(NEW_DOMAIN, "x -DomainName localhost").message()).contains("at least one dot");
        assertThat(err(GET_CONNECTOR, "-Comment a,b").message()).startsWith("Cannot convert 'System.Object[]' to the "
                + "type 'System.String' required by parameter 'Comment'.");
        assertThat(ok(GET_CONNECTOR, "-Comment $null").asMap()).containsEntry("Comment", null);
    }

    @Test void multiValuedPropertiesReplaceOrEdit() {
        MultiValuedEdit replace = (MultiValuedEdit) ok(GET_CONNECTOR, "-EmailAddresses a@x.com,b@x.com").get("EmailAddresses");
        assertThat(replace.applyTo(List.of("old@x.com"))).containsExactly("a@x.com", "b@x.com");
        MultiValuedEdit edit = (MultiValuedEdit) ok(GET_CONNECTOR,
                "-EmailAddresses @{Add='c@x.com','d@x.com'; Remove='A@x.com'}").get("EmailAddresses");
        assertThat(edit.applyTo(List.of("a@x.com", "b@x.com"))).containsExactly("b@x.com", "c@x.com", "d@x.com");
        assertThat(err(GET_CONNECTOR, "-EmailAddresses @{Append='x'}").message()).contains("The hashtable key 'Append' is not valid");
    }

    @Test void hashtableAndCustomTypes() {
        assertThat(ok(GET_CONNECTOR, "-Settings @{A=1; B='two'; C=$true}").get("Settings"))
                .isEqualTo(Map.of("A", new java.math.BigDecimal("1"), "B", "two", "C", true));
        assertThat(err(GET_CONNECTOR, "-Settings x").message()).contains("System.Collections.Hashtable");
        assertThat(ok(GET_CONNECTOR, "-Port 25").get("Port")).isEqualTo(25);
        assertThat(err(GET_CONNECTOR, "-Port 70000").message())
                .isEqualTo("Cannot bind parameter 'Port'. Cannot convert value \"70000\" to type \"Port\". Error: \"A port is 1 to 65535.\"");
    }

    @Test void nullListElementsAreDropped() {
        assertThat(ok(GET_CONNECTOR, "-SenderIPAddresses 192.0.2.1,$null").get("SenderIPAddresses")).isEqualTo(List.of("192.0.2.1"));
        assertThat(ok(GET_CONNECTOR, "-SenderIPAddresses $null").get("SenderIPAddresses")).isEqualTo(List.of());
        MultiValuedEdit edit = (MultiValuedEdit) ok(GET_CONNECTOR, "-EmailAddresses a@x.com,$null").get("EmailAddresses");
        assertThat(edit.applyTo(List.of())).containsExactly("a@x.com");
    }
}
