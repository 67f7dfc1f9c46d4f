-- Counts of an organization's mail per closed UTC hour, kept the first time a report reads that hour (decision
-- web-report-aggregates): the home page's copies per outcome, the inbound messages report's messages per connector and
-- TLS protocol, and the Direct Send copies per sending IP and MAIL FROM. Nothing on the accept or delivery path writes
-- here; a page that counted an hour live writes it once the hour can no longer change. `hour` is received_at / 3600000.
-- An hour that was kept without any mail has one placeholder row with a count of 0 (a real row always counts 1 or
-- more), so that "kept and empty" is told from "not kept" by the same read.
CREATE TABLE hourly_outcomes (
  tenant_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  copies BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, hour, outcome)
);
CREATE INDEX hourly_outcomes_hour ON hourly_outcomes (hour);

-- tls_protocol '' = no TLS; connector '' = no connector.
CREATE TABLE hourly_inbound (
  tenant_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  connector VARCHAR(256) NOT NULL,
  tls_protocol VARCHAR(32) NOT NULL,
  messages BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, hour, connector, tls_protocol)
);
CREATE INDEX hourly_inbound_hour ON hourly_inbound (hour);

-- One row per (hour, client IP, MAIL FROM), keyed by the recipient row id of its first copy (0: placeholder); the
-- first copy's recipient is the Direct Send report's sample.
CREATE TABLE hourly_direct_send (
  tenant_id BIGINT NOT NULL,
  hour BIGINT NOT NULL,
  first_copy_id BIGINT NOT NULL,
  client_ip VARCHAR(64),
  mail_from VARCHAR(512) NOT NULL,
  messages BIGINT NOT NULL,
  copies BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  sample_recipient VARCHAR(512) NOT NULL,
  PRIMARY KEY (tenant_id, hour, first_copy_id)
);
CREATE INDEX hourly_direct_send_hour ON hourly_direct_send (hour);

-- One row: the hours before before_hour may have lost messages to trace retention. The trace purge raises it before it
-- deletes any message, then drops the kept rows below it; every read of kept rows compares their hour with it in the
-- same statement, so a row a page wrote below it (counted just before a purge) is never read.
CREATE TABLE hourly_horizon (id INTEGER NOT NULL PRIMARY KEY, before_hour BIGINT NOT NULL);
INSERT INTO hourly_horizon (id, before_hour) VALUES (1, 0);
