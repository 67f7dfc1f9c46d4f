-- What the hunting tables read from a message's content (attachments, URLs), kept as JSON once the feed has read it:
-- the queue drops a delivered message's bytes after an hour (decision 0007), and the hunting tables, rebuilt from the
-- events at every start, must list the same attachments and URLs. Kept 30 days and a day, as the tables are.
CREATE TABLE hunting_content (
  network_message_id VARCHAR(36) NOT NULL PRIMARY KEY,
  received_at BIGINT NOT NULL,
  facts TEXT NOT NULL
);
CREATE INDEX hunting_content_received ON hunting_content (received_at);
