// A page's form as submitted (query or POST): its values, the cmdlet parameters made from them, and the cmdlet's errors by field.
package dev.gatehouse.web.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.cmdlet.RunResult;
import dev.gatehouse.web.AdminCentre;
import io.javalin.http.Context;

/**
 * Fields are named as the cmdlet's parameters, so a cmdlet's error lands next to the field its parameter names
 * ({@link AdminCentre#fieldErrors}); an error that names no field of this form is shown above it ({@link #general()}).
 * Templates read values and errors through it; pages build the cmdlet's parameters with {@link #text}, {@link #list}
 * and {@link #choices}.
 */
public final class Form {
    private final Map<String, List<String>> values;
    private final Set<String> fields;
    private Map<String, String> errors = Map.of();

    private Form(Map<String, List<String>> values, Set<String> fields) {
        this.values = values;
        this.fields = fields;
    }

    /** The fields {@code fields} of a GET form (the query string). */
    public static Form query(Context ctx, String... fields) { return read(ctx.queryParamMap(), fields); }

    /** The fields {@code fields} of a POST form. */
    public static Form posted(Context ctx, String... fields) { return read(ctx.formParamMap(), fields); }

    /** A form with these values (a page's defaults, or a search it makes for the user). */
    public static Form of(Map<String, String> given, String... fields) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        given.forEach((k, x) -> v.put(k, List.of(x)));
        return read(v, fields);
    }

    private static Form read(Map<String, List<String>> all, String... fields) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        for (String f : fields) {
            List<String> given = all.get(f);
            if (given != null) v.put(f, given.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        return new Form(v, Set.of(fields));
    }

    /** The field's (first) value as typed, or "" when empty. */
    public String value(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? "" : v.getFirst();
    }

    public boolean has(String name) { return !value(name).isEmpty(); }

    /** A whole number as typed, or {@code otherwise} for none or another text. */
    public static int number(String text, int otherwise) {
        try {
            return text == null ? otherwise : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Whether any field was filled. */
    public boolean filled() { return values.values().stream().anyMatch(v -> !v.isEmpty()); }

    /** Whether {@code option} is among the field's values (a checkbox, an option of a select). */
    public boolean chosen(String name, String option) {
        List<String> v = values.get(name);
        return v != null && v.contains(option);
    }

    /** The same form with one field set to {@code value} (a page filling in what it searched for). */
    public Form with(String name, String value) {
        Map<String, List<String>> v = new LinkedHashMap<>(values);
        v.put(name, List.of(value));
        Form f = new Form(v, fields);
        f.errors = errors;
        return f;
    }

    // ---- the cmdlet's parameters ----

    /** Adds the field as a single-valued parameter when it is filled. */
    public Form text(Map<String, Object> params, String name) {
        if (has(name)) params.put(name, value(name));
        return this;
    }

    /** Adds the field as a list parameter when filled: values separated by commas (or semicolons, or lines), as typed in the shell. */
    public Form list(Map<String, Object> params, String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String s : v.split("[,;\\r\\n]+")) if (!s.isBlank()) out.add(s.strip());
        }
        if (!out.isEmpty()) params.put(name, out);
        return this;
    }

    /** Adds a repeated field (checkboxes) as a list parameter when any is chosen. */
    public Form choices(Map<String, Object> params, String name) {
        List<String> v = values.getOrDefault(name, List.of());
        if (!v.isEmpty()) params.put(name, List.copyOf(v));
        return this;
    }

    // ---- errors ----

    /** Takes the errors of a failed run (none for a run that succeeded). */
    public Form errors(RunResult r) {
        errors = r.succeeded() ? Map.of() : AdminCentre.fieldErrors(r);
        return this;
    }

    /** The same form with an error of the page's own on one field (when a cmdlet can't be run with what was given). */
    public Form errorOn(String name, String message) {
        Map<String, String> e = new LinkedHashMap<>(errors);
        e.put(name, message);
        errors = e;
        return this;
    }

    /** The error for one field, or null. */
    public String error(String name) { return fields.contains(name) ? errors.get(name) : null; }

    /** The errors that name no field of this form (or null): shown above it. */
    public String general() {
        List<String> out = new ArrayList<>();
        errors.forEach((k, v) -> { if (!fields.contains(k)) out.add(v); });
        return out.isEmpty() ? null : String.join(" ", out);
    }

    public boolean failed() { return !errors.isEmpty(); }

    /** A field's element id. */
    public static String id(String name) { return "f-" + name; }

    /** The ids a field's {@code aria-describedby} lists: its help and its error, when there are (null when neither). */
    public String describedBy(String name, boolean help) {
        String e = error(name) != null ? id(name) + "-error" : null;
        String h = help ? id(name) + "-help" : null;
        return h == null ? e : e == null ? h : h + " " + e;
    }

    // ---- links ----

    /**
     * {@code path} with this form's values as its query, {@code overrides} (name, value, name, value...) replacing
     * them: a value of null drops that field. For the links of a result (the next page).
     */
    public String url(String path, String... overrides) {
        Map<String, List<String>> v = new LinkedHashMap<>(values);
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            if (overrides[i + 1] == null) v.remove(overrides[i]);
            else v.put(overrides[i], List.of(overrides[i + 1]));
        }
        StringBuilder q = new StringBuilder();
        v.forEach((k, list) -> {
            for (String x : list) {
                q.append(q.isEmpty() ? "?" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(x, StandardCharsets.UTF_8));
            }
        });
        return path + q;
    }
}
