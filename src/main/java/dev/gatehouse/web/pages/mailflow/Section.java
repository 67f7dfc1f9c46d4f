// A group of fields on a mail flow form, shown as one fieldset (a rule's exceptions fold away when empty).
package dev.gatehouse.web.pages.mailflow;

import java.util.List;

/** {@code intro} is a line under the legend, or null; a {@code folded} section is closed while none of its fields has a value. */
public record Section(String legend, String intro, List<Field> fields, boolean folded) {
    public Section {
        fields = List.copyOf(fields);
    }

    public static Section of(String legend, String intro, Field... fields) {
        return new Section(legend, intro, List.of(fields), false);
    }

    /** Every field of these sections, in order. */
    public static List<Field> fields(List<Section> sections) {
        return sections.stream().flatMap(s -> s.fields().stream()).toList();
    }
}
