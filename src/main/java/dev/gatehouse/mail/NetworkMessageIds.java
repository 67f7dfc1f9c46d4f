// Network message ids: GUIDs in time order (UUID version 7), so the store's indexes on them grow at one end.
package dev.gatehouse.mail;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Mints the network message id of every message the gateway accepts or writes (NDRs, notifications), the
 * GUID that {@code X-MS-Exchange-Organization-Network-Message-Id}, message trace and hunting key on.
 *
 * <p>They are RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * minted in the same millisecond in order, then 62 random bits. They print as any GUID does, and Exchange's
 * own readers treat them as opaque. Random (version 4) ids put every new message at a random leaf of
 * the indexes keyed on them (the unique id index, the trace index), so each commit dirtied one page per
 * message per index, which the WAL then wrote and the checkpoint wrote again; in time order the new keys
 * share the rightmost leaf. The millisecond of receipt shows in the id, as it already does in the
 * {@code Received:} field.
 */
public final class NetworkMessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int counter;

    private NetworkMessageIds() {}

    /** A new id, later in order than every id this process minted before (clock steps back: same ms continues). */
    public static UUID next() {
        long millis = System.currentTimeMillis();
        int seq;
        synchronized (NetworkMessageIds.class) {
            if (millis > lastMillis) {
                lastMillis = millis;
                counter = 0;
            } else if (++counter > 0xFFF) { // 4,096 ids in one millisecond: borrow the next one
                lastMillis++;
                counter = 0;
            }
            millis = lastMillis;
            seq = counter;
        }
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
