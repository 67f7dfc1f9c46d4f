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
 *
 * <p>A name it doesn't know gets PowerShell's "not recognized" error ({@link #notRecognized}), followed
 * either by the owner's explanation for a cmdlet it knows is missing ({@link #notYetAvailable}), or by
 * "Did you mean ...?" with the closest registered names.
 */
public final class CmdletRegistry<C> {
    private final Map<String, CmdletDefinition<C>> byName = new LinkedHashMap<>();
    /** Lower-case name of a cmdlet the owner knows is missing → the sentence the not-recognized error adds. */
    private final Map<String, String> notYet = new LinkedHashMap<>();
    private volatile Guard<C> guard = (definition, context) -> { };
    private volatile java.util.function.Function<String, Optional<String>> scriptAdvice = script -> Optional.empty();

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

    /**
     * What to add to the error of a script that failed to parse or whose command wasn't recognized, when its text
     * is something else the owner recognizes (for the admin registry: a KQL query pasted into the shell). The
     * function sees the whole script text and returns the sentence(s) to add, or empty.
     */
    public CmdletRegistry<C> scriptAdvice(java.util.function.Function<String, Optional<String>> advice) {
        this.scriptAdvice = java.util.Objects.requireNonNull(advice);
        return this;
    }

    /** The {@link #scriptAdvice advice} for this script text, or empty. */
    public Optional<String> adviceFor(String script) { return scriptAdvice.apply(script); }

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
            if (notYet.containsKey(k.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(k + " is registered but also listed as not yet available; remove it from that list");
            }
        }
        for (String k : keys) byName.put(k.toLowerCase(Locale.ROOT), d);
    }

    /**
     * Cmdlets the owner knows are missing (for the admin registry: Exchange Online cmdlets Gatehouse doesn't
     * have yet), each with the sentence(s) its not-recognized error adds, e.g. {@code 'Start-HistoricalSearch'
     * is an Exchange Online cmdlet that Gatehouse doesn't have yet.} A name that is registered (now or later)
     * is refused, so the list is cleaned when a cmdlet arrives.
     */
    public synchronized CmdletRegistry<C> notYetAvailable(Map<String, String> explanations) {
        for (Map.Entry<String, String> e : explanations.entrySet()) {
            String key = Suggestions.normalise(e.getKey());
            if (byName.containsKey(key)) {
                throw new IllegalArgumentException(e.getKey() + " is registered; it can't also be listed as not yet available");
            }
            if (e.getValue() == null || e.getValue().isBlank()) throw new IllegalArgumentException(e.getKey() + ": no explanation");
            notYet.put(key, e.getValue().strip());
        }
        return this;
    }

    /** The explanation given for a cmdlet that is known to be missing, ignoring case; empty for any other name. */
    public synchronized Optional<String> notYetAvailable(String name) {
        return Optional.ofNullable(notYet.get(Suggestions.normalise(name)));
    }

    /**
     * The registered names and aliases closest to a mistyped {@code name} (Damerau-Levenshtein, ignoring
     * case; at most three, only the closest, none when nothing is close).
     */
    public synchronized List<String> suggestions(String name) {
        List<String> candidates = new ArrayList<>();
        for (CmdletDefinition<C> d : byName.values().stream().distinct().toList()) {
            candidates.add(d.name());
            candidates.addAll(d.aliases());
        }
        return Suggestions.closest(name, candidates);
    }

    /**
     * PowerShell's error for a name that is no cmdlet here: {@code The term 'X' is not recognized as a name of a
     * cmdlet.} (the sentence scripts look for), then the explanation for a cmdlet {@link #notYetAvailable known
     * to be missing}, or the advice to check the spelling with "Did you mean ...?" when a registered name is close.
     */
    public String notRecognized(String name) {
        Optional<String> missing = notYetAvailable(name);
        if (missing.isPresent()) {
            return "The term '" + name + "' is not recognized as a name of a cmdlet. " + missing.get()
                    + " Run Get-Command to list the cmdlets Gatehouse supports.";
        }
        return Binder.notRecognized(name) + Suggestions.sentence(suggestions(name), "");
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
