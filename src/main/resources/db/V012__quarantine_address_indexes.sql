-- The quarantine list filtered by sender or recipient (Get-QuarantineMessage -SenderAddress / -RecipientAddress, the
-- admin centre's filters) reads that address's copies newest first instead of walking 16 days of the tenant's
-- quarantine: at a million quarantined copies the sender filter took 0.8 s (p50) without this index.
CREATE INDEX quarantine_sender ON quarantine (tenant_id, LOWER(sender_address), received_at);
CREATE INDEX quarantine_recipient ON quarantine (tenant_id, LOWER(recipient_address), received_at);
