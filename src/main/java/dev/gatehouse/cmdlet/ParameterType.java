// The types a cmdlet parameter can have, each converting a parsed Value the way PowerShell's binder would.
package dev.gatehouse.cmdlet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parameter type and its conversion from a {@link Value}. Conversions follow PowerShell: a Boolean takes
 * only {@code $true}/{@code $false} or a number (not the word {@code true}); an enum matches names ignoring
 * case; a list parameter takes one value or a comma list. {@code $null} binds as Java {@code null} (Exchange's
 * "clear this property") except for Boolean, which rejects it. Values that are not valid throw
 * {@link ConversionException} with PowerShell's message; {@link Binder} adds the cmdlet name.
 *
 * <p>Java types produced: String, List (of the element type), {@link MultiValuedEdit}, Boolean, Integer,
 * the enum constant (or canonical name), {@link java.time.OffsetDateTime}, {@link ByteQuantifiedSize},
 * {@code Map<String,Object>}, or whatever a {@link Custom} parser returns.
 */
public sealed interface ParameterType {
    /** The type name shown in messages and help, as PowerShell shows it. */
    String typeName();

    /** Converts {@code value} for the parameter named {@code parameter} (used in messages). */
    Object convert(String parameter, Value value) throws ConversionException;

    static ParameterType string() { return new StringType(); }

    static ParameterType stringArray() { return new ListType(new StringType()); }

    static ParameterType listOf(ParameterType element) { return new ListType(element); }

    static ParameterType multiValued() { return new MultiValued(new StringType()); }

    static ParameterType bool() { return new BooleanType(); }

    static ParameterType int32() { return new Int32(Integer.MIN_VALUE, Integer.MAX_VALUE); }

    static ParameterType int32(int min, int max) { return new Int32(min, max); }

    static ParameterType dateTime() { return new DateTimeType(ZoneOffset.UTC); }

    static ParameterType byteSize() { return new ByteSize(); }

    static ParameterType switchParameter() { return new Switch(); }

    static ParameterType hashtable() { return new HashtableType(); }

    /** An enum backed by a Java enum: binds to the constant; names match ignoring case. */
    static <E extends Enum<E>> ParameterType enumOf(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return new EnumType(type.getSimpleName(), names, name -> Enum.valueOf(type, name));
    }

    /** An enum known only by its names: binds to the canonical spelling of the name. */
    static ParameterType enumOf(String typeName, String... names) {
        return new EnumType(typeName, List.of(names), Function.identity());
    }

    /** A value type parsed from its text, e.g. an IP range; the parser throws IllegalArgumentException. */
    static ParameterType custom(String typeName, Function<String, ?> parser) { return new Custom(typeName, parser); }

    record StringType() implements ParameterType {
        public String typeName() { return "System.String"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            return switch (value) {
                case Value.Text t -> t.value();
                case Value.Number n -> n.source();
                case Value.Bool b -> b.value() ? "True" : "False";
                case Value.Null n -> null;
                case Value.ListOf l -> throw notScalar(parameter, "System.Object[]", typeName(), value);
                case Value.Table t -> throw notScalar(parameter, "System.Collections.Hashtable", typeName(), value);
                case Value.SwitchPresent s -> throw missing(parameter, typeName());
            };
        }
    }

    /** A list; {@code $null} elements are dropped, {@code $null} alone is an empty list. */
    record ListType(ParameterType element) implements ParameterType {
        public String typeName() { return element.typeName() + "[]"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            return switch (value) {
                case Value.Null n -> List.of();
                case Value.ListOf l -> {
                    List<Object> out = new ArrayList<>();
                    for (Value v : l.items()) {
                        Object converted = element.convert(parameter, v);
                        if (converted != null) out.add(converted);
                    }
                    yield java.util.Collections.unmodifiableList(out);
                }
                default -> {
                    Object converted = element.convert(parameter, value);
                    yield converted == null ? List.of() : List.of(converted);
                }
            };
        }
    }

