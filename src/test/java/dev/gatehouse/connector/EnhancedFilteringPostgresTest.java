// Enhanced Filtering end to end on PostgreSQL (a fresh schema, dropped afterwards).
package dev.gatehouse.connector;

import dev.gatehouse.store.TestDatabase;

class EnhancedFilteringPostgresTest extends EnhancedFilteringScenarios {
    @Override TestDatabase.Kind kind() { return TestDatabase.Kind.POSTGRES; }
}
