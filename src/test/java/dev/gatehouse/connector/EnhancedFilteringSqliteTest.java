// Enhanced Filtering end to end on SQLite.
package dev.gatehouse.connector;

import dev.gatehouse.store.TestDatabase;

class EnhancedFilteringSqliteTest extends EnhancedFilteringScenarios {
    @Override TestDatabase.Kind kind() { return TestDatabase.Kind.SQLITE; }
}
