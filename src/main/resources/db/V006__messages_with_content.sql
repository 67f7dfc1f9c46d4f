-- Housekeeping empties a message's bytes once every recipient is final (decision 0007). This index holds
-- only the messages that still have bytes (the last hour's, and those still queued), so each run reads a
-- few thousand index entries instead of scanning every message ever received inside the writer.
CREATE INDEX messages_with_content ON messages (received_at) WHERE LENGTH(content) > 0;
