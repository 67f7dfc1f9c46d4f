-- Inbound connectors (New-InboundConnector), and the attribution facts of each accepted recipient.
-- Multi-valued properties are stored as comma-separated text (values never contain commas: validated).

CREATE TABLE inbound_connectors (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  guid VARCHAR(36) NOT NULL,
  name VARCHAR(256) NOT NULL,
  name_key VARCHAR(256) NOT NULL,
  connector_type VARCHAR(16) NOT NULL,
  sender_domains TEXT NOT NULL,
  sender_ip_addresses TEXT NOT NULL,
  restrict_ips BOOLEAN NOT NULL,
  tls_cert_name VARCHAR(256),
  restrict_cert BOOLEAN NOT NULL,
  require_tls BOOLEAN NOT NULL,
  enabled BOOLEAN NOT NULL,
  treat_internal BOOLEAN NOT NULL,
  cloud_services BOOLEAN NOT NULL,
  associated_domains TEXT NOT NULL,
  comment TEXT,
  cert_thumbprint VARCHAR(64),
  created_at BIGINT NOT NULL,
  changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX inbound_connectors_name ON inbound_connectors (tenant_id, name_key);

-- Per recipient: the connector the message came through ('' = the default connector), the direction and
-- authentication verdicts, whether it counts as Direct Send (spec §1.3), and the tenant's own stamp
-- headers, prepended to that tenant's delivered copy.
ALTER TABLE recipients ADD COLUMN inbound_connector VARCHAR(256);
ALTER TABLE recipients ADD COLUMN directionality VARCHAR(16);
ALTER TABLE recipients ADD COLUMN auth_as VARCHAR(16);
ALTER TABLE recipients ADD COLUMN direct_send BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE recipients ADD COLUMN stamp_headers TEXT;
CREATE INDEX recipients_direct_send ON recipients (tenant_id, direct_send);
