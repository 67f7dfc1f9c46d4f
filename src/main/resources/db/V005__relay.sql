-- The relay agent polls AwaitingRelay rows the way local delivery polls Pending ones (partial index on both dialects).
CREATE INDEX recipients_awaiting_relay ON recipients (next_attempt_at) WHERE status = 'AwaitingRelay';
