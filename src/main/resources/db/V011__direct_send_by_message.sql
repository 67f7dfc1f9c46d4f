-- The Direct Send readiness report (Get-DirectSendReport, and the home page's Direct Send panel) reads the Direct Send
-- copies of a tenant in a time window. With the message id in this index it reads only those from the window's first
-- message on (the smallest message id received in the window, found on messages_received), instead of every Direct Send
-- copy the tenant had in the whole retention. Replaces the index of V003 under the same name; it serves the same prefix.
DROP INDEX recipients_direct_send;
CREATE INDEX recipients_direct_send ON recipients (tenant_id, direct_send, message_id);
