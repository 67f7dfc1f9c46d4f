// Renders Get-Help output for a cmdlet: NAME, SYNOPSIS, SYNTAX and PARAMETERS in PowerShell's layout.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;

/** Package-private help rendering from a {@link CmdletDefinition}. */
final class HelpText {
    private HelpText() {}

    static String render(CmdletDefinition<?> def) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME\n    ").append(def.name()).append("\n\n");
        if (!def.synopsis().isEmpty()) sb.append("SYNOPSIS\n    ").append(def.synopsis()).append("\n\n");
        sb.append("SYNTAX\n");
        for (String line : syntaxes(def)) sb.append("    ").append(line).append("\n\n");
        if (!def.aliases().isEmpty()) sb.append("ALIASES\n    ").append(String.join(", ", def.aliases())).append("\n\n");
        sb.append("PARAMETERS\n");
        for (ParameterDefinition p : def.parameters()) {
            sb.append("    -").append(p.name());
            if (!p.isSwitch()) sb.append(" <").append(shortType(p.type())).append('>');
            sb.append('\n');
            if (!p.description().isEmpty()) sb.append("        ").append(p.description()).append('\n');
            if (p.type() instanceof ParameterType.EnumType e) {
                sb.append("        Accepted values: ").append(String.join(", ", e.names())).append('\n');
            }
            if (p.type() instanceof ParameterType.ListType(ParameterType.EnumType e)) {
                sb.append("        Accepted values: ").append(String.join(", ", e.names())).append('\n');
            }
            sb.append('\n');
            field(sb, "Required?", String.valueOf(p.mandatory()));
            field(sb, "Position?", p.isPositional() ? String.valueOf(p.position()) : "Named");
            field(sb, "Accept pipeline input?", pipeline(p));
            if (!p.aliases().isEmpty()) field(sb, "Aliases", String.join(", ", p.aliases()));
            sb.append('\n');
        }
        if (def.supportsShouldProcess()) {
            sb.append("    -WhatIf\n        Shows what would change without changing it.\n\n");
            sb.append("    -Confirm\n        Accepted (for example -Confirm:$false); Gatehouse never prompts.\n\n");
        }
        sb.append("    <CommonParameters>\n        -ErrorAction, -WarningAction, -Verbose and -Debug are accepted and ignored.\n");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append("        ").append(name).append(" ".repeat(Math.max(1, 29 - name.length()))).append(value).append('\n');
    }

    private static String pipeline(ParameterDefinition p) {
        List<String> how = new ArrayList<>();
        if (p.valueFromPipeline()) how.add("ByValue");
        if (p.valueFromPipelineByPropertyName()) how.add("ByPropertyName");
        return how.isEmpty() ? "False" : "True (" + String.join(", ", how) + ")";
    }

    /** One syntax line per parameter set (one line when the cmdlet has no sets). */
    static List<String> syntaxes(CmdletDefinition<?> def) {
        if (def.parameterSets().isEmpty()) return List.of(syntax(def, null));
        return def.parameterSets().stream().map(set -> syntax(def, set)).toList();
    }

    /** {@code Set-Thing [-Identity] <String> [-Enabled <Boolean>] [-WhatIf] [-Confirm] [<CommonParameters>]}. */
    static String syntax(CmdletDefinition<?> def, String set) {
        List<String> parts = new ArrayList<>();
        parts.add(def.name());
        List<ParameterDefinition> ordered = new ArrayList<>(def.parameters().stream()
                .filter(p -> set == null || p.inSet(set)).toList());
        ordered.sort(java.util.Comparator.comparingInt(p -> p.isPositional() ? p.position() : Integer.MAX_VALUE));
        for (ParameterDefinition p : ordered) {
            String name = p.isPositional() ? "[-" + p.name() + "]" : "-" + p.name();
            String part = p.isSwitch() ? "-" + p.name() : name + " <" + shortType(p.type()) + ">";
            parts.add(p.mandatory() ? part : "[" + part + "]");
        }
        if (def.supportsShouldProcess()) {
            parts.add("[-WhatIf]");
            parts.add("[-Confirm]");
        }
        parts.add("[<CommonParameters>]");
        return String.join(" ", parts);
    }

    static String shortType(ParameterType t) {
        String n = t.typeName();
        return n.startsWith("System.") ? n.substring(n.lastIndexOf('.') + 1) : n;
    }
}
