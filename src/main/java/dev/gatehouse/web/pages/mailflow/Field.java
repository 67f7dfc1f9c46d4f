// A field of a mail flow form: the cmdlet parameter it sets (its name is the field's name and id), its label, and its kind.
package dev.gatehouse.web.pages.mailflow;

import java.util.List;

/**
 * One form field. {@code name} is the cmdlet's parameter, so a cmdlet error that names the parameter is shown next to
 * the field ({@link Form#errors}). {@code options} are the choices of a {@link Kind#CHOICE}. A {@code required} field
 * is always passed, even empty, so that the cmdlet says what is missing.
 */
public record Field(String name, String label, Kind kind, String help, List<Option> options, boolean required) {

    /** How a field is shown and what it passes to the cmdlet. */
    public enum Kind {
        /** One line of text. */
        TEXT,
        /** A whole number, typed as text (so that what was typed is kept and the cmdlet judges it). */
        NUMBER,
        /** One value per line: a list. */
        LINES,
        /** Free text over several lines; cleared with "" (a comment). */
        NOTE,
        /** One of {@code options}. */
        CHOICE,
        /** A checkbox that always passes $true or $false. */
        CHECK,
        /** A checkbox for a rule's on/off action: $true, or left out (on a change: $false, which removes it). */
        FLAG
    }

    /** A choice of a {@link Kind#CHOICE} field: the value passed, and what the list shows. */
    public record Option(String value, String label) {}

    public Field {
        options = List.copyOf(options);
    }

    public static Field of(String name, String label, Kind kind, String help) {
        return new Field(name, label, kind, help, List.of(), false);
    }

    public static Field required(String name, String label, String help) {
        return new Field(name, label, Kind.TEXT, help, List.of(), true);
    }

    public static Field choice(String name, String label, String help, Option... options) {
        return new Field(name, label, Kind.CHOICE, help, List.of(options), false);
    }

    /** A CHOICE of values that are their own labels. */
    public static Field choice(String name, String label, String help, List<String> values) {
        return new Field(name, label, Kind.CHOICE, help, values.stream().map(v -> new Option(v, v)).toList(), false);
    }

    /** The same field for the exception twin of a rule condition ({@code ExceptIf<Name>}). */
    public Field exception() {
        return new Field("ExceptIf" + name, label, kind, help, options, required);
    }

    public boolean checkbox() { return kind == Kind.CHECK || kind == Kind.FLAG; }

    public boolean multiline() { return kind == Kind.LINES || kind == Kind.NOTE; }
}
