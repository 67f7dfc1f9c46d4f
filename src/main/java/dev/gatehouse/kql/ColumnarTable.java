// An append-only table held in memory as columns, in chunks of rows with their time range: what hunting queries scan.
package dev.gatehouse.kql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Rows are appended one at a time ({@link #append}) and read through {@link #snapshot()}, which sees every row
 * appended before it and none after, while appends go on. Rows live in chunks of up to {@link #chunkRows()} rows;
 * each chunk knows the least and greatest value of the table's time column, so a query over the last day skips
 * older chunks. Strings are dictionary-encoded per chunk (a code per row, each distinct value once), sealed chunks
 * pack their codes into bytes or shorts when the dictionary is small enough, a column with one value in a chunk
 * keeps no codes at all, and a column of distinct lower-case GUIDs (network message ids) keeps two longs per row, and a column of mostly
 * distinct other strings keeps their bytes back to back.
 * {@link #retainFrom} drops whole chunks older than the retention window and hides older rows in the rest.
 */
public final class ColumnarTable {
    /** One column of the schema. */
    public record Column(String name, KqlType type) {}

    public static final int DEFAULT_CHUNK_ROWS = 1 << 20;

    /**
     * A chunk of 4,096 rows or more is also sealed once its rows span more than a week, so retention (which drops
     * whole chunks) frees a quiet tenant's memory within a week of the window, not after a million rows.
     */
    static final long MAX_CHUNK_SPAN = 7 * Ticks.PER_DAY;

    private final String name;
    private final List<Column> schema;
    private final int timeIndex;
    private final int chunkRows;
    private final List<Chunk> sealed = new ArrayList<>();
    private final GlobalDict[] globals;
    private OpenChunk open;
    private long floor = Long.MIN_VALUE;
    private long appended;

    /**
     * @param timeColumn the datetime column chunks are pruned and retained by
     */
    public ColumnarTable(String name, List<Column> schema, String timeColumn) {
        this(name, schema, timeColumn, DEFAULT_CHUNK_ROWS);
    }

    public ColumnarTable(String name, List<Column> schema, String timeColumn, int chunkRows) {
        this.name = Objects.requireNonNull(name);
        this.schema = List.copyOf(schema);
        int t = -1;
        for (int i = 0; i < schema.size(); i++) {
            if (schema.get(i).name().equals(timeColumn)) t = i;
            if (schema.get(i).type() == KqlType.DYNAMIC) throw new IllegalArgumentException("dynamic columns are stored as JSON strings: " + schema.get(i).name());
        }
        if (t < 0 || schema.get(t).type() != KqlType.DATETIME) throw new IllegalArgumentException("no datetime column " + timeColumn);
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows " + chunkRows);
        this.timeIndex = t;
        this.chunkRows = chunkRows;
        this.globals = new GlobalDict[schema.size()];
        for (int i = 0; i < schema.size(); i++) if (schema.get(i).type() == KqlType.STRING) globals[i] = new GlobalDict();
        this.open = new OpenChunk(this.schema, Math.min(chunkRows, 1024), globals);
    }

    public String name() { return name; }

    public List<Column> schema() { return schema; }

    public int chunkRows() { return chunkRows; }

    public int timeColumnIndex() { return timeIndex; }

    /**
     * Appends one row, values in schema order, boxed as {@link KqlType} says; also accepted: an {@link Integer} for
     * int/long, a {@link java.time.Instant} for datetime, a {@link java.time.Duration} for timespan, null for a
     * string (stored as {@code ""}). The time column must not be null.
     */
    public synchronized void append(Object... values) {
        if (values.length != schema.size()) throw new IllegalArgumentException("expected " + schema.size() + " values, got " + values.length);
        open.add(values, timeIndex);
        appended++;
        if (open.rows == chunkRows || (open.rows >= 4096 && open.maxTime - open.minTime > MAX_CHUNK_SPAN)) {
            sealed.add(open.seal(timeIndex));
            open = new OpenChunk(schema, Math.min(chunkRows, 1024), globals);
        }
    }

    /** Rows appended since the table was made (including those retention dropped since). */
    public synchronized long appendedRows() { return appended; }

    /** Drops chunks whose rows are all older than {@code ticks}; a snapshot hides older rows in the chunks kept. */
    public synchronized void retainFrom(long ticks) {
        floor = Math.max(floor, ticks);
        sealed.removeIf(c -> c.maxTime < floor);
    }

    /** Every row appended so far, unaffected by later appends. */
    public synchronized Snapshot snapshot() {
        List<Chunk> chunks = new ArrayList<>(sealed.size() + 1);
        chunks.addAll(sealed);
        if (open.rows > 0) chunks.add(open.view());
        return new Snapshot(this, List.copyOf(chunks), floor);
    }

    /** What a query reads: the chunks, and the time before which rows are no longer visible. */
    public record Snapshot(ColumnarTable table, List<Chunk> chunks, long floorTicks) {
        public List<Column> schema() { return table.schema(); }

        public long rows() {
            long n = 0;
            for (Chunk c : chunks) n += c.rows;
            return n;
        }

        /** Bytes held by the columns and dictionaries, roughly (for the benchmark and the status page). */
        public long approximateBytes() {
            long b = 0;
            for (Chunk c : chunks) for (ColumnData d : c.columns) b += d.approximateBytes();
            return b;
        }
    }

    /** A run of rows; {@code minTime}/{@code maxTime} bound the time column. */
    public static final class Chunk {
        public final int rows;
        public final long minTime;
        public final long maxTime;
        public final ColumnData[] columns;

        Chunk(int rows, long minTime, long maxTime, ColumnData[] columns) {
            this.rows = rows;
            this.minTime = minTime;
            this.maxTime = maxTime;
            this.columns = columns;
        }
    }

    /** The values of one column in one chunk. */
    public sealed interface ColumnData permits LongData, IntData, RealData, StringData, GuidData, TextData, ConstData {
        long approximateBytes();
    }

    /** long, datetime, timespan and bool (0/1); {@code nulls} is a bit per row, or null when none is null. */
    public record LongData(long[] values, long[] nulls) implements ColumnData {
        public boolean isNull(int row) { return nulls != null && (nulls[row >>> 6] & (1L << row)) != 0; }

        public long approximateBytes() { return 8L * values.length + (nulls == null ? 0 : 8L * nulls.length); }
    }

    /** int. */
    public record IntData(int[] values, long[] nulls) implements ColumnData {
        public boolean isNull(int row) { return nulls != null && (nulls[row >>> 6] & (1L << row)) != 0; }

        public long approximateBytes() { return 4L * values.length + (nulls == null ? 0 : 8L * nulls.length); }
    }

    /** real. */
    public record RealData(double[] values, long[] nulls) implements ColumnData {
        public boolean isNull(int row) { return nulls != null && (nulls[row >>> 6] & (1L << row)) != 0; }

        public long approximateBytes() { return 8L * values.length + (nulls == null ? 0 : 8L * nulls.length); }
    }

    /**
     * A dictionary-encoded string column: row {@code i} holds {@code dict[code(i)]}. Exactly one of the code arrays is
     * set, or none when every row holds {@code dict[0]}. {@code dictSize} entries of {@code dict} are in use.
     */
    /**
     * @param globalIds the table-wide numbers of the dictionary's values (see {@link GlobalDict}), or null
     * @param idSpace   whose numbers they are (the column's {@link GlobalDict}): two tables' numbers never mix
     */
    public record StringData(String[] dict, int dictSize, byte[] byteCodes, short[] shortCodes, int[] intCodes, int[] globalIds,
                             Object idSpace) implements ColumnData {
        public StringData(String[] dict, int dictSize, byte[] byteCodes, short[] shortCodes, int[] intCodes) {
            this(dict, dictSize, byteCodes, shortCodes, intCodes, null, null);
        }

        public int code(int row) {
            if (intCodes != null) return intCodes[row];
            if (shortCodes != null) return shortCodes[row] & 0xFFFF;
            if (byteCodes != null) return byteCodes[row] & 0xFF;
            return 0;
        }

        public String value(int row) { return dict[code(row)]; }

        public long approximateBytes() {
            long b = byteCodes != null ? byteCodes.length : shortCodes != null ? 2L * shortCodes.length : intCodes != null ? 4L * intCodes.length : 0;
            for (int i = 0; i < dictSize; i++) b += 40 + dict[i].length();
            return b;
        }
    }

    /** A string column whose every value is a distinct lower-case GUID: two longs a row, formatted when read. */
    public record GuidData(long[] high, long[] low) implements ColumnData {
        public String value(int row) { return new UUID(high[row], low[row]).toString(); }

        public long approximateBytes() { return 16L * high.length; }
    }

    /**
     * The distinct values a string column has had in any chunk, each with a number that stays the same from
     * chunk to chunk ({@link StringData#globalIds()}), so a query groups or tests a value once for the whole table
     * instead of once per chunk. Values are never forgotten, so a column stops getting numbers once it has had
     * {@link #LIMIT} values (subjects of real mail, say); its chunks are then read the per-chunk way.
     */
    static final class GlobalDict {
        static final int LIMIT = 1 << 17;
        private final Map<String, Integer> ids = new HashMap<>();
        private boolean full;

        /** The value's number, a new one if it has none yet, or -1 once the column has had too many values. */
        int id(String v) {
            Integer id = ids.get(v);
            if (id != null) return id;
            if (full || ids.size() == LIMIT) {
                full = true;
                return -1;
            }
            int n = ids.size();
            ids.put(v, n);
            return n;
        }
    }

    /** A number column with the same value (or null) in every row of the chunk: nothing per row. */
    public record ConstData(Object value) implements ColumnData {
        public long approximateBytes() { return 16; }
    }

    /**
     * A string column whose values are mostly distinct (message ids, report ids): UTF-8 bytes back to back, row
     * {@code i} at {@code offsets[i]..offsets[i+1]}; no dictionary to hold a String object per row.
     */
    public record TextData(byte[] bytes, int[] offsets) implements ColumnData {
        public String value(int row) {
            return new String(bytes, offsets[row], offsets[row + 1] - offsets[row], java.nio.charset.StandardCharsets.UTF_8);
        }

        public long approximateBytes() { return bytes.length + 4L * offsets.length; }
    }

    // ---- building --------------------------------------------------------------------------------------------

    private static final class OpenChunk {
        final List<Column> schema;
        final Object[] arrays;              // long[] / int[] / double[]; null for strings
        final long[][] nulls;
        final StringColumn[] strings;
        final KqlType[] types;
        int rows;
        int capacity;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;

        OpenChunk(List<Column> schema, int capacity, GlobalDict[] globals) {
            this.schema = schema;
            this.capacity = capacity;
            arrays = new Object[schema.size()];
            nulls = new long[schema.size()][];
            strings = new StringColumn[schema.size()];
            types = new KqlType[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                KqlType t = schema.get(i).type();
                types[i] = t;
                switch (t) {
                    case INT -> arrays[i] = new int[capacity];
                    case REAL -> arrays[i] = new double[capacity];
                    case STRING -> strings[i] = new StringColumn(capacity, globals[i]);
                    default -> arrays[i] = new long[capacity];
                }
            }
        }

        void add(Object[] values, int timeIndex) {
            if (rows == capacity) grow();
            int r = rows;
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                KqlType t = types[i];
                if (t == KqlType.STRING) {
                    strings[i].add(v == null ? "" : v instanceof String str ? str : v.toString(), r);
                    continue;
                }
                if (v == null) {
                    if (i == timeIndex) throw new IllegalArgumentException("the time column " + schema.get(i).name() + " is null");
                    if (nulls[i] == null) nulls[i] = new long[(capacity + 63) >>> 6];
                    nulls[i][r >>> 6] |= 1L << r;
                    continue;
                }
                switch (t) {
                    case INT -> ((int[]) arrays[i])[r] = ((Number) v).intValue();
                    case REAL -> ((double[]) arrays[i])[r] = ((Number) v).doubleValue();
                    case BOOL -> ((long[]) arrays[i])[r] = ((Boolean) v) ? 1 : 0;
                    case DATETIME -> ((long[]) arrays[i])[r] = v instanceof java.time.Instant in ? Ticks.of(in) : ((Number) v).longValue();
                    case TIMESPAN -> ((long[]) arrays[i])[r] = v instanceof java.time.Duration d ? Ticks.of(d) : ((Number) v).longValue();
                    default -> ((long[]) arrays[i])[r] = ((Number) v).longValue();
                }
            }
            long t = ((long[]) arrays[timeIndex])[r];
            if (t < minTime) minTime = t;
            if (t > maxTime) maxTime = t;
            rows++;
        }

        /** New, larger arrays: a snapshot's view keeps the old ones, whose rows never change. */
        private void grow() {
            int n = capacity * 2;
            for (int i = 0; i < arrays.length; i++) {
                if (strings[i] != null) {
                    strings[i].grow(n);
                    continue;
                }
                arrays[i] = switch (arrays[i]) {
                    case int[] x -> Arrays.copyOf(x, n);
                    case double[] x -> Arrays.copyOf(x, n);
                    case long[] x -> Arrays.copyOf(x, n);
                    default -> throw new IllegalStateException();
                };
                if (nulls[i] != null) nulls[i] = Arrays.copyOf(nulls[i], (n + 63) >>> 6);
            }
            capacity = n;
        }

        /** A read-only view of the rows so far; later appends write past {@code rows} or into new arrays. */
        Chunk view() {
            ColumnData[] cols = new ColumnData[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                long[] nl = nulls[i] == null ? null : nulls[i].clone();
                cols[i] = switch (schema.get(i).type()) {
                    case INT -> new IntData((int[]) arrays[i], nl);
                    case REAL -> new RealData((double[]) arrays[i], nl);
                    case STRING -> strings[i].view();
                    default -> new LongData((long[]) arrays[i], nl);
                };
            }
            return new Chunk(rows, minTime, maxTime, cols);
        }

        /** The finished chunk: arrays trimmed to size, a number column with one value in all rows kept as that value. */
        Chunk seal(int timeIndex) {
            ColumnData[] cols = new ColumnData[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                long[] nl = nulls[i] == null ? null : Arrays.copyOf(nulls[i], (rows + 63) >>> 6);
                ColumnData d = switch (schema.get(i).type()) {
                    case INT -> new IntData(Arrays.copyOf((int[]) arrays[i], rows), nl);
                    case REAL -> new RealData(Arrays.copyOf((double[]) arrays[i], rows), nl);
                    case STRING -> strings[i].seal(rows);
                    default -> new LongData(Arrays.copyOf((long[]) arrays[i], rows), nl);
                };
                cols[i] = i == timeIndex || schema.get(i).type() == KqlType.STRING ? d : constant(d, schema.get(i).type(), rows);
            }
            return new Chunk(rows, minTime, maxTime, cols);
        }
    }

    /** {@code d} as a {@link ConstData} when every row holds the same number (or every row is null). */
    static ColumnData constant(ColumnData d, KqlType type, int rows) {
        if (rows == 0) return d;
        Object first = value(d, type, 0);
        for (int r = 1; r < rows; r++) if (!java.util.Objects.equals(first, value(d, type, r))) return d;
        return new ConstData(first);
    }

    private static Object value(ColumnData d, KqlType type, int r) {
        return switch (d) {
            case LongData l -> l.isNull(r) ? null : type == KqlType.BOOL ? (Object) (l.values()[r] != 0) : (Object) l.values()[r];
            case IntData x -> x.isNull(r) ? null : (Object) (long) x.values()[r];
            case RealData x -> x.isNull(r) ? null : (Object) x.values()[r];
            default -> throw new IllegalArgumentException();
        };
    }

    /**
     * One string column of the open chunk. It starts as a dictionary with codes a byte wide, widened to shorts and
     * ints as the dictionary grows. Once most values are distinct (message ids), the dictionary costs more than it
     * saves: the column then keeps two longs per row while every value is a lower-case GUID, and UTF-8 bytes after.
     */
    static final class StringColumn {
        private Map<String, Integer> map = new HashMap<>();
        private String[] dict = new String[16];
        private int dictSize;
        private byte[] b;
        private short[] sh;
        private int[] in;
        private String lastValue;
        private int lastCode;
        // distinct mode
        private boolean distinct;
        private long[] hi, lo;
        private byte[] bytes;
        private int[] offsets;

        /** Table-wide numbers of the dictionary's values, kept as values are added; null once the column has too many. */
        private int[] gids = new int[16];
        private final GlobalDict global;

        StringColumn(int capacity, GlobalDict global) {
            b = new byte[capacity];
            this.global = global;
        }

        void add(String v, int row) {
            if (distinct) {
                addDistinct(v, row);
                return;
            }
            // judged on a sample big enough that a column of 100,000 senders isn't taken for one of ids
            if (dictSize > 65536 && dictSize > row - (row >> 3)) {
                toDistinct(row);
                addDistinct(v, row);
                return;
            }
            int code;
            Integer c;
            if (v == lastValue) code = lastCode;        // the same String again: a constant column costs no lookup
            else if ((c = map.get(v)) != null) code = c;
            else {
                if (dictSize == dict.length) dict = Arrays.copyOf(dict, dictSize * 2); // new array: views keep theirs
                dict[dictSize] = v;
                map.put(v, dictSize);
                if (gids != null) {
                    int g = global == null ? -1 : global.id(v);
                    if (g < 0) gids = null;
                    else {
                        if (dictSize == gids.length) gids = Arrays.copyOf(gids, dictSize * 2); // new array: views keep theirs
                        gids[dictSize] = g;
                    }
                }
                code = dictSize++;
                widen();
            }
            lastValue = v;
            lastCode = code;
            if (b != null) b[row] = (byte) code;
            else if (sh != null) sh[row] = (short) code;
            else in[row] = code;
        }

        private int code(int row) {
            return b != null ? b[row] & 0xFF : sh != null ? sh[row] & 0xFFFF : in[row];
        }

        /** Codes one byte wide up to 256 values, two up to 65,536, then four; each widening is a new array. */
        private void widen() {
            if (b != null && dictSize > 256) {
                sh = new short[b.length];
                for (int i = 0; i < b.length; i++) sh[i] = (short) (b[i] & 0xFF);
                b = null;
            } else if (sh != null && dictSize > 65536) {
                in = new int[sh.length];
                for (int i = 0; i < sh.length; i++) in[i] = sh[i] & 0xFFFF;
                sh = null;
            }
        }

        private int capacity() { return b != null ? b.length : sh != null ? sh.length : in.length; }

        private void toDistinct(int rows) {
            String[] d = dict;
            int[] codes = new int[rows];
            for (int r = 0; r < rows; r++) codes[r] = code(r);
            int cap = capacity();
            distinct = true;
            map = null;
            gids = null;
            b = null;
            sh = null;
            in = null;
            dict = null;
            hi = new long[cap];
            lo = new long[cap];
            for (int r = 0; r < rows; r++) addDistinct(d[codes[r]], r);
        }

        private void addDistinct(String v, int row) {
            if (hi != null) {
                UUID u = Guid.parseLowerCase(v);
                if (u != null) {
                    hi[row] = u.getMostSignificantBits();
                    lo[row] = u.getLeastSignificantBits();
                    return;
                }
                // the first value that isn't a GUID: the rows so far become text
                int cap = hi.length;
                long[] h = hi, l = lo;
                hi = null;
                lo = null;
                bytes = new byte[Math.max(1024, row * 36 + 64)];
                offsets = new int[cap + 1];
                for (int r = 0; r < row; r++) addText(new UUID(h[r], l[r]).toString(), r);
            }
            addText(v, row);
        }

        private void addText(String v, int row) {
            int at = offsets[row];
            int n = v.length();
            if (at + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + n));
            int i = 0;
            for (; i < n; i++) {          // ASCII, the usual case, without an intermediate array
                char c = v.charAt(i);
                if (c >= 0x80) break;
                bytes[at + i] = (byte) c;
            }
            if (i == n) {
                offsets[row + 1] = at + n;
                return;
            }
            byte[] e = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (at + e.length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + e.length));
            System.arraycopy(e, 0, bytes, at, e.length);
            offsets[row + 1] = at + e.length;
        }

        void grow(int n) {
            if (!distinct) {
                if (b != null) b = Arrays.copyOf(b, n);
                else if (sh != null) sh = Arrays.copyOf(sh, n);
                else in = Arrays.copyOf(in, n);
            } else if (hi != null) {
                hi = Arrays.copyOf(hi, n);
                lo = Arrays.copyOf(lo, n);
            } else {
                offsets = Arrays.copyOf(offsets, n + 1);
            }
        }

        ColumnData view() {
            if (distinct) return hi != null ? new GuidData(hi, lo) : new TextData(bytes, offsets);
            return new StringData(dict, dictSize, b, sh, in, dictSize > 1 ? gids : null, global);
        }

        ColumnData seal(int rows) {
            if (distinct) {
                if (hi != null) return new GuidData(Arrays.copyOf(hi, rows), Arrays.copyOf(lo, rows));
                return new TextData(Arrays.copyOf(bytes, offsets[rows]), Arrays.copyOf(offsets, rows + 1));
            }
            String[] d = Arrays.copyOf(dict, dictSize);
            if (dictSize == 1) return new StringData(d, 1, null, null, null);
            if ((dictSize > rows / 2 && rows >= 64) || (dictSize == rows && rows > 1)) {
                // mostly distinct, though under the threshold that switches while appending: packed the same way
                toDistinct(rows);
                return seal(rows);
            }
            return new StringData(d, dictSize, b == null ? null : Arrays.copyOf(b, rows), sh == null ? null : Arrays.copyOf(sh, rows),
                    in == null ? null : Arrays.copyOf(in, rows), gids == null ? null : Arrays.copyOf(gids, dictSize), global);
        }
    }

    /** Canonical lower-case GUID text, or null: {@code toString()} of the result gives the same text back. */
    static final class Guid {
        static UUID parseLowerCase(String s) {
            if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') return null;
            long hi = 0, lo = 0;
            int n = 0;
            for (int i = 0; i < 36; i++) {
                char c = s.charAt(i);
                if (i == 8 || i == 13 || i == 18 || i == 23) continue;
                int v;
                if (c >= '0' && c <= '9') v = c - '0';
                else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
                else return null;
                if (n < 16) hi = (hi << 4) | v;
                else lo = (lo << 4) | v;
                n++;
            }
            return new UUID(hi, lo);
        }
    }
}
