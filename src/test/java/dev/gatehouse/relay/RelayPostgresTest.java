package dev.gatehouse.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** Relay, NDR and notification scenarios on PostgreSQL, in a fresh schema {@code gh_relay_<random>} dropped afterwards. */
class RelayPostgresTest extends RelayEndToEndTest {
    static final String PG_URL = System.getenv().getOrDefault("GATEHOUSE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private String schema;

    @Override String storeUrl() throws Exception {
        schema = "gh_relay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override void dropStore() throws Exception { if (schema != null) execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
