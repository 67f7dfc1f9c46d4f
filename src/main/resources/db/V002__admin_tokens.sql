-- Bearer tokens of the admin API: the operator's (tenant_id NULL: every tenant) and tenant admins'.
-- Only a SHA-256 of each token is kept; the token itself is shown once, when it is created.
CREATE TABLE admin_tokens (
  id {{ID}},
  tenant_id BIGINT,
  name VARCHAR(256) NOT NULL,
  name_key VARCHAR(256) NOT NULL,
  guid VARCHAR(36) NOT NULL,
  token_hash VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX admin_tokens_hash ON admin_tokens (token_hash);
CREATE UNIQUE INDEX admin_tokens_guid ON admin_tokens (guid);