    /** Exchange's MultiValuedProperty: a list replaces, {@code @{Add=..; Remove=..}} edits. */
    record MultiValued(ParameterType element) implements ParameterType {
        public String typeName() { return "MultiValuedProperty"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            ListType list = new ListType(element);
            if (!(value instanceof Value.Table t)) return MultiValuedEdit.replaceWith(asList(list.convert(parameter, value)));
            List<Object> add = new ArrayList<>();
            List<Object> remove = new ArrayList<>();
            for (Map.Entry<String, Value> e : t.entries().entrySet()) {
                switch (e.getKey().toLowerCase(Locale.ROOT)) {
                    case "add" -> add.addAll(asList(list.convert(parameter, e.getValue())));
                    case "remove" -> remove.addAll(asList(list.convert(parameter, e.getValue())));
                    default -> throw cannotConvert(parameter, value, typeName(), "The hashtable key '" + e.getKey()
                            + "' is not valid for a multi-valued property. Use @{Add='value'} or @{Remove='value'}.");
                }
            }
            return new MultiValuedEdit(Optional.empty(), add, remove);
        }

        private static List<Object> asList(Object o) {
            return ((List<?>) o).stream().map(x -> (Object) x).toList();
        }
    }

    record BooleanType() implements ParameterType {
        public String typeName() { return "System.Boolean"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            return switch (value) {
                case Value.Bool b -> b.value();
                case Value.Number n -> n.value().signum() != 0;
                default -> throw new ConversionException("Cannot process argument transformation on parameter '"
                        + parameter + "'. Cannot convert value \"" + shown(value) + "\" to type \"System.Boolean\". "
                        + "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.");
            };
        }
    }

    record Switch() implements ParameterType {
        public String typeName() { return "System.Management.Automation.SwitchParameter"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            return switch (value) {
                case Value.SwitchPresent s -> true;
                case Value.Bool b -> b.value();
                case Value.Number n -> n.value().signum() != 0;
                default -> throw new ConversionException("Cannot process argument transformation on parameter '"
                        + parameter + "'. Cannot convert value \"" + shown(value) + "\" to type \"" + typeName()
                        + "\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.");
            };
        }
    }

    record Int32(int min, int max) implements ParameterType {
        public String typeName() { return "System.Int32"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            BigDecimal number = switch (value) {
                case Value.Null n -> null;
                case Value.Number n -> n.value();
                case Value.Bool b -> b.value() ? BigDecimal.ONE : BigDecimal.ZERO;
                case Value.Text t -> {
                    BigDecimal parsed = ValueParser.number(t.value().strip());
                    if (parsed == null) throw cannotConvert(parameter, value, typeName(), "Input string was not in a correct format.");
                    yield parsed;
                }
                case Value.ListOf l -> throw notScalar(parameter, "System.Object[]", typeName(), value);
                case Value.Table t -> throw notScalar(parameter, "System.Collections.Hashtable", typeName(), value);
                case Value.SwitchPresent s -> throw missing(parameter, typeName());
            };
            if (number == null) return null;
            int result;
            try {
                result = number.setScale(0, RoundingMode.HALF_EVEN).intValueExact();
            } catch (ArithmeticException e) {
                throw cannotConvert(parameter, value, typeName(), "Value was either too large or too small for an Int32.");
            }
            if (result < min) {
                throw new ConversionException("Cannot validate argument on parameter '" + parameter + "'. The " + result
                        + " argument is less than the minimum allowed range of " + min + ". Supply an argument that is "
                        + "greater than or equal to " + min + " and then try the command again.");
            }
            if (result > max) {
                throw new ConversionException("Cannot validate argument on parameter '" + parameter + "'. The " + result
                        + " argument is greater than the maximum allowed range of " + max + ". Supply an argument that is "
                        + "less than or equal to " + max + " and then try the command again.");
            }
            return result;
        }
    }

    record EnumType(String typeName, List<String> names, Function<String, ?> factory) implements ParameterType {
        public EnumType { names = List.copyOf(names); }

        public Object convert(String parameter, Value value) throws ConversionException {
            if (value instanceof Value.Null) return null;
            String text = scalar(parameter, this, value);
            String trimmed = text.strip();
            for (String name : names) {
                if (name.equalsIgnoreCase(trimmed)) return factory.apply(name);
            }
            throw cannotConvert(parameter, value, typeName, "Unable to match the identifier name " + text
                    + " to a valid enumerator name. Specify one of the following enumerator names and try again: "
                    + String.join(", ", names));
        }
    }

