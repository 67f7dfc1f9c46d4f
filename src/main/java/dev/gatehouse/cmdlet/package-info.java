// The cmdlet language layer: PowerShell command syntax, cmdlet metadata and binding, pipelines and output.
/**
 * Gatehouse's PowerShell language layer: admins type the cmdlets they type into Exchange Online PowerShell.
 *
 * <h2>Using it</h2>
 * <pre>{@code
 * CmdletRegistry<Ctx> registry = new CmdletRegistry<>();          // built-ins already registered
 * registry.register(CmdletDefinition.<Ctx>builder("Set-AcceptedDomain")
 *         .synopsis("Changes an accepted domain.")
 *         .supportsShouldProcess()                                 // accepts -WhatIf / -Confirm
 *         .parameter(ParameterDefinition.of("Identity", ParameterType.string())
 *                 .required().at(0).fromPipelineByPropertyName())
 *         .parameter(ParameterDefinition.of("DomainType", ParameterType.enumOf(DomainType.class)))
 *         .parameter(ParameterDefinition.of("MatchSubDomains", ParameterType.bool())
 *                 .describedAs("$true: subdomains count as this domain (InternalRelay only)."))  // Get-Help shows it
 *         .example("Set-AcceptedDomain contoso.com -MatchSubDomains $true", "Matches subdomains too.")  // -Examples
 *         .handler((params, ctx) -> {
 *             String id = params.string("Identity");
 *             if (params.shouldProcess(id, "Set-AcceptedDomain")) ctx.service().update(id, params.asMap());
 *             return List.of();
 *         })
 *         .build());
 * registry.notYetAvailable(Map.of("Start-HistoricalSearch", "'Start-HistoricalSearch' is an Exchange Online cmdlet that "
 *         + "Gatehouse doesn't have yet."));                         // added to its "not recognized" error
 * RunResult r = new PipelineRunner<>(registry, PipelineRunner.Options.defaults().withJson(json)).run(script, ctx);
 * out.print(r.output()); r.errors().forEach(e -> err.println(e.formatted()));
 * }</pre>
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>{@link dev.gatehouse.cmdlet.ScriptParser}: text to {@link dev.gatehouse.cmdlet.Script} (records), or a
 *       positioned {@link dev.gatehouse.cmdlet.SyntaxError}; never throws.</li>
 *   <li>{@link dev.gatehouse.cmdlet.Binder}: a {@link dev.gatehouse.cmdlet.ParsedCommand} and a
 *       {@link dev.gatehouse.cmdlet.CmdletDefinition} to {@link dev.gatehouse.cmdlet.BoundParameters}, or a
 *       {@link dev.gatehouse.cmdlet.BindingError} in PowerShell's words.</li>
 *   <li>{@link dev.gatehouse.cmdlet.PipelineRunner}: runs pipelines against a
 *       {@link dev.gatehouse.cmdlet.CmdletRegistry} and formats the output (tables, lists, JSON, CSV);
 *       {@link dev.gatehouse.cmdlet.PipelineRunner#check} is the dry run (parse and bind only).</li>
 *   <li>Mistakes: an unknown cmdlet or parameter gets PowerShell's error plus "Did you mean ...?" with the
 *       closest names by Damerau-Levenshtein distance ({@code Suggestions}); a cmdlet the registry's owner
 *       lists as {@link dev.gatehouse.cmdlet.CmdletRegistry#notYetAvailable(java.util.Map) not yet available}
 *       is named as such.</li>
 * </ul>
 */
package dev.gatehouse.cmdlet;
