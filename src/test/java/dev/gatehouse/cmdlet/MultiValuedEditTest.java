// Unit tests of MultiValuedEdit: replacing an Exchange multi-valued property with a list, or editing it with
// @{Add=...; Remove=...}, comparing values ignoring case as Exchange does for addresses and domains.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultiValuedEditTest {

    static MultiValuedEdit edit(List<Object> add, List<Object> remove) {
        return new MultiValuedEdit(Optional.empty(), add, remove);
    }

    /** The edit {@code -SenderDomains <text>} binds to. */
    static MultiValuedEdit bound(String text) throws ConversionException {
        return (MultiValuedEdit) ParameterType.multiValued().convert("SenderDomains", ValueParserTest.value(text));
    }

    @Test void aListReplacesTheCurrentValues() throws Exception {
        assertThat(bound("a.com,b.com").applyTo(List.of("old.com", "a.com"))).containsExactly("a.com", "b.com");
        assertThat(bound("'*.contoso.com'").applyTo(List.of("old.com"))).containsExactly("*.contoso.com");
        assertThat(bound("@()").applyTo(List.of("old.com"))).isEmpty();
    }

    @Test void removeThenAddKeepingTheOrderOfTheCurrentValues() throws Exception {
        MultiValuedEdit e = bound("@{Add='d.com','e.com'; Remove='b.com'}");
        assertThat(e.applyTo(List.of("a.com", "b.com", "c.com"))).containsExactly("a.com", "c.com", "d.com", "e.com");
    }

    @Test void comparisonsIgnoreCaseAndKeepTheCurrentSpelling() throws Exception {
        assertThat(bound("@{Remove='CONTOSO.com'}").applyTo(List.of("contoso.com", "fabrikam.com")))
                .containsExactly("fabrikam.com");
        // Adding a value that is already there (in another case) changes nothing.
        assertThat(bound("@{Add='Contoso.COM'}").applyTo(List.of("contoso.com"))).containsExactly("contoso.com");
    }

    @Test void addingTheSameValueTwiceAddsItOnce() throws Exception {
        assertThat(bound("@{Add='x.com','X.com','x.com'}").applyTo(List.of())).containsExactly("x.com");
    }

    @Test void removingAValueThatIsNotThereIsNotAnError() throws Exception {
        assertThat(bound("@{Remove='absent.com'}").applyTo(List.of("a.com"))).containsExactly("a.com");
        assertThat(bound("@{Remove='absent.com'}").applyTo(List.of())).isEmpty();
    }

    @Test void removeRemovesEveryCopy() {
        assertThat(edit(List.of(), List.of("a")).applyTo(List.of("a", "b", "A", "a"))).containsExactly("b");
    }

    @Test void addAndRemoveOfTheSameValueLeavesItPresent() throws Exception {
        // The current values minus Remove, plus Add.
        assertThat(bound("@{Add='a.com'; Remove='a.com'}").applyTo(List.of("a.com", "b.com"))).containsExactly("b.com", "a.com");
        assertThat(bound("@{Remove='a.com'; Add='A.com'}").applyTo(List.of())).containsExactly("A.com");
    }

    @Test void anEmptyEditChangesNothing() throws Exception {
        assertThat(bound("@{}").applyTo(List.of("a.com", "b.com"))).containsExactly("a.com", "b.com");
        assertThat(bound("@{Add=@(); Remove=$null}").applyTo(List.of("a.com"))).containsExactly("a.com");
    }

    @Test void applyConvertsOnlyTheNewValues() {
        List<Object> seen = new ArrayList<>();
        MultiValuedEdit e = edit(List.of("3", "1"), List.of("2"));
        List<Integer> result = e.apply(List.of(1, 2, 5), o -> {
            seen.add(o);
            return Integer.valueOf(o.toString());
        });
        assertThat(result).containsExactly(1, 5, 3);
        assertThat(seen).containsExactly("3");
        List<Integer> replaced = MultiValuedEdit.replaceWith(List.of("7", "8")).apply(List.of(1), o -> Integer.valueOf(o.toString()));
        assertThat(replaced).containsExactly(7, 8);
    }

    @Test void applyToComparesNonStringValuesByTheirText() {
        assertThat(edit(List.of(5, true), List.of(1)).applyTo(List.of("1", "5"))).containsExactly("5", "true");
    }

    @Test void resultsAndComponentsAreImmutableCopies() {
        List<Object> add = new ArrayList<>(List.of("a"));
        List<Object> values = new ArrayList<>(List.of("r"));
        MultiValuedEdit e = edit(add, List.of());
        MultiValuedEdit r = MultiValuedEdit.replaceWith(values);
        add.add("b");
        values.add("s");
        assertThat(e.add()).containsExactly("a");
        assertThat(r.replace()).contains(List.of("r"));
        assertThatThrownBy(() -> e.add().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.replace().orElseThrow().add("c")).isInstanceOf(UnsupportedOperationException.class);
        List<String> current = new ArrayList<>(List.of("x"));
        List<String> result = e.applyTo(current);
        assertThat(current).containsExactly("x");
        assertThatThrownBy(() -> result.add("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test void allValuesListsReplacementThenAddThenRemove() throws Exception {
        assertThat(bound("a.com,b.com").allValues()).containsExactly("a.com", "b.com");
        assertThat(bound("@{Remove='r.com'; Add='a1.com','a2.com'}").allValues()).containsExactly("a1.com", "a2.com", "r.com");
        assertThat(new MultiValuedEdit(Optional.of(List.of("x")), List.of("y"), List.of("z")).allValues())
                .containsExactly("x", "y", "z");
        assertThat(bound("@{}").allValues()).isEmpty();
    }

    @Test void aReplacementWinsOverAddAndRemove() {
        MultiValuedEdit e = new MultiValuedEdit(Optional.of(List.of("only")), List.of("added"), List.of("only"));
        assertThat(e.applyTo(List.of("old"))).containsExactly("only");
    }

    @Test void editsAreValuesComparedByContent() throws Exception {
        assertThat(bound("@{Add='a'}")).isEqualTo(edit(List.of("a"), List.of()));
        assertThat(bound("a,b")).isEqualTo(MultiValuedEdit.replaceWith(List.of("a", "b")));
        assertThat(bound("a,b")).isNotEqualTo(MultiValuedEdit.replaceWith(List.of("b", "a")));
    }
}
