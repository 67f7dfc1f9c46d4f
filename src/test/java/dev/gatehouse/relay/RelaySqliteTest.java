package dev.gatehouse.relay;

/** Relay, NDR and notification scenarios on the embedded SQLite store. */
class RelaySqliteTest extends RelayEndToEndTest {
    @Override String storeUrl() { return null; }
}