    /** DateTime: {@code 07/01/2025} (MM/dd/yyyy), ISO 8601; a value without an offset is in {@code zone}. */
    record DateTimeType(ZoneId zone) implements ParameterType {
        public String typeName() { return "System.DateTime"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            if (value instanceof Value.Null) return null;
            String text = scalar(parameter, this, value);
            return DateTimes.parse(text, zone).orElseThrow(() -> cannotConvert(parameter, value, typeName(),
                    "String '" + text + "' was not recognized as a valid DateTime. Write a date such as 07/01/2025 "
                            + "(MM/dd/yyyy), 07/01/2025 10:00, 2025-07-01 or 2025-07-01T10:00:00Z."));
        }
    }

    record ByteSize() implements ParameterType {
        public String typeName() { return "ByteQuantifiedSize"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            if (value instanceof Value.Null) return null;
            String text = value instanceof Value.Number n ? n.source() : scalar(parameter, this, value);
            return ByteQuantifiedSize.parse(text).orElseThrow(() -> cannotConvert(parameter, value, typeName(),
                    "The value is not a valid size. Write a number of bytes with an optional unit, such as 10MB, "
                            + "1.5GB, 500KB or 1024."));
        }
    }

    record HashtableType() implements ParameterType {
        public String typeName() { return "System.Collections.Hashtable"; }

        public Object convert(String parameter, Value value) throws ConversionException {
            return switch (value) {
                case Value.Null n -> null;
                case Value.Table t -> plain(t);
                default -> throw cannotConvert(parameter, value, typeName(), "Write a hashtable such as @{Name='value'}.");
            };
        }

        static Object plain(Value v) {
            return switch (v) {
                case Value.Text t -> t.value();
                case Value.Number n -> n.value();
                case Value.Bool b -> b.value();
                case Value.Null n -> null;
                case Value.SwitchPresent s -> true;
                case Value.ListOf l -> {
                    List<Object> out = new ArrayList<>();
                    for (Value x : l.items()) out.add(plain(x));
                    yield java.util.Collections.unmodifiableList(out);
                }
                case Value.Table t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    t.entries().forEach((k, x) -> m.put(k, plain(x)));
                    yield java.util.Collections.unmodifiableMap(m);
                }
            };
        }
    }

    record Custom(String typeName, Function<String, ?> parser) implements ParameterType {
        public Object convert(String parameter, Value value) throws ConversionException {
            if (value instanceof Value.Null) return null;
            String text = scalar(parameter, this, value);
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw cannotConvert(parameter, value, typeName, e.getMessage());
            }
        }
    }

    // --- message helpers ---------------------------------------------------------------------------

    /** The value as the user would recognise it in a message: a string's text, otherwise its source. */
    static String shown(Value value) {
        return value instanceof Value.Text t ? t.value() : value.source();
    }

    private static String scalar(String parameter, ParameterType type, Value value) throws ConversionException {
        return switch (value) {
            case Value.Text t -> t.value();
            case Value.Number n -> n.source();
            case Value.Bool b -> b.value() ? "True" : "False";
            case Value.Null n -> throw new ConversionException("Cannot bind argument to parameter '" + parameter
                    + "' because it is null.");
            case Value.ListOf l -> throw notScalar(parameter, "System.Object[]", type.typeName(), value);
            case Value.Table t -> throw notScalar(parameter, "System.Collections.Hashtable", type.typeName(), value);
            case Value.SwitchPresent s -> throw missing(parameter, type.typeName());
        };
    }

    private static ConversionException cannotConvert(String parameter, Value value, String type, String detail) {
        return new ConversionException("Cannot bind parameter '" + parameter + "'. Cannot convert value \"" + shown(value)
                + "\" to type \"" + type + "\". Error: \"" + detail + "\"");
    }

    private static ConversionException notScalar(String parameter, String from, String type, Value value) {
        return new ConversionException("Cannot convert '" + from + "' to the type '" + type + "' required by parameter '"
                + parameter + "'. Specified method is not supported. The parameter takes one value, not " + value.source() + ".");
    }

    static ConversionException missing(String parameter, String type) {
        return new ConversionException("Missing an argument for parameter '" + parameter + "'. Specify a parameter of "
                + "type '" + type + "' and try again.");
    }
}
