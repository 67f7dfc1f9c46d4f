// Tests of the "Did you mean" distance and choice: Damerau-Levenshtein ignoring case, the threshold, the closest only.
package dev.gatehouse.cmdlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    static final List<String> NAMES = List.of("Get-Mailbox", "Set-Mailbox", "New-Mailbox", "Remove-Mailbox",
            "Get-AcceptedDomain", "Set-AcceptedDomain", "Get-InboundConnector", "Get-Help", "select", "fl", "ft");

    @Test void anAdjacentTranspositionCostsOneEditAsInDamerauLevenshtein() {
        assertThat(Suggestions.distance("get-mailbxo", "get-mailbox")).isEqualTo(1);
        // plain Levenshtein would count two substitutions
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
        // the unrestricted distance: a transposition may be edited further (the optimal-string-alignment variant says 3)
        assertThat(Suggestions.distance("ca", "abc")).isEqualTo(2);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test void theThresholdGrowsWithTheTypedLengthFromOneToThreeEdits() {
        assertThat(Suggestions.threshold(2)).isEqualTo(1);
        assertThat(Suggestions.threshold(7)).isEqualTo(1);
        assertThat(Suggestions.threshold(10)).isEqualTo(2);
        assertThat(Suggestions.threshold(17)).isEqualTo(3);
        assertThat(Suggestions.threshold(400)).isEqualTo(3);
    }

    @Test void onlyTheClosestNamesAreSuggestedIgnoringCaseAndTypographicDashes() {
        assertThat(Suggestions.closest("Get-Mailbx", NAMES)).containsExactly("Get-Mailbox");
        assertThat(Suggestions.closest("get-acceptedomain", NAMES)).containsExactly("Get-AcceptedDomain");
        assertThat(Suggestions.closest("GET\u2013MAILBOXX", NAMES)).containsExactly("Get-Mailbox");
        // a tie: both one edit away, in alphabetical order
        assertThat(Suggestions.closest("et-Mailbox", NAMES)).containsExactly("Get-Mailbox", "Set-Mailbox");
        assertThat(Suggestions.closest("selct", NAMES)).containsExactly("select");
    }

    @Test void atMostThreeNamesAndNoneWhenNothingIsClose() {
        assertThat(Suggestions.closest("fx", List.of("fa", "fb", "fc", "fd", "fe"))).containsExactly("fa", "fb", "fc");
        assertThat(Suggestions.closest("Get-Frobnicator", NAMES)).isEmpty();
        assertThat(Suggestions.closest("Get-Foo", NAMES)).as("four edits from Get-Help is too far for seven letters").isEmpty();
        assertThat(Suggestions.closest("get-mailbox", NAMES)).as("the name itself is no suggestion").containsExactly("Set-Mailbox");
        assertThat(Suggestions.closest("x".repeat(70_000), NAMES)).isEmpty();
    }

    @Test void theSentenceListsOneTwoOrThreeNames() {
        assertThat(Suggestions.sentence(List.of(), "-")).isEmpty();
        assertThat(Suggestions.sentence(List.of("SenderIPAddresses"), "-")).isEqualTo(" Did you mean -SenderIPAddresses?");
        assertThat(Suggestions.sentence(List.of("A", "B"), "")).isEqualTo(" Did you mean A or B?");
        assertThat(Suggestions.sentence(List.of("A", "B", "C"), "")).isEqualTo(" Did you mean A, B or C?");
    }
}
