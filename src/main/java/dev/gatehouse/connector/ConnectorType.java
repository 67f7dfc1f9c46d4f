// The two kinds of inbound connector Exchange Online has (TenantConnectorType).
package dev.gatehouse.connector;

/**
 * {@code Partner}: a third party (or a third-party MX gateway) sending to the organization; the message stays
 * Incoming. {@code OnPremises}: the organization's own servers; matched mail is Originating and may relay.
 */
public enum ConnectorType { Partner, OnPremises }
