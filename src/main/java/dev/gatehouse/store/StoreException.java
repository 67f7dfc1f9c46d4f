// The unchecked failure of the store itself: cannot open, lost connection, SQL error.
package dev.gatehouse.store;

/** A store failure that is not the caller's fault (I/O, connectivity, SQL). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) { super(message, cause); }
    public StoreException(String message) { super(message); }
}
