// Unit tests of Validator: what a validator sees (the converted value, once per element of a list or of a
// multi-valued edit, never $null), and the message naming the parameter, the offending value and the reason.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidatorTest {
    /** A connector's IP check as the spec has it: a single IPv4 address or a CIDR range /24 to /32. */
    static final Validator IPV4_24_TO_32 = value -> {
        String s = (String) value;
        String[] parts = s.split("/", -1);
        if (!parts[0].matches("(\\d{1,3}\\.){3}\\d{1,3}")) return Optional.of("write an IPv4 address such as 192.0.2.1; "
                + "IPv6 is not supported");
        if (parts.length == 2 && !parts[1].matches("2[4-9]|3[0-2]")) return Optional.of("a connector accepts only /24 to /32");
        return parts.length > 2 ? Optional.of("one '/' at most") : Optional.empty();
    };

    final List<Object> seen = new ArrayList<>();

    Validator recording(Validator inner) {
        return value -> {
            seen.add(value);
            return inner.validate(value);
        };
    }

    CmdletDefinition<Void> cmdlet(ParameterType type, Validator validator) {
        return CmdletDefinition.<Void>builder("Set-InboundConnector")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0))
                .parameter(ParameterDefinition.of("SenderIPAddresses", type).validatedBy(recording(validator)))
                .handler((p, c) -> List.of())
                .build();
    }

    static Binding bind(CmdletDefinition<Void> def, String args) {
        ParseResult r = ScriptParser.parse(def.name() + " Contoso " + args);
        ParsedCommand c = ((ParseResult.Parsed) r).script().pipelines().getFirst().commands().getFirst();
        return Binder.bind(def, c);
    }

    static String error(Binding b) {
        assertThat(b).isInstanceOf(Binding.Failed.class);
        return ((Binding.Failed) b).error().message();
    }

    @Test void noneAcceptsAnything() {
        assertThat(Validator.NONE.validate("anything")).isEmpty();
        assertThat(Validator.NONE.validate(null)).isEmpty();
        assertThat(Validator.NONE.validate(List.of(1, 2))).isEmpty();
        assertThat(ParameterDefinition.of("X", ParameterType.string()).validator()).isSameAs(Validator.NONE);
    }

    @Test void aValidatorIsAFunctionOfTheValue() {
        assertThat(IPV4_24_TO_32.validate("192.0.2.1")).isEmpty();
        assertThat(IPV4_24_TO_32.validate("192.0.2.0/24")).isEmpty();
        assertThat(IPV4_24_TO_32.validate("192.0.2.0/23")).contains("a connector accepts only /24 to /32");
        assertThat(IPV4_24_TO_32.validate("2001:db8::/32")).get().asString().contains("IPv6 is not supported");
    }

    @Test void aScalarIsValidatedOnce() {
        assertThat(bind(cmdlet(ParameterType.string(), IPV4_24_TO_32), "-SenderIPAddresses 192.0.2.1"))
                .isInstanceOf(Binding.Bound.class);
        assertThat(seen).containsExactly("192.0.2.1");
    }

    @Test void eachElementOfAListIsValidatedInOrderUntilOneFails() {
        CmdletDefinition<Void> def = cmdlet(ParameterType.stringArray(), IPV4_24_TO_32);
        assertThat(bind(def, "-SenderIPAddresses 192.0.2.1, 198.51.100.0/24")).isInstanceOf(Binding.Bound.class);
        assertThat(seen).containsExactly("192.0.2.1", "198.51.100.0/24");
        seen.clear();
        String message = error(bind(def, "-SenderIPAddresses 192.0.2.1,10.0.0.0/8,2001:db8::1"));
        assertThat(message).isEqualTo("Cannot validate argument on parameter 'SenderIPAddresses'. The argument "
                + "\"10.0.0.0/8\" is not valid: a connector accepts only /24 to /32");
        assertThat(seen).containsExactly("192.0.2.1", "10.0.0.0/8");
    }

    @Test void theErrorPointsAtTheWholeValueAndNamesTheCmdlet() {
        Binding b = bind(cmdlet(ParameterType.stringArray(), IPV4_24_TO_32), "-SenderIPAddresses 192.0.2.1,fe80::1");
        BindingError e = ((Binding.Failed) b).error();
        assertThat(e.parameter()).isEqualTo("SenderIPAddresses");
        assertThat(e.value()).isEqualTo("192.0.2.1,fe80::1");
        assertThat(e.position().column()).isEqualTo(49);
        assertThat(e.formatted()).startsWith("Set-InboundConnector: Cannot validate argument on parameter "
                + "'SenderIPAddresses'. The argument \"fe80::1\" is not valid: write an IPv4 address");
    }

    @Test void everyValueOfAMultiValuedEditIsValidatedRemovedOnesToo() {
        CmdletDefinition<Void> def = cmdlet(ParameterType.multiValued(), IPV4_24_TO_32);
        assertThat(bind(def, "-SenderIPAddresses @{Add='192.0.2.1'; Remove='198.51.100.7'}")).isInstanceOf(Binding.Bound.class);
        assertThat(seen).containsExactly("192.0.2.1", "198.51.100.7");
        assertThat(error(bind(def, "-SenderIPAddresses @{Remove='bogus'}")))
                .startsWith("Cannot validate argument on parameter 'SenderIPAddresses'. The argument \"bogus\" is not valid");
        seen.clear();
        assertThat(bind(def, "-SenderIPAddresses 192.0.2.1,192.0.2.2")).isInstanceOf(Binding.Bound.class);
        assertThat(seen).containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test void nullIsNeverValidated() {
        Validator refuseAll = value -> Optional.of("never valid");
        assertThat(bind(cmdlet(ParameterType.string(), refuseAll), "-SenderIPAddresses $null")).isInstanceOf(Binding.Bound.class);
        assertThat(bind(cmdlet(ParameterType.stringArray(), refuseAll), "-SenderIPAddresses $null")).isInstanceOf(Binding.Bound.class);
        assertThat(bind(cmdlet(ParameterType.multiValued(), refuseAll), "-SenderIPAddresses @{}")).isInstanceOf(Binding.Bound.class);
        assertThat(seen).isEmpty();
    }

    @Test void theValidatorSeesTheConvertedValueAfterItsTypeAccepted() {
        CmdletDefinition<Void> def = cmdlet(ParameterType.listOf(ParameterType.int32(0, 65535)),
                value -> ((Integer) value) == 25 ? Optional.of("port 25 is reserved") : Optional.empty());
        assertThat(bind(def, "-SenderIPAddresses 587,'465',0x50")).isInstanceOf(Binding.Bound.class);
        assertThat(seen).containsExactly(587, 465, 80);
        assertThat(error(bind(def, "-SenderIPAddresses 25"))).endsWith("The argument \"25\" is not valid: port 25 is reserved");
        seen.clear();
        // A value its type refuses never reaches the validator.
        assertThat(error(bind(def, "-SenderIPAddresses 70000"))).startsWith("Cannot validate argument on parameter "
                + "'SenderIPAddresses'. The 70000 argument is greater than the maximum allowed range of 65535.");
        assertThat(seen).isEmpty();
    }

    @Test void positionalValuesAreValidatedToo() {
        CmdletDefinition<Void> def = CmdletDefinition.<Void>builder("Get-AcceptedDomain")
                .parameter(ParameterDefinition.of("Identity", ParameterType.string()).at(0)
                        .validatedBy(recording(v -> ((String) v).contains(".") ? Optional.empty()
                                : Optional.of("a domain name has at least one dot, such as contoso.com"))))
                .handler((p, c) -> List.of())
                .build();
        ParsedCommand c = ((ParseResult.Parsed) ScriptParser.parse("Get-AcceptedDomain localhost")).script().pipelines()
                .getFirst().commands().getFirst();
        assertThat(error(Binder.bind(def, c))).isEqualTo("Cannot validate argument on parameter 'Identity'. The argument "
                + "\"localhost\" is not valid: a domain name has at least one dot, such as contoso.com");
        assertThat(seen).containsExactly("localhost");
    }
}
