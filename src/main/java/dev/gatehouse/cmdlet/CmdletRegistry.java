// The cmdlets a runner knows: the application's (registered by the service layer) plus the built-ins.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Holds {@link CmdletDefinition}s by name and alias, ignoring case. A new registry already contains the
 * built-in cmdlets (Format-List, Format-Table, Select-Object, ConvertTo-Json, Export-Csv, Get-Command,
 * Get-Help). Register at start-up, then share: lookups are safe from many threads once registration is done.
 */
public final class CmdletRegistry<C> {
    private final Map<String, CmdletDefinition<C>> byName = new LinkedHashMap<>();
    private volatile Guard<C> guard = (definition, context) -> { };

    /** Runs before every cmdlet's handler, with the caller's context; throws {@link CmdletException} to refuse. */
    @FunctionalInterface
    public interface Guard<C> {
        void check(CmdletDefinition<C> definition, C context);
    }

    /** Sets the guard every run of a cmdlet of this registry passes (e.g. operator-only cmdlets). */
    public CmdletRegistry<C> guard(Guard<C> g) {
        this.guard = java.util.Objects.requireNonNull(g);
        return this;
    }

    Guard<C> guard() { return guard; }

    public CmdletRegistry() {
        for (CmdletDefinition<C> d : Builtins.<C>definitions()) add(d);
    }

    /** Adds a cmdlet; throws IllegalArgumentException if its name or an alias is already taken. */
    public synchronized CmdletRegistry<C> register(CmdletDefinition<C> definition) {
        add(definition);
        return this;
    }

    private void add(CmdletDefinition<C> d) {
        List<String> keys = new ArrayList<>(d.aliases());
        keys.addFirst(d.name());
        for (String k : keys) {
            if (byName.containsKey(k.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("cmdlet name or alias already registered: " + k);
            }
        }
        for (String k : keys) byName.put(k.toLowerCase(Locale.ROOT), d);
    }

    /**
     * The cmdlet with this name or alias, ignoring case. Typographic dashes (en dash, em dash, horizontal bar)
     * in the name count as '-', as articles sometimes print {@code Get\u2013AcceptedDomain}.
     */
    public synchronized Optional<CmdletDefinition<C>> find(String nameOrAlias) {
        String key = nameOrAlias.replace('\u2013', '-').replace('\u2014', '-').replace('\u2015', '-');
        return Optional.ofNullable(byName.get(key.toLowerCase(Locale.ROOT)));
    }

    /** Every cmdlet once, sorted by name. */
    public synchronized List<CmdletDefinition<C>> all() {
        return byName.values().stream().distinct()
                .sorted(Comparator.comparing(d -> d.name().toLowerCase(Locale.ROOT))).toList();
    }
}
