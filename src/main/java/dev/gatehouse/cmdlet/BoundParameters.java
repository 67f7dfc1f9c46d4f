// The converted parameter values a cmdlet handler receives, plus -WhatIf handling (ShouldProcess).
package dev.gatehouse.cmdlet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parameters bound for one invocation: canonical parameter name to converted Java value (see
 * {@link ParameterType} for the Java types). Lookups ignore case. A parameter bound to {@code $null} is
 * present with a null value ("clear it"). Common parameters (-WhatIf, -Confirm, -ErrorAction, -Verbose) are
 * kept apart and do not appear in {@link #asMap()}.
 *
 * <p>-WhatIf: a handler that changes state calls {@link #shouldProcess(String, String)} before each change
 * and changes nothing when it returns false; the runner prints the collected "What if:" lines.
 * -Confirm is accepted ({@code -Confirm:$false} is common in scripts) but Gatehouse never prompts.
 */
public final class BoundParameters {
    private final String cmdlet;
    private final String parameterSet;
    private final Map<String, Object> values;
    private final Map<String, Object> common;
    private final List<String> whatIfSink;
    private final List<String> warningSink;

    BoundParameters(String cmdlet, String parameterSet, Map<String, Object> values, Map<String, Object> common,
            List<String> whatIfSink, List<String> warningSink) {
        this.cmdlet = cmdlet;
        this.parameterSet = parameterSet;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.common = Collections.unmodifiableMap(new LinkedHashMap<>(common));
        this.whatIfSink = whatIfSink;
        this.warningSink = warningSink;
    }

    /** For handler unit tests: parameters as if bound, with no -WhatIf. */
    public static BoundParameters of(String cmdlet, Map<String, Object> values) {
        return new BoundParameters(cmdlet, ParameterSets.ALL, values, Map.of(), new java.util.ArrayList<>(), new java.util.ArrayList<>());
    }

    public String cmdlet() { return cmdlet; }

    /** The parameter set in use, or {@code __AllParameterSets} when the cmdlet declares none. */
    public String parameterSet() { return parameterSet; }

    /** The declared parameters that were bound, in binding order. */
    public Map<String, Object> asMap() { return values; }

    public boolean has(String name) { return key(values, name) != null; }

    /** The value, or null when absent or bound to $null. */
    public Object get(String name) {
        String k = key(values, name);
        return k == null ? null : values.get(k);
    }

    public <T> T get(String name, Class<T> type) { return type.cast(get(name)); }

    /** Empty when absent or bound to $null. */
    public <T> Optional<T> find(String name, Class<T> type) { return Optional.ofNullable(get(name, type)); }

    public String string(String name) { return get(name, String.class); }

    /** A list-of-strings parameter's values, or an empty list when it wasn't given. */
    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        Object v = get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    /** A date parameter as an instant, or null when it wasn't given. */
    public java.time.Instant instant(String name) {
        return get(name) instanceof java.time.OffsetDateTime d ? d.toInstant() : null;
    }

    /** A switch (or Boolean) parameter that is present and true. */
    public boolean isSet(String name) { return Boolean.TRUE.equals(get(name)); }

    public boolean whatIf() { return Boolean.TRUE.equals(common.get("WhatIf")); }

    /** Whether -Confirm was given (true) or -Confirm:$false (false); empty when not given. */
    public Optional<Boolean> confirm() { return Optional.ofNullable((Boolean) common.get("Confirm")); }

    /** Common parameters as given (-ErrorAction, -Verbose, ...). */
    public Map<String, Object> common() { return common; }

    /**
     * Asks whether to perform {@code action} on {@code target}. Under -WhatIf records
     * {@code What if: Performing the operation "action" on target "target".} and returns false.
     */
    public boolean shouldProcess(String target, String action) {
        if (!whatIf()) return true;
        whatIfSink.add("What if: Performing the operation \"" + (action == null ? cmdlet : action) + "\" on target \""
                + target + "\".");
        return false;
    }

    /** {@link #shouldProcess(String, String)} with the cmdlet name as the action. */
    public boolean shouldProcess(String target) { return shouldProcess(target, null); }

    /**
     * PowerShell's {@code WriteWarning}: a message for the person running the command that is not output (the
     * shell prints {@code WARNING: message} on stderr; REST returns it beside the objects), e.g. that results were
     * cut short. It doesn't stop the command.
     */
    public void writeWarning(String message) { warningSink.add(message); }

    /** The warnings written so far in this run. */
    public List<String> warnings() { return List.copyOf(warningSink); }

    /** The "What if:" lines recorded so far in this run. */
    public List<String> whatIfMessages() { return List.copyOf(whatIfSink); }

    private static String key(Map<String, Object> map, String name) {
        for (String k : map.keySet()) {
            if (k.equalsIgnoreCase(name)) return k;
        }
        return null;
    }

    @Override public String toString() { return cmdlet + " " + values + (common.isEmpty() ? "" : " " + common); }
}
