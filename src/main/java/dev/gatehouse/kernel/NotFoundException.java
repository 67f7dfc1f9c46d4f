// The object asked for does not exist in the caller's tenant (or at all: the two are never told apart).
package dev.gatehouse.kernel;

/** Not found in this tenant. Another tenant's object is reported exactly like a missing one. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) { super(message); }
}
