// One kind of count that reports keep per closed UTC hour: how it is counted live, read back, kept, and when it is final.
package dev.gatehouse.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.gatehouse.store.WriteContext;

/**
 * What {@link KeptHours} needs of one kind of count: the live count of any window, grouped per hour; the kept rows of
 * a range of hours; and the write of one hour. Every method is scoped to one tenant. A kind's rows of one hour are
 * written in one transaction and deleted in one statement, so a read sees all of an hour's kept rows or none.
 *
 * @param <R> one row of the kind: the counts of one hour and key
 */
interface HourlyKind<R extends HourlyKind.Row> {

    /** A row of one hour; {@link #counted()} is false only for the placeholder of a kept hour without mail. */
    interface Row {
        /** The UTC hour: {@code received_at / 3600000}. */
        long hour();

        boolean counted();
    }

    /** The short name the log uses. */
    String name();

    /** The tenant's counts of the messages received in {@code [start, end)} (epoch milliseconds), per hour and key. */
    List<R> count(Connection c, long tenantId, long start, long end) throws SQLException;

    /** The tenant's kept rows of the hours {@code [fromHour, toHour)}, placeholders included. */
    List<R> kept(Connection c, long tenantId, long fromHour, long toHour) throws SQLException;

    /** Whether an hour counted as {@code rows} can never count differently (the hour itself is closed). */
    boolean settled(List<R> rows);

    /** Keeps one hour: its rows, or a placeholder when there are none; an hour kept meanwhile is left as it is. */
    void keep(WriteContext ctx, long tenantId, long hour, List<R> rows) throws SQLException;

    /** Drops the kept rows of every tenant's hours before {@code hour} (the trace purge's); returns how many. */
    int forgetBefore(WriteContext ctx, long hour) throws SQLException;
}
