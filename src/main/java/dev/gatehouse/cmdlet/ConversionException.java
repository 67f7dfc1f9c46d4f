// A value that does not convert to a parameter's type or fails its validator; the message is PowerShell's.
package dev.gatehouse.cmdlet;

/** Thrown by {@link ParameterType#convert}; the {@link Binder} turns it into a {@link BindingError}. */
public final class ConversionException extends Exception {
    public ConversionException(String message) { super(message, null, false, false); }
}
