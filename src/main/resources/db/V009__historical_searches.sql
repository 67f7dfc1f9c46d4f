-- Historical searches (Start-HistoricalSearch): one row per job of a tenant, run in the background by a bounded
-- worker that claims it with a lease, so a job interrupted by a restart is taken up again. Kept 10 days, as
-- Exchange lists them. Multi-valued filters are stored one value per line.
CREATE TABLE historical_searches (
  id {{ID}},
  job_id VARCHAR(36) NOT NULL,
  tenant_id BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  submitted_by VARCHAR(256),
  report_title VARCHAR(256) NOT NULL,
  report_type VARCHAR(32) NOT NULL,
  start_date BIGINT NOT NULL,
  end_date BIGINT NOT NULL,
  direction VARCHAR(16),
  connector_type VARCHAR(16),
  delivery_status VARCHAR(16),
  tls_used VARCHAR(16),
  sender_addresses TEXT,
  recipient_addresses TEXT,
  message_ids TEXT,
  original_client_ip VARCHAR(64),
  transport_rules TEXT,
  notify_addresses TEXT,
  compress_file BOOLEAN NOT NULL,
  status VARCHAR(16) NOT NULL,
  rows_written BIGINT NOT NULL,
  progress INTEGER NOT NULL,
  file_name VARCHAR(256),
  status_description TEXT,
  claim_owner VARCHAR(64),
  lease_until BIGINT,
  attempts INTEGER NOT NULL,
  completed_at BIGINT
);
CREATE UNIQUE INDEX historical_searches_job ON historical_searches (job_id);
CREATE INDEX historical_searches_tenant ON historical_searches (tenant_id, submitted_at);
CREATE INDEX historical_searches_status ON historical_searches (status, lease_until);

-- Message trace and historical search read a tenant's messages by time, and by sender over time.
CREATE INDEX messages_received ON messages (received_at);
CREATE INDEX messages_sender ON messages (LOWER(mail_from), received_at);
