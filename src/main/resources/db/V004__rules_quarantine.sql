-- Mail flow rules, per-recipient content variants, hosted quarantine and its audit log.
-- Shared by SQLite and PostgreSQL. Timestamps are epoch milliseconds (BIGINT).

-- Transport rules of a tenant; priorities are kept contiguous 0..N-1 by the service (no unique index:
-- shifting them is one UPDATE, which a per-row unique check would refuse half way).
CREATE TABLE transport_rules (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  guid VARCHAR(36) NOT NULL,
  name VARCHAR(64) NOT NULL,
  name_key VARCHAR(64) NOT NULL,
  priority INTEGER NOT NULL,
  mode VARCHAR(16) NOT NULL,
  enabled BOOLEAN NOT NULL,
  activation_at BIGINT,
  expiry_at BIGINT,
  stop_processing BOOLEAN NOT NULL,
  sender_location VARCHAR(32) NOT NULL,
  comments TEXT,
  error_action VARCHAR(16) NOT NULL,
  parameters TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX transport_rules_name ON transport_rules (tenant_id, name_key);
CREATE UNIQUE INDEX transport_rules_guid ON transport_rules (guid);

-- Content that differs from messages.content for some recipients (rule edits, released copies).
CREATE TABLE message_variants (
  id {{ID}},
  message_id BIGINT NOT NULL,
  content {{BLOB}} NOT NULL
);
CREATE INDEX message_variants_message ON message_variants (message_id);
ALTER TABLE recipients ADD COLUMN variant_id BIGINT;

-- Hosted quarantine: one copy per quarantined recipient, with its own bytes (purged when it expires).
CREATE TABLE quarantine (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  message_guid VARCHAR(36) NOT NULL,
  recipient_guid VARCHAR(36) NOT NULL,
  message_row_id BIGINT NOT NULL,
  recipient_address VARCHAR(512) NOT NULL,
  mailbox_id BIGINT,
  sender_address VARCHAR(512) NOT NULL,
  subject TEXT,
  internet_message_id TEXT,
  size BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  policy_type VARCHAR(64) NOT NULL,
  policy_name VARCHAR(256),
  policy_id VARCHAR(36),
  quarantine_type VARCHAR(32) NOT NULL,
  release_status VARCHAR(32) NOT NULL,
  released_users TEXT,
  content {{BLOB}} NOT NULL
);
CREATE UNIQUE INDEX quarantine_identity ON quarantine (tenant_id, message_guid, recipient_guid);
CREATE INDEX quarantine_received ON quarantine (tenant_id, received_at);
CREATE INDEX quarantine_expires ON quarantine (expires_at);

-- Who released, deleted or exported what, and when.
CREATE TABLE quarantine_audit (
  id {{ID}},
  tenant_id BIGINT NOT NULL,
  identity VARCHAR(80) NOT NULL,
  action VARCHAR(32) NOT NULL,
  actor VARCHAR(256) NOT NULL,
  detail TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX quarantine_audit_tenant ON quarantine_audit (tenant_id, at);
