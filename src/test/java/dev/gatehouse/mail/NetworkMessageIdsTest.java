// Network message ids: well-formed version-7 GUIDs, unique, and in the order they were minted.
package dev.gatehouse.mail;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkMessageIdsTest {

    @Test
    void idsAreVersion7GuidsInMintingOrderAndUnique() {
        long before = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) ids.add(NetworkMessageIds.next().toString()); // many share a millisecond
        long after = System.currentTimeMillis();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted(); // string order = index order
        for (String id : List.of(ids.getFirst(), ids.getLast())) {
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
        }
        long firstMillis = UUID.fromString(ids.getFirst()).getMostSignificantBits() >>> 16;
        assertThat(firstMillis).isBetween(before, after + 5); // + the milliseconds borrowed by a very fast burst
    }
}
