// What a mail flow form holds: the values as typed (or as stored), the errors by field, and the cmdlet parameters they make.
package dev.gatehouse.web.pages.mailflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.web.AdminCentre;
import io.javalin.http.Context;

/**
 * A form's state. {@code values} are text as the form shows it ("true" for a ticked box, one value per line for a
 * list); {@code errors} are the cmdlet's messages by field name, with "" for those that name no field of the form
 * (shown at the top). A form shown again after an error keeps every value as the user typed it.
 */
public record Form(Map<String, String> values, Map<String, String> errors) {
    public static final String TICKED = "true";

    public Form {
        values = Map.copyOf(values);
        errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public static Form of(Map<String, String> values) { return new Form(values, Map.of()); }

    /** The fields of {@code fields} as the request posted them (an unticked box posts nothing: ""). */
    public static Form posted(Context ctx, List<Field> fields) {
        Map<String, String> v = new LinkedHashMap<>();
        for (Field f : fields) {
            String posted = ctx.formParam(f.name());
            v.put(f.name(), posted == null ? "" : posted);
        }
        return of(v);
    }

    /** This form with the errors of a failed cmdlet: by field when the error names one of {@code fields}, else general. */
    public Form failed(RunResult r, List<Field> fields) {
        Map<String, String> byField = new LinkedHashMap<>();
        AdminCentre.fieldErrors(r).forEach((param, message) -> {
            String key = fields.stream().anyMatch(f -> f.name().equals(param)) ? param : "";
            byField.merge(key, message, (a, b) -> a + " " + b);
        });
        return new Form(values, byField);
    }

    public String value(String name) { return values.getOrDefault(name, ""); }

    public boolean checked(String name) { return TICKED.equals(values.get(name)); }

    /** The error of this field, or null. */
    public String error(String name) { return errors.get(name); }

    /** The errors that name no field, or null. */
    public String general() { return errors.get(""); }

    /** The fields of {@code fields} that have an error, in form order. */
    public List<Field> invalid(List<Field> fields) {
        return fields.stream().filter(f -> errors.containsKey(f.name())).toList();
    }

    /** Whether any field of the section has a value or an error (a folded section then opens). */
    public boolean anyIn(Section s) {
        return s.fields().stream().anyMatch(f -> !value(f.name()).isBlank() || errors.containsKey(f.name()));
    }

    /**
     * The cmdlet's parameters from the values of {@code fields}. For a new object ({@code change} false) an empty
     * field is left out, so the cmdlet's default applies; for a change it is cleared ($null; "" for a comment; $false
     * for a rule's action). A ticked {@link Field.Kind#CHECK} is $true and an unticked one $false in both.
     */
    public Map<String, Object> parameters(List<Field> fields, boolean change) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (Field f : fields) {
            String raw = value(f.name());
            switch (f.kind()) {
                case CHECK -> p.put(f.name(), checked(f.name()));
                case FLAG -> {
                    if (checked(f.name())) p.put(f.name(), true);
                    else if (change) p.put(f.name(), false);
                }
                case LINES -> {
                    List<String> list = lines(raw);
                    if (!list.isEmpty()) p.put(f.name(), list);
                    else if (change) p.put(f.name(), null);
                }
                case NOTE -> {
                    if (!raw.isBlank()) p.put(f.name(), raw);
                    else if (change) p.put(f.name(), "");
                }
                default -> {
                    if (!raw.isBlank() || f.required()) p.put(f.name(), raw);
                    else if (change) p.put(f.name(), null);
                }
            }
        }
        return p;
    }

    /** One value per line, each without the spaces around it; blank lines don't count. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) if (!line.isBlank()) out.add(line.strip());
        return out;
    }

    /** A list as the form shows it: one value per line. */
    public static String lines(List<?> values) {
        return values == null ? "" : String.join("\n", values.stream().map(String::valueOf).toList());
    }

    public static String ticked(boolean b) { return b ? TICKED : ""; }
}
