// The outcome of binding a parsed command to a cmdlet definition: bound parameters or a BindingError.
package dev.gatehouse.cmdlet;

/** What {@link Binder#bind} returns. */
public sealed interface Binding {
    record Bound(BoundParameters parameters) implements Binding {}
    record Failed(BindingError error) implements Binding {}
}
