// Transport rules of one tenant: create, read, change, reorder, remove; every change validated and versioned.
package dev.gatehouse.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.directory.ConfigWrites;
import dev.gatehouse.directory.Names;
import dev.gatehouse.directory.Recipients;
import dev.gatehouse.mail.Addresses;
import dev.gatehouse.kernel.NotFoundException;
import dev.gatehouse.kernel.ValidationException;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.WriteContext;

/**
 * The service behind {@code New-/Get-/Set-/Remove-/Enable-/Disable-TransportRule}. Every query is scoped by
 * tenant id. Priorities stay 0..N-1 (spec §5.1, scenario 22): a new rule goes last unless it names a
 * priority 0..N, and taking an occupied value moves that rule and every lower-priority rule down by one;
 * moving a rule with Set shifts the rules in between; removing closes the gap. Recipient parameters are
 * resolved when the rule is saved (a mailbox becomes its addresses). Each change bumps
 * {@code config_version} in the same transaction, so every node's {@link RuleEngine} recompiles.
 */
public final class RuleService {
    /** Exchange Online's limit of rules per organization. */
    public static final int MAX_RULES = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;

    public RuleService(Store store) { this.store = store; }

    /** What New-/Set-TransportRule pass; null fields are "not given" (Set leaves them unchanged). */
    public record RuleInput(String name, Integer priority, RuleMode mode, Boolean enabled, Instant activationDate,
                            Instant expiryDate, boolean clearActivation, boolean clearExpiry, Boolean stopRuleProcessing,
                            String senderAddressLocation, String comments, RuleErrorAction ruleErrorAction, Map<String, Object> parameters) {
        public RuleInput {
            parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        public static RuleInput named(String name, Map<String, Object> parameters) {
            return new RuleInput(name, null, null, null, null, null, false, false, null, null, null, null, parameters);
        }

        public RuleInput withPriority(Integer p) {
            return new RuleInput(name, p, mode, enabled, activationDate, expiryDate, clearActivation, clearExpiry, stopRuleProcessing,
                    senderAddressLocation, comments, ruleErrorAction, parameters);
        }
    }

    public TransportRule create(long tenantId, RuleInput in) {
        String name = checkName(in.name());
        Map<String, Object> params = new LinkedHashMap<>();
        in.parameters().forEach((k, v) -> { if (v != null) params.put(k, v); });
        checkScalars(in);
        RuleParameters.validate(params);
        return store.writeAndWait(ctx -> {
            requireTenant(ctx, tenantId);
            Map<String, Object> resolved = resolveRecipients(ctx.connection(), tenantId, params);
            if (find(ctx.connection(), tenantId, name) != null) throw new ValidationException("A transport rule with the name '" + name + "' already exists");
            int n = count(ctx, tenantId);
            if (n >= MAX_RULES) throw new ValidationException("The organization already has " + MAX_RULES + " transport rules, the maximum");
            int p = in.priority() == null ? n : in.priority();
            if (p < 0 || p > n) throw new ValidationException("-Priority " + p + ": the value must be between 0 and " + n);
            PreparedStatement shift = ctx.prepare("UPDATE transport_rules SET priority = priority + 1 WHERE tenant_id = ? AND priority >= ?");
            shift.setLong(1, tenantId);
            shift.setInt(2, p);
            shift.executeUpdate();
            long now = System.currentTimeMillis();
            PreparedStatement ps = ctx.prepare("INSERT INTO transport_rules (tenant_id, guid, name, name_key, priority, mode, enabled, activation_at,"
                    + " expiry_at, stop_processing, sender_location, comments, error_action, parameters, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setLong(1, tenantId);
            ps.setString(2, UUID.randomUUID().toString());
            ps.setString(3, name);
            ps.setString(4, Names.nameKey(name));
            ps.setInt(5, p);
            ps.setString(6, (in.mode() == null ? RuleMode.Enforce : in.mode()).name());
            ps.setBoolean(7, in.enabled() == null || in.enabled());
            setInstant(ps, 8, in.activationDate());
            setInstant(ps, 9, in.expiryDate());
            ps.setBoolean(10, Boolean.TRUE.equals(in.stopRuleProcessing()));
            ps.setString(11, in.senderAddressLocation() == null ? "Header" : in.senderAddressLocation());
            ps.setString(12, in.comments());
            ps.setString(13, (in.ruleErrorAction() == null ? RuleErrorAction.Ignore : in.ruleErrorAction()).name());
            ps.setString(14, json(resolved));
            ps.setLong(15, now);
            ps.setLong(16, now);
            ps.executeUpdate();
            store.configChangedIn(ctx);
            return find(ctx.connection(), tenantId, name);
        });
    }

    public TransportRule set(long tenantId, String identity, RuleInput in) {
        checkScalars(in);
        if (in.name() != null) checkName(in.name());
        return store.writeAndWait(ctx -> {
            TransportRule r = require(ctx.connection(), tenantId, identity);
            Map<String, Object> params = new LinkedHashMap<>(r.parameters());
            in.parameters().forEach((k, v) -> {
                if (v == null || (v instanceof List<?> l && l.isEmpty()) || Boolean.FALSE.equals(v)) params.remove(k);
                else params.put(k, v);
            });
            RuleParameters.validate(params);
            Map<String, Object> resolved = resolveRecipients(ctx.connection(), tenantId, params);
            if (in.name() != null && !in.name().equalsIgnoreCase(r.name()) && find(ctx.connection(), tenantId, in.name()) != null) {
                throw new ValidationException("A transport rule with the name '" + in.name() + "' already exists");
            }
            if (in.priority() != null && in.priority() != r.priority()) move(ctx, tenantId, r.priority(), in.priority());
            PreparedStatement ps = ctx.prepare("UPDATE transport_rules SET name = ?, name_key = ?, priority = ?, mode = ?, enabled = ?,"
                    + " activation_at = ?, expiry_at = ?, stop_processing = ?, sender_location = ?, comments = ?, error_action = ?,"
                    + " parameters = ?, updated_at = ? WHERE tenant_id = ? AND guid = ?");
            String name = in.name() == null ? r.name() : in.name();
            ps.setString(1, name);
            ps.setString(2, Names.nameKey(name));
            ps.setInt(3, in.priority() == null ? r.priority() : in.priority());
            ps.setString(4, (in.mode() == null ? r.mode() : in.mode()).name());
            ps.setBoolean(5, in.enabled() == null ? r.enabled() : in.enabled());
            setInstant(ps, 6, in.clearActivation() ? null : in.activationDate() != null ? in.activationDate() : r.activationDate());
            setInstant(ps, 7, in.clearExpiry() ? null : in.expiryDate() != null ? in.expiryDate() : r.expiryDate());
            ps.setBoolean(8, in.stopRuleProcessing() == null ? r.stopRuleProcessing() : in.stopRuleProcessing());
            ps.setString(9, in.senderAddressLocation() == null ? r.senderAddressLocation() : in.senderAddressLocation());
            ps.setString(10, in.comments() == null ? r.comments() : in.comments());
            ps.setString(11, (in.ruleErrorAction() == null ? r.ruleErrorAction() : in.ruleErrorAction()).name());
            ps.setString(12, json(resolved));
            ps.setLong(13, System.currentTimeMillis());
            ps.setLong(14, tenantId);
            ps.setString(15, r.guid());
            ps.executeUpdate();
            store.configChangedIn(ctx);
            return require(ctx.connection(), tenantId, r.guid());
        });
    }

    public void setEnabled(long tenantId, String identity, boolean enabled) {
        set(tenantId, identity, new RuleInput(null, null, null, enabled, null, null, false, false, null, null, null, null, Map.of()));
    }

    public void remove(long tenantId, String identity) {
        store.writeAndWait(ctx -> {
            TransportRule r = require(ctx.connection(), tenantId, identity);
            PreparedStatement del = ctx.prepare("DELETE FROM transport_rules WHERE tenant_id = ? AND guid = ?");
            del.setLong(1, tenantId);
            del.setString(2, r.guid());
            del.executeUpdate();
            PreparedStatement shift = ctx.prepare("UPDATE transport_rules SET priority = priority - 1 WHERE tenant_id = ? AND priority > ?");
            shift.setLong(1, tenantId);
            shift.setInt(2, r.priority());
            shift.executeUpdate();
            store.configChangedIn(ctx);
            return null;
        });
    }

    public TransportRule get(long tenantId, String identity) {
        return store.read(c -> require(c, tenantId, identity));
    }

    public List<TransportRule> list(long tenantId) {
        return store.read(c -> query(c, "WHERE tenant_id = ? ORDER BY priority", ps -> ps.setLong(1, tenantId)));
    }

    /** Every tenant's rules, for the engine's snapshot (the one read not scoped by tenant). */
    static List<TransportRule> all(Connection c) throws SQLException {
        return query(c, "ORDER BY tenant_id, priority", ps -> { });
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static void move(WriteContext ctx, long tenantId, int from, int to) throws SQLException {
        int n = count(ctx, tenantId);
        if (to < 0 || to >= n) throw new ValidationException("-Priority " + to + ": the value must be between 0 and " + (n - 1));
        PreparedStatement ps = to < from
                ? ctx.prepare("UPDATE transport_rules SET priority = priority + 1 WHERE tenant_id = ? AND priority >= ? AND priority < ?")
                : ctx.prepare("UPDATE transport_rules SET priority = priority - 1 WHERE tenant_id = ? AND priority <= ? AND priority > ?");
        ps.setLong(1, tenantId);
        ps.setInt(2, to);
        ps.setInt(3, from);
        ps.executeUpdate();
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) throw new ValidationException("-Name is required and can't be empty");
        if (name.length() > 64) throw new ValidationException("-Name '" + name + "': a rule name can be at most 64 characters long");
        if (!name.equals(name.strip())) throw new ValidationException("-Name '" + name + "': a rule name can't start or end with spaces");
        return name;
    }

    private static void checkScalars(RuleInput in) {
        RuleParameters.senderAddressLocationProblem(in.senderAddressLocation()).ifPresent(p -> {
            throw new ValidationException("-SenderAddressLocation '" + in.senderAddressLocation() + "': " + p);
        });
        if (in.comments() != null && in.comments().length() > 1024) throw new ValidationException("-Comments: at most 1024 characters");
        if (in.priority() != null && in.priority() < 0) throw new ValidationException("-Priority " + in.priority() + ": the value can't be negative");
    }

    private static void requireTenant(WriteContext ctx, long tenantId) throws SQLException {
        ConfigWrites.requireTenant(ctx, tenantId);
    }

    private static int count(WriteContext ctx, long tenantId) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT COUNT(*) FROM transport_rules WHERE tenant_id = ?");
        ps.setLong(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }


    private static TransportRule require(Connection c, long tenantId, String identity) throws SQLException {
        TransportRule r = find(c, tenantId, identity);
        if (r == null) throw new NotFoundException("The operation couldn't be performed because object '" + identity + "' couldn't be found.");
        return r;
    }

    private static TransportRule find(Connection c, long tenantId, String identity) throws SQLException {
        if (identity == null) return null;
        List<TransportRule> l = query(c, "WHERE tenant_id = ? AND (name_key = ? OR guid = ?)", ps -> {
            ps.setLong(1, tenantId);
            ps.setString(2, Names.nameKey(identity));
            ps.setString(3, identity.toLowerCase(Locale.ROOT));
        });
        return l.isEmpty() ? null : l.getFirst();
    }

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private static List<TransportRule> query(Connection c, String where, Binder binder) throws SQLException {
        List<TransportRule> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, guid, name, priority, mode, enabled, activation_at, expiry_at,"
                + " stop_processing, sender_location, comments, error_action, parameters, updated_at FROM transport_rules " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TransportRule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), RuleMode.valueOf(rs.getString(5)),
                            rs.getBoolean(6), instant(rs, 7), instant(rs, 8), rs.getBoolean(9), rs.getString(10), rs.getString(11),
                            RuleErrorAction.valueOf(rs.getString(12)), parse(rs.getString(13)), Instant.ofEpochMilli(rs.getLong(14))));
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) ps.setNull(i, java.sql.Types.BIGINT);
        else ps.setLong(i, v.toEpochMilli());
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> parse(String s) {
        try {
            return JSON.readValue(s, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rule parameters are not valid JSON", e);
        }
    }

    /** Recipient parameters resolved against the tenant's directory (spec: RecipientIdParameter). */
    private static Map<String, Object> resolveRecipients(Connection c, long tenantId, Map<String, Object> params) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>(params);
        for (Map.Entry<String, Object> e : params.entrySet()) {
            RuleParameters.Kind k = RuleParameters.ALL.get(e.getKey());
            if (k != RuleParameters.Kind.ADDRESSES && k != RuleParameters.Kind.TENANT_ADDRESSES) continue;
            Set<String> resolved = new LinkedHashSet<>();
            for (String v : RuleParameters.strings(e.getValue())) {
                List<String> mailbox = Recipients.mailboxAddresses(c, tenantId, v);
                if (k == RuleParameters.Kind.ADDRESSES) {
                    if (mailbox != null) resolved.addAll(mailbox);
                    else if (Names.addressKeyOrNull(v) != null) resolved.add(Names.addressKeyOrNull(v));
                    else throw new ValidationException("-" + e.getKey() + " '" + v + "': it isn't an email address or a recipient of the organization");
                } else {
                    if (mailbox != null) resolved.add(mailbox.getFirst());
                    else if (Names.addressKeyOrNull(v) != null && Recipients.internalRelay(c, tenantId, Addresses.domainOf(Names.addressKeyOrNull(v)))) resolved.add(Names.addressKeyOrNull(v));
                    else throw new ValidationException("-" + e.getKey() + " '" + v + "': only recipients of your organization can be used "
                            + "(a mailbox, or an address in an InternalRelay accepted domain)");
                }
            }
            out.put(e.getKey(), List.copyOf(resolved));
        }
        return out;
    }
}
