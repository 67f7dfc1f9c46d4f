// Renders Get-Help output for a cmdlet: NAME, SYNOPSIS, SYNTAX, PARAMETERS and EXAMPLES in PowerShell's layout.
package dev.gatehouse.cmdlet;

import java.util.ArrayList;
import java.util.List;

/**
 * Package-private help rendering from a {@link CmdletDefinition}, in the three views of {@code Get-Help}:
 * the default (syntax and parameters, with remarks pointing at the other views), {@code -Examples} (name,
 * synopsis and examples only) and {@code -Full}/{@code -Detailed} (everything).
 */
final class HelpText {
    private HelpText() {}

    /** What {@code Get-Help NAME} and {@code NAME -?} show. */
    static String render(CmdletDefinition<?> def) {
        StringBuilder sb = new StringBuilder(main(def));
        sb.append("\nREMARKS\n");
        if (!def.examples().isEmpty()) {
            sb.append("    To see the examples, type: \"Get-Help ").append(def.name()).append(" -Examples\".\n");
        }
        sb.append("    For everything, type: \"Get-Help ").append(def.name()).append(" -Full\".\n");
        return sb.toString();
    }

    /** What {@code Get-Help NAME -Full} (or {@code -Detailed}) shows: the default view with the examples. */
    static String full(CmdletDefinition<?> def) {
        return main(def) + "\n" + exampleSection(def);
    }

    /** What {@code Get-Help NAME -Examples} shows: name, synopsis and the examples. */
    static String examples(CmdletDefinition<?> def) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME\n    ").append(def.name()).append("\n\n");
        if (!def.synopsis().isEmpty()) sb.append("SYNOPSIS\n    ").append(def.synopsis()).append("\n\n");
        return sb.append(exampleSection(def)).toString();
    }

    private static String exampleSection(CmdletDefinition<?> def) {
        StringBuilder sb = new StringBuilder("EXAMPLES\n");
        if (def.examples().isEmpty()) return sb.append("    (none)\n").toString();
        int i = 0;
        for (CmdletDefinition.Example e : def.examples()) {
            String title = " Example " + (++i) + " ";
            int dashes = Math.max(2, (62 - title.length()) / 2);
            sb.append("    ").append("-".repeat(dashes)).append(title).append("-".repeat(dashes)).append("\n\n");
            for (String line : e.code().split("\n", -1)) sb.append("    ").append(line).append('\n');
            sb.append('\n');
            if (!e.remarks().isEmpty()) sb.append("    ").append(e.remarks()).append("\n\n");
        }
        return sb.toString();
    }

    /** NAME, SYNOPSIS, SYNTAX, ALIASES and PARAMETERS. */
    private static String main(CmdletDefinition<?> def) {
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
            for (ParameterDefinition p : CmdletDefinition.SHOULD_PROCESS) {
                sb.append("    -").append(p.name()).append("\n        ").append(p.description()).append("\n\n");
            }
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
