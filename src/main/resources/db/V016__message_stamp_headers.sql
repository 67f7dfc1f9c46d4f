-- The stamp fields of a tenant's copy (Authentication-Results, X-EOP*, X-MS-Exchange-Organization-*: about 1 KB) are the
-- same for every recipient of that tenant. They were kept in each recipient row, which made a row ~1.2 KB (3 to a 4 KB
-- page), and the claim and the delivery outcome rewrite that row: every page of recipients was written three times.
-- A message now keeps its first recipient's stamp fields once, in its own row (written once); a recipient row keeps
-- NULL when its fields are the message's, its own fields when they differ (another tenant), or '' for none.
-- Readers take COALESCE(r.stamp_headers, m.stamp_headers). Rows written before this migration have NULL here and their
-- own fields in the recipient row, so they read as before.
ALTER TABLE messages ADD COLUMN stamp_headers TEXT;
