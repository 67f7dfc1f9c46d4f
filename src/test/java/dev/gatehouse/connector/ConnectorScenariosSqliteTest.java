package dev.gatehouse.connector;

/** The spec scenarios on the embedded SQLite store. */
class ConnectorScenariosSqliteTest extends ConnectorScenarios {
    @Override String storeUrl() { return null; }
}
