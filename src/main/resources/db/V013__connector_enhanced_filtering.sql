-- Enhanced Filtering for Connectors (New-/Set-InboundConnector -EFSkipIPs, -EFSkipLastIP, -EFUsers). Lists are
-- comma-separated text like the other multi-valued connector properties (values never contain commas: validated).
-- Existing connectors keep Enhanced Filtering off: no addresses to skip, EFSkipLastIP $false.
ALTER TABLE inbound_connectors ADD COLUMN ef_skip_ips TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound_connectors ADD COLUMN ef_skip_last_ip BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inbound_connectors ADD COLUMN ef_users TEXT NOT NULL DEFAULT '';
