// Unit tests of ParameterType: each type's conversion of every kind of Value, its type name, and PowerShell's
// messages naming the parameter and the value (argument transformation, binding, validation of ranges).
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ParameterTypeTest {
    enum DomainType { Authoritative, ExternalRelay, InternalRelay }

    static Value v(String text) { return ValueParserTest.value(text); }

    static Value switchPresent() { return new Value.SwitchPresent("-V", new Position(1, 11, 10)); }

    static Object convert(ParameterType type, String text) throws ConversionException {
        return type.convert("V", v(text));
    }

    static org.assertj.core.api.AbstractStringAssert<?> failure(ParameterType type, String parameter, Value value) {
        ThrowingCallable call = () -> type.convert(parameter, value);
        return assertThatThrownBy(call).isInstanceOf(ConversionException.class).extracting(Throwable::getMessage)
                .asString();
    }

    @Test void typeNamesAsPowerShellShowsThem() {
        assertThat(ParameterType.string().typeName()).isEqualTo("System.String");
        assertThat(ParameterType.stringArray().typeName()).isEqualTo("System.String[]");
        assertThat(ParameterType.listOf(ParameterType.int32()).typeName()).isEqualTo("System.Int32[]");
        assertThat(ParameterType.multiValued().typeName()).isEqualTo("MultiValuedProperty");
        assertThat(ParameterType.bool().typeName()).isEqualTo("System.Boolean");
        assertThat(ParameterType.int32().typeName()).isEqualTo("System.Int32");
        assertThat(ParameterType.dateTime().typeName()).isEqualTo("System.DateTime");
        assertThat(ParameterType.byteSize().typeName()).isEqualTo("ByteQuantifiedSize");
        assertThat(ParameterType.switchParameter().typeName()).isEqualTo("System.Management.Automation.SwitchParameter");
        assertThat(ParameterType.hashtable().typeName()).isEqualTo("System.Collections.Hashtable");
        assertThat(ParameterType.enumOf(DomainType.class).typeName()).isEqualTo("DomainType");
        assertThat(ParameterType.enumOf("ConnectorType", "Partner", "OnPremises").typeName()).isEqualTo("ConnectorType");
        assertThat(ParameterType.custom("IPRange", s -> s).typeName()).isEqualTo("IPRange");
    }

    @Test void shownIsTheTextOfAStringOtherwiseTheSource() {
        assertThat(ParameterType.shown(v("'it''s'"))).isEqualTo("it's");
        assertThat(ParameterType.shown(v("$TRUE"))).isEqualTo("$TRUE");
        assertThat(ParameterType.shown(v("0x1F"))).isEqualTo("0x1F");
        assertThat(ParameterType.shown(v("a, 'b'"))).isEqualTo("a, 'b'");
    }

    // --- String ---------------------------------------------------------------------------------------

    @Test void stringTakesTextNumbersAsWrittenAndBooleansAsTrueFalse() throws Exception {
        ParameterType s = ParameterType.string();
        assertThat(convert(s, "contoso.com")).isEqualTo("contoso.com");
        assertThat(convert(s, "\"a`tb\"")).isEqualTo("a\tb");
        assertThat(convert(s, "007")).isEqualTo("007");
        assertThat(convert(s, "10MB")).isEqualTo("10MB");
        assertThat(convert(s, "$true")).isEqualTo("True");
        assertThat(convert(s, "$false")).isEqualTo("False");
        assertThat(convert(s, "$null")).isNull();
        assertThat(convert(s, "''")).isEqualTo("");
    }

    @Test void stringRefusesListsTablesAndAMissingValue() {
        failure(ParameterType.string(), "Comment", v("a,b")).isEqualTo("Cannot convert 'System.Object[]' to the type "
                + "'System.String' required by parameter 'Comment'. Specified method is not supported. The parameter "
                + "takes one value, not a,b.");
        failure(ParameterType.string(), "Comment", v("@{a=1}")).isEqualTo("Cannot convert 'System.Collections.Hashtable' "
                + "to the type 'System.String' required by parameter 'Comment'. Specified method is not supported. The "
                + "parameter takes one value, not @{a=1}.");
        failure(ParameterType.string(), "Comment", switchPresent()).isEqualTo("Missing an argument for parameter "
                + "'Comment'. Specify a parameter of type 'System.String' and try again.");
    }

    // --- lists ----------------------------------------------------------------------------------------

    @Test void listTakesOneValueOrACommaListAndDropsNulls() throws Exception {
        ParameterType l = ParameterType.stringArray();
        assertThat(convert(l, "192.0.2.1")).isEqualTo(List.of("192.0.2.1"));
        assertThat(convert(l, "a, 'b', \"c\"")).isEqualTo(List.of("a", "b", "c"));
        assertThat(convert(l, "@('a'\n'b')")).isEqualTo(List.of("a", "b"));
        assertThat(convert(l, "@()")).isEqualTo(List.of());
        assertThat(convert(l, "$null")).isEqualTo(List.of());
        assertThat(convert(l, "a,$null,b")).isEqualTo(List.of("a", "b"));
        // A quoted comma is part of one value, as in PowerShell.
        assertThat(convert(l, "'a.com,b.com'")).isEqualTo(List.of("a.com,b.com"));
    }

    @Test void listElementsConvertToTheElementType() throws Exception {
        ParameterType ints = ParameterType.listOf(ParameterType.int32(0, 10));
        assertThat(convert(ints, "1,'2',0x3,$true")).isEqualTo(List.of(1, 2, 3, 1));
        failure(ints, "Ports", v("1,11")).startsWith("Cannot validate argument on parameter 'Ports'. The 11 argument is "
                + "greater than the maximum allowed range of 10.");
        failure(ParameterType.stringArray(), "Names", v("a,@(b,c)")).startsWith("Cannot convert 'System.Object[]' to the "
                + "type 'System.String' required by parameter 'Names'.");
        Object converted = convert(ParameterType.stringArray(), "a,b");
        assertThatThrownBy(() -> ((List<?>) converted).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    // --- MultiValuedProperty -----------------------------------------------------------------------------

    @Test void multiValuedListReplacesTheValues() throws Exception {
        MultiValuedEdit edit = (MultiValuedEdit) convert(ParameterType.multiValued(), "a.com,b.com");
        assertThat(edit.replace()).contains(List.of("a.com", "b.com"));
        assertThat(edit.add()).isEmpty();
        assertThat(edit.remove()).isEmpty();
        assertThat(((MultiValuedEdit) convert(ParameterType.multiValued(), "a.com")).replace()).contains(List.of("a.com"));
        // $null clears a multi-valued property in Exchange.
        MultiValuedEdit cleared = (MultiValuedEdit) convert(ParameterType.multiValued(), "$null");
        assertThat(cleared.replace()).contains(List.of());
        assertThat(cleared.applyTo(List.of("x.com"))).isEmpty();
    }

    @Test void multiValuedHashtableAddsAndRemovesWithKeysInAnyCase() throws Exception {
        MultiValuedEdit edit = (MultiValuedEdit) convert(ParameterType.multiValued(),
                "@{add='c.com','d.com'; REMOVE='a.com'}");
        assertThat(edit.replace()).isEmpty();
        assertThat(edit.add()).containsExactly("c.com", "d.com");
        assertThat(edit.remove()).containsExactly("a.com");
        MultiValuedEdit removeOnly = (MultiValuedEdit) convert(ParameterType.multiValued(), "@{Remove=@('x','y')}");
        assertThat(removeOnly.add()).isEmpty();
        assertThat(removeOnly.remove()).containsExactly("x", "y");
        MultiValuedEdit nothing = (MultiValuedEdit) convert(ParameterType.multiValued(), "@{}");
        assertThat(nothing.applyTo(List.of("kept.com"))).containsExactly("kept.com");
        MultiValuedEdit addNull = (MultiValuedEdit) convert(ParameterType.multiValued(), "@{Add=$null}");
        assertThat(addNull.add()).isEmpty();
    }

    @Test void multiValuedHashtableWithAnotherKeyNamesIt() {
        failure(ParameterType.multiValued(), "SenderDomains", v("@{Add='a.com'; Replace='b.com'}")).isEqualTo(
                "Cannot bind parameter 'SenderDomains'. Cannot convert value \"@{Add='a.com'; Replace='b.com'}\" to type "
                + "\"MultiValuedProperty\". Error: \"The hashtable key 'Replace' is not valid for a multi-valued "
                + "property. Use @{Add='value'} or @{Remove='value'}.\"");
        failure(ParameterType.multiValued(), "SenderDomains", v("@{Add=@{x=1}}"))
                .startsWith("Cannot convert 'System.Collections.Hashtable' to the type 'System.String' required by "
                        + "parameter 'SenderDomains'.");
    }

    // --- Boolean and switch -----------------------------------------------------------------------------

    @Test void booleanTakesBooleansAndNumbers() throws Exception {
        ParameterType b = ParameterType.bool();
        assertThat(convert(b, "$true")).isEqualTo(true);
        assertThat(convert(b, "$False")).isEqualTo(false);
        assertThat(convert(b, "1")).isEqualTo(true);
        assertThat(convert(b, "-1")).isEqualTo(true);
        assertThat(convert(b, "0")).isEqualTo(false);
        assertThat(convert(b, "0.0")).isEqualTo(false);
        assertThat(convert(b, "0x0")).isEqualTo(false);
        assertThat(convert(b, "0.5")).isEqualTo(true);
    }

    @Test void booleanRefusesWordsEvenQuotedDollarTrue() {
        String tail = "\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as "
                + "$True, $False, 1 or 0.";
        failure(ParameterType.bool(), "Enabled", v("true")).isEqualTo("Cannot process argument transformation on "
                + "parameter 'Enabled'. Cannot convert value \"true" + tail);
        failure(ParameterType.bool(), "Enabled", v("'$true'")).isEqualTo("Cannot process argument transformation on "
                + "parameter 'Enabled'. Cannot convert value \"$true" + tail);
        failure(ParameterType.bool(), "Enabled", v("$null")).contains("parameter 'Enabled'").contains("System.Boolean");
        failure(ParameterType.bool(), "Enabled", v("$true,$false")).contains("\"$true,$false\"");
        failure(ParameterType.bool(), "Enabled", switchPresent()).contains("parameter 'Enabled'");
    }

    @Test void switchIsTrueWhenPresentAndTakesAColonValue() throws Exception {
        ParameterType s = ParameterType.switchParameter();
        assertThat(s.convert("Force", switchPresent())).isEqualTo(true);
        assertThat(convert(s, "$false")).isEqualTo(false);
        assertThat(convert(s, "$true")).isEqualTo(true);
        assertThat(convert(s, "0")).isEqualTo(false);
        failure(s, "Force", v("no")).isEqualTo("Cannot process argument transformation on parameter 'Force'. Cannot "
                + "convert value \"no\" to type \"System.Management.Automation.SwitchParameter\". Boolean parameters "
                + "accept only Boolean values and numbers, such as $True, $False, 1 or 0.");
    }

    // --- Int32 ------------------------------------------------------------------------------------------

    @Test void int32TakesNumbersNumericStringsAndBooleans() throws Exception {
        ParameterType i = ParameterType.int32();
        assertThat(convert(i, "5")).isEqualTo(5);
        assertThat(convert(i, "-5")).isEqualTo(-5);
        assertThat(convert(i, "'7'")).isEqualTo(7);
        assertThat(convert(i, "' 7 '")).isEqualTo(7);
        assertThat(convert(i, "'0x10'")).isEqualTo(16);
        assertThat(convert(i, "'1e3'")).isEqualTo(1000);
        assertThat(convert(i, "10KB")).isEqualTo(10240);
        assertThat(convert(i, "$true")).isEqualTo(1);
        assertThat(convert(i, "$false")).isEqualTo(0);
        assertThat(convert(i, "$null")).isNull();
        assertThat(convert(i, "2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(convert(i, "-2147483648")).isEqualTo(Integer.MIN_VALUE);
    }

    @Test void int32RoundsHalfToEvenAsDotNetDoes() throws Exception {
        // [int]2.5 is 2 and [int]3.5 is 4 in PowerShell (banker's rounding).
        ParameterType i = ParameterType.int32();
        assertThat(convert(i, "2.5")).isEqualTo(2);
        assertThat(convert(i, "3.5")).isEqualTo(4);
        assertThat(convert(i, "-2.5")).isEqualTo(-2);
        assertThat(convert(i, "2.51")).isEqualTo(3);
        assertThat(convert(i, "'4.5'")).isEqualTo(4);
    }

    @Test void int32Errors() {
        ParameterType i = ParameterType.int32();
        failure(i, "Priority", v("2147483648")).isEqualTo("Cannot bind parameter 'Priority'. Cannot convert value "
                + "\"2147483648\" to type \"System.Int32\". Error: \"Value was either too large or too small for an Int32.\"");
        failure(i, "Priority", v("1e9999")).endsWith("Error: \"Value was either too large or too small for an Int32.\"");
        failure(i, "Priority", v("'high'")).isEqualTo("Cannot bind parameter 'Priority'. Cannot convert value \"high\" "
                + "to type \"System.Int32\". Error: \"Input string was not in a correct format.\"");
        failure(i, "Priority", v("''")).endsWith("Error: \"Input string was not in a correct format.\"");
        failure(i, "Priority", v("1,2")).startsWith("Cannot convert 'System.Object[]' to the type 'System.Int32' "
                + "required by parameter 'Priority'.");
        failure(i, "Priority", v("@{a=1}")).startsWith("Cannot convert 'System.Collections.Hashtable' to the type "
                + "'System.Int32'");
        failure(i, "Priority", switchPresent()).isEqualTo("Missing an argument for parameter 'Priority'. Specify a "
                + "parameter of type 'System.Int32' and try again.");
    }

    @Test void int32RangeMessagesAreValidateRanges() throws Exception {
        ParameterType i = ParameterType.int32(0, 100);
        assertThat(convert(i, "0")).isEqualTo(0);
        assertThat(convert(i, "100")).isEqualTo(100);
        // 100.4 rounds to 100 before the range is checked, as PowerShell converts before it validates.
        assertThat(convert(i, "100.4")).isEqualTo(100);
        failure(i, "Priority", v("-1")).isEqualTo("Cannot validate argument on parameter 'Priority'. The -1 argument is "
                + "less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and "
                + "then try the command again.");
        failure(i, "Priority", v("101")).isEqualTo("Cannot validate argument on parameter 'Priority'. The 101 argument "
                + "is greater than the maximum allowed range of 100. Supply an argument that is less than or equal to "
                + "100 and then try the command again.");
    }

    // --- enums -------------------------------------------------------------------------------------------

    @Test void enumNamesMatchIgnoringCaseAndSurroundingBlanks() throws Exception {
        ParameterType e = ParameterType.enumOf(DomainType.class);
        assertThat(convert(e, "internalrelay")).isEqualTo(DomainType.InternalRelay);
        assertThat(convert(e, "'AUTHORITATIVE'")).isEqualTo(DomainType.Authoritative);
        assertThat(convert(e, "' ExternalRelay '")).isEqualTo(DomainType.ExternalRelay);
        assertThat(convert(e, "$null")).isNull();
        ParameterType names = ParameterType.enumOf("ConnectorType", "Partner", "OnPremises");
        assertThat(convert(names, "onpremises")).isEqualTo("OnPremises");
    }

    @Test void enumErrorListsTheNamesInDeclaredOrder() {
        ParameterType e = ParameterType.enumOf(DomainType.class);
        failure(e, "DomainType", v("Internal")).isEqualTo("Cannot bind parameter 'DomainType'. Cannot convert value "
                + "\"Internal\" to type \"DomainType\". Error: \"Unable to match the identifier name Internal to a valid "
                + "enumerator name. Specify one of the following enumerator names and try again: Authoritative, "
                + "ExternalRelay, InternalRelay\"");
        failure(e, "DomainType", v("$true")).contains("identifier name True ");
        failure(e, "DomainType", v("Authoritative,InternalRelay")).startsWith("Cannot convert 'System.Object[]' to the "
                + "type 'DomainType' required by parameter 'DomainType'.");
        failure(ParameterType.enumOf("ConnectorType", "Partner", "OnPremises"), "ConnectorType", v("Partners"))
                .endsWith("try again: Partner, OnPremises\"");
    }

    // --- DateTime ----------------------------------------------------------------------------------------

    @Test void dateTimeReadsTheFormsAdminsTypeInUtcByDefault() throws Exception {
        ParameterType d = ParameterType.dateTime();
        assertThat(convert(d, "07/01/2025")).isEqualTo(OffsetDateTime.of(2025, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(convert(d, "'7/24/2025 5:00 PM'")).isEqualTo(OffsetDateTime.of(2025, 7, 24, 17, 0, 0, 0, ZoneOffset.UTC));
        assertThat(convert(d, "2025-07-01T10:00:00+02:00"))
                .isEqualTo(OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(convert(d, "$null")).isNull();
    }

    @Test void dateTimeWithoutAnOffsetIsInTheTypesZone() throws Exception {
        ParameterType paris = new ParameterType.DateTimeType(ZoneId.of("Europe/Paris"));
        assertThat(convert(paris, "07/01/2025")).isEqualTo(OffsetDateTime.of(2025, 7, 1, 0, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(convert(paris, "01/15/2025")).isEqualTo(OffsetDateTime.of(2025, 1, 15, 0, 0, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(convert(paris, "2025-07-01T10:00:00Z")).isEqualTo(OffsetDateTime.of(2025, 7, 1, 10, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test void dateTimeErrorNamesTheValueAndTheFormsThatWork() {
        failure(ParameterType.dateTime(), "EndDate", v("07/32/2025")).isEqualTo("Cannot bind parameter 'EndDate'. Cannot "
                + "convert value \"07/32/2025\" to type \"System.DateTime\". Error: \"String '07/32/2025' was not "
                + "recognized as a valid DateTime. Write a date such as 07/01/2025 (MM/dd/yyyy), 07/01/2025 10:00, "
                + "2025-07-01 or 2025-07-01T10:00:00Z.\"");
        failure(ParameterType.dateTime(), "EndDate", v("2025")).contains("String '2025' was not recognized");
        failure(ParameterType.dateTime(), "EndDate", v("$true")).contains("String 'True' was not recognized");
        failure(ParameterType.dateTime(), "EndDate", v("07/01/2025,07/02/2025")).isEqualTo("Cannot convert "
                + "'System.Object[]' to the type 'System.DateTime' required by parameter 'EndDate'. Specified method is "
                + "not supported. The parameter takes one value, not 07/01/2025,07/02/2025.");
    }

    // --- ByteQuantifiedSize --------------------------------------------------------------------------------

    @Test void byteSizeReadsTheSizeAsWrittenNotThePowerShellNumber() throws Exception {
        ParameterType b = ParameterType.byteSize();
        assertThat(convert(b, "25MB")).isEqualTo(new ByteQuantifiedSize(25L << 20));
        assertThat(convert(b, "'25 MB'")).isEqualTo(new ByteQuantifiedSize(25L << 20));
        assertThat(convert(b, "'25 MB (26,214,400 bytes)'")).isEqualTo(new ByteQuantifiedSize(26_214_400));
        assertThat(convert(b, "1.5gb")).isEqualTo(new ByteQuantifiedSize(1536L << 20));
        assertThat(convert(b, "0")).isEqualTo(new ByteQuantifiedSize(0));
        assertThat(convert(b, "$null")).isNull();
    }

    @Test void byteSizeErrors() {
        failure(ParameterType.byteSize(), "MessageSizeOver", v("-1")).isEqualTo("Cannot bind parameter "
                + "'MessageSizeOver'. Cannot convert value \"-1\" to type \"ByteQuantifiedSize\". Error: \"The value is "
                + "not a valid size. Write a number of bytes with an optional unit, such as 10MB, 1.5GB, 500KB or 1024.\"");
        failure(ParameterType.byteSize(), "MessageSizeOver", v("'10 XB'")).contains("Cannot convert value \"10 XB\"");
        failure(ParameterType.byteSize(), "MessageSizeOver", v("'10 MB (1 bytes)'")).contains("not a valid size");
        failure(ParameterType.byteSize(), "MessageSizeOver", v("10MB,20MB")).startsWith("Cannot convert "
                + "'System.Object[]' to the type 'ByteQuantifiedSize' required by parameter 'MessageSizeOver'.");
    }

    // --- Hashtable and custom types ---------------------------------------------------------------------------

    @Test void hashtableBecomesAnOrderedReadOnlyMapOfPlainValues() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) convert(ParameterType.hashtable(),
                "@{Name='x'; Count=3; On=$true; Off=$null; List=a,'b'; Inner=@{Size=1KB}}");
        assertThat(m.keySet()).containsExactly("Name", "Count", "On", "Off", "List", "Inner");
        assertThat(m.get("Name")).isEqualTo("x");
        assertThat((BigDecimal) m.get("Count")).isEqualByComparingTo("3");
        assertThat(m.get("On")).isEqualTo(true);
        assertThat(m).containsEntry("Off", null);
        assertThat(m.get("List")).isEqualTo(List.of("a", "b"));
        assertThat((BigDecimal) ((Map<?, ?>) m.get("Inner")).get("Size")).isEqualByComparingTo("1024");
        assertThatThrownBy(() -> m.put("New", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(convert(ParameterType.hashtable(), "$null")).isNull();
    }

    @Test void hashtableRefusesOtherValues() {
        failure(ParameterType.hashtable(), "Settings", v("Name=x")).isEqualTo("Cannot bind parameter 'Settings'. Cannot "
                + "convert value \"Name=x\" to type \"System.Collections.Hashtable\". Error: \"Write a hashtable such as "
                + "@{Name='value'}.\"");
        failure(ParameterType.hashtable(), "Settings", v("@(1)")).contains("System.Collections.Hashtable");
    }

    @Test void customTypesParseTheTextAndReportTheParsersReason() throws Exception {
        ParameterType port = ParameterType.custom("Port", s -> {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) throw new IllegalArgumentException("A port is 1 to 65535.");
            return p;
        });
        assertThat(convert(port, "25")).isEqualTo(25);
        assertThat(convert(port, "'587'")).isEqualTo(587);
        assertThat(convert(port, "$null")).isNull();
        failure(port, "Port", v("0")).isEqualTo("Cannot bind parameter 'Port'. Cannot convert value \"0\" to type "
                + "\"Port\". Error: \"A port is 1 to 65535.\"");
        failure(port, "Port", v("25,587")).startsWith("Cannot convert 'System.Object[]' to the type 'Port'");
        failure(port, "Port", switchPresent()).isEqualTo("Missing an argument for parameter 'Port'. Specify a parameter "
                + "of type 'Port' and try again.");
        ParameterType upper = ParameterType.custom("Upper", s -> s.toUpperCase(java.util.Locale.ROOT));
        assertThat(convert(upper, "$true")).isEqualTo("TRUE");
        assertThat(convert(upper, "0x1f")).isEqualTo("0X1F");
    }
}
