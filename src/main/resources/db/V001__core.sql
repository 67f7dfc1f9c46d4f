-- Core schema: tenants, accepted domains, mailboxes, organization config, the queue and trace events.
-- Shared by SQLite and PostgreSQL. Timestamps are epoch milliseconds (BIGINT); ids expand from {{ID}}.

-- One row, bumped by every directory change, so other nodes notice within a second.
CREATE TABLE config_version (id INTEGER NOT NULL PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE TABLE tenants (
  id {{ID}},
  name VARCHAR(256) NOT NULL,
  name_key VARCHAR(256) NOT NULL,
  guid VARCHAR(36) NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tenants_name_key ON tenants (name_key);
CREATE UNIQUE INDEX tenants_guid ON tenants (guid);

CREATE TABLE accepted_domains (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  name VARCHAR(256) NOT NULL,
  name_key VARCHAR(256) NOT NULL,
  domain_name VARCHAR(253) NOT NULL,
  domain_type VARCHAR(32) NOT NULL,
  match_subdomains BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);
-- A domain belongs to at most one tenant.
CREATE UNIQUE INDEX accepted_domains_domain ON accepted_domains (domain_name);
CREATE UNIQUE INDEX accepted_domains_name ON accepted_domains (tenant_id, name_key);

CREATE TABLE mailboxes (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  name VARCHAR(256) NOT NULL,
  name_key VARCHAR(256) NOT NULL,
  guid VARCHAR(36) NOT NULL,
  primary_address VARCHAR(320) NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX mailboxes_name ON mailboxes (tenant_id, name_key);

-- Primary and proxy addresses; address_key (lower case, A-label domain) is unique across all tenants.
CREATE TABLE mailbox_addresses (
  address_key VARCHAR(320) NOT NULL PRIMARY KEY,
  address VARCHAR(320) NOT NULL,
  tenant_id BIGINT NOT NULL,
  mailbox_id BIGINT NOT NULL,
  is_primary BOOLEAN NOT NULL
);
CREATE INDEX mailbox_addresses_mailbox ON mailbox_addresses (tenant_id, mailbox_id);

CREATE TABLE org_config (
  tenant_id BIGINT NOT NULL,
  config_key VARCHAR(128) NOT NULL,
  config_value TEXT,
  PRIMARY KEY (tenant_id, config_key)
);

-- The durable queue: one row per accepted message (content as stamped) ...
CREATE TABLE messages (
  id {{ID}},
  network_message_id VARCHAR(36) NOT NULL,
  received_at BIGINT NOT NULL,
  mail_from VARCHAR(512) NOT NULL,
  client_ip VARCHAR(64),
  helo VARCHAR(512),
  tls_protocol VARCHAR(32),
  tls_cipher VARCHAR(128),
  internet_message_id TEXT,
  subject TEXT,
  header_from TEXT,
  size BIGINT NOT NULL,
  content {{BLOB}} NOT NULL
);
CREATE UNIQUE INDEX messages_nmid ON messages (network_message_id);

-- ... and one row per recipient, each owned by one tenant. status: Pending | Delivered | Failed.
CREATE TABLE recipients (
  id {{ID}},
  message_id BIGINT NOT NULL,
  tenant_id BIGINT NOT NULL,
  address VARCHAR(512) NOT NULL,
  mailbox_id BIGINT,
  status VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claim_owner VARCHAR(64),
  lease_until BIGINT,
  last_error TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX recipients_pending ON recipients (next_attempt_at) WHERE status = 'Pending';
CREATE INDEX recipients_message ON recipients (message_id);
CREATE INDEX recipients_tenant ON recipients (tenant_id, message_id);

-- Append-only message events: the one source for message trace.
CREATE TABLE message_events (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  network_message_id VARCHAR(36) NOT NULL,
  recipient VARCHAR(512),
  event_type VARCHAR(32) NOT NULL,
  detail TEXT,
  event_at BIGINT NOT NULL
);
CREATE INDEX message_events_msg ON message_events (tenant_id, network_message_id);
