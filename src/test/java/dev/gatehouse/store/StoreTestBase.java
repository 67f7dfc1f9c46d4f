// Base of the contract tests that run on both stores: a fresh database and an open Store per test.
package dev.gatehouse.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * Subclasses add {@code @ParameterizedClass @EnumSource(TestDatabase.Kind.class)}, so every test runs on
 * SQLite in a temp dir and on PostgreSQL in a fresh schema.
 */
public abstract class StoreTestBase {
    @Parameter
    protected TestDatabase.Kind kind;
    protected TestDatabase db;
    protected Store store;

    @BeforeEach
    void openStore() {
        db = new TestDatabase(kind);
        store = db.open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
        db.close();
    }

    /** Closes the current Store and opens a new one on the same database (a restart). */
    protected Store restart() {
        store.close();
        store = db.open();
        return store;
    }
}
