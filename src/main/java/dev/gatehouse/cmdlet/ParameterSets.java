// Resolves which parameter set a command uses from the parameters it bound, as PowerShell does.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Package-private parameter-set logic for {@link Binder}. A cmdlet without sets has the single set
 * {@link #ALL}. Otherwise the bound parameters narrow the candidate sets; among the candidates, a set
 * whose mandatory parameters are all bound wins (the default set first), else the default or first
 * candidate is chosen and its missing mandatory parameters are reported.
 */
final class ParameterSets {
    static final String ALL = "__AllParameterSets";

    private ParameterSets() {}

    /** The sets still possible given the parameters bound so far, in declaration order. */
    static Set<String> candidates(CmdletDefinition<?> def, Map<String, Object> bound) {
        Set<String> sets = new LinkedHashSet<>(def.parameterSets());
        for (ParameterDefinition p : def.parameters()) {
            if (bound.containsKey(p.name()) && !p.parameterSets().isEmpty()) sets.retainAll(p.parameterSets());
        }
        return sets;
    }

    /** True when {@code p} may still be bound: it is in one of the candidate sets. */
    static boolean allowed(CmdletDefinition<?> def, ParameterDefinition p, Set<String> candidates) {
        return p.parameterSets().isEmpty() || candidates.stream().anyMatch(p::inSet);
    }

    /** The set this invocation uses, or null (with {@code conflict} set) when none fits. */
    static String choose(CmdletDefinition<?> def, Map<String, Object> bound) {
        if (def.parameterSets().isEmpty()) return ALL;
        Set<String> candidates = candidates(def, bound);
        if (candidates.isEmpty()) return null;
        List<String> satisfied = new ArrayList<>();
        for (String set : candidates) {
            boolean complete = def.parameters().stream()
                    .noneMatch(p -> p.mandatory() && p.inSet(set) && !bound.containsKey(p.name()));
            if (complete) satisfied.add(set);
        }
        String preferred = def.defaultParameterSet();
        if (satisfied.contains(preferred)) return preferred;
        if (!satisfied.isEmpty()) return satisfied.getFirst();
        return candidates.contains(preferred) ? preferred : candidates.iterator().next();
    }

    /** Two bound parameters that share no set, named for the error message. */
    static String conflict(CmdletDefinition<?> def, Map<String, Object> bound) {
        List<ParameterDefinition> withSets = def.parameters().stream()
                .filter(p -> bound.containsKey(p.name()) && !p.parameterSets().isEmpty()).toList();
        for (int i = 0; i < withSets.size(); i++) {
            for (int j = i + 1; j < withSets.size(); j++) {
                ParameterDefinition a = withSets.get(i);
                ParameterDefinition b = withSets.get(j);
                if (a.parameterSets().stream().noneMatch(b.parameterSets()::contains)) {
                    return " The parameters -" + a.name() + " and -" + b.name() + " cannot be used together.";
                }
            }
        }
        return "";
    }
}
