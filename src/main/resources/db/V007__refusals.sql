-- The refusal log: every recipient refused at RCPT TO (5.7.64, 5.4.1, 5.7.51, 5.7.68, 530 RequireTls) and every
-- message refused at end of data for its header From (RejectDirectSendHeaderFrom), kept with the trace retention.
-- Exchange keeps no record of these; an admin who switched RejectDirectSend on needs to see who is now refused.
-- tenant_id is NULL when no tenant owns the recipient's domain (relay refused): only the operator sees those.
CREATE TABLE refusals (
  id {{ID}},
  tenant_id BIGINT,
  refused_at BIGINT NOT NULL,
  client_ip VARCHAR(64),
  helo VARCHAR(512),
  tls_protocol VARCHAR(32),
  mail_from VARCHAR(512) NOT NULL,
  recipient VARCHAR(512) NOT NULL,
  reason VARCHAR(64) NOT NULL,
  reply TEXT NOT NULL,
  connector VARCHAR(256)
);
CREATE INDEX refusals_tenant ON refusals (tenant_id, refused_at);
CREATE INDEX refusals_at ON refusals (refused_at);
