// The code behind a cmdlet: called once per invocation (once per piped object) with the bound parameters.
package dev.gatehouse.cmdlet;

import java.util.List;

/**
 * Runs a cmdlet. {@code context} is whatever the caller passed to {@link PipelineRunner#run} (the lead's
 * tenant and token). Throw {@link CmdletException} for user errors. Before changing anything, a cmdlet that
 * supports ShouldProcess asks {@link BoundParameters#shouldProcess(String, String)}: false under -WhatIf.
 */
@FunctionalInterface
public interface CmdletHandler<C> {
    List<?> invoke(BoundParameters parameters, C context);
}
