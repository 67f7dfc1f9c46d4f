// The exception a cmdlet handler throws for an error the user caused; the runner shows its message.
package dev.gatehouse.cmdlet;

/**
 * Thrown by a {@link CmdletHandler} to report a failure in the user's terms ("The domain contoso.com already
 * exists."). The runner shows it as {@code Cmdlet-Name: message} and continues with the next statement.
 * {@code notFound} lets the REST layer answer 404.
 */
public class CmdletException extends RuntimeException {
    private final boolean notFound;

    public CmdletException(String message) { this(message, false); }

    public CmdletException(String message, boolean notFound) {
        super(message, null, false, false);
        this.notFound = notFound;
    }

    public static CmdletException notFound(String message) { return new CmdletException(message, true); }

    public boolean notFound() { return notFound; }
}
