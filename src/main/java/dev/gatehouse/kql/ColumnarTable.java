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

    private final String name;
    private final List<Column> schema;
    private final int timeIndex;
    private final int chunkRows;
    private final List<Chunk> sealed = new ArrayList<>();
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
        this.open = new OpenChunk(this.schema, Math.min(chunkRows, 1024));
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
        if (open.rows == chunkRows) {
            sealed.add(open.seal());
            open = new OpenChunk(schema, Math.min(chunkRows, 1024));
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
    public sealed interface ColumnData permits LongData, IntData, RealData, StringData, GuidData, TextData {
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
    public record StringData(String[] dict, int dictSize, byte[] byteCodes, short[] shortCodes, int[] intCodes) implements ColumnData {
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
        final Object[] arrays;              // long[] / int[] / double[] / int[] codes
        final long[][] nulls;
        final StringDict[] dicts;
        int rows;
        int capacity;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;

        OpenChunk(List<Column> schema, int capacity) {
            this.schema = schema;
            this.capacity = capacity;
            arrays = new Object[schema.size()];
            nulls = new long[schema.size()][];
            dicts = new StringDict[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                KqlType t = schema.get(i).type();
                arrays[i] = switch (t) {
                    case INT -> new int[capacity];
                    case REAL -> new double[capacity];
                    case STRING -> new int[capacity];
                    default -> new long[capacity];
                };
                if (t == KqlType.STRING) dicts[i] = new StringDict();
            }
        }

        void add(Object[] values, int timeIndex) {
            if (rows == capacity) grow();
            int r = rows;
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                KqlType t = schema.get(i).type();
                if (t == KqlType.STRING) {
                    ((int[]) arrays[i])[r] = dicts[i].code(v == null ? "" : v.toString());
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

        private void grow() {
            int n = capacity * 2;
            for (int i = 0; i < arrays.length; i++) {
                Object a = arrays[i];
                arrays[i] = switch (a) {
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
                    case STRING -> new StringData(dicts[i].values, dicts[i].size, null, null, (int[]) arrays[i]);
                    default -> new LongData((long[]) arrays[i], nl);
                };
            }
            return new Chunk(rows, minTime, maxTime, cols);
        }

        /** The finished chunk: arrays trimmed to size, codes packed. */
        Chunk seal() {
            ColumnData[] cols = new ColumnData[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                long[] nl = nulls[i] == null ? null : Arrays.copyOf(nulls[i], (rows + 63) >>> 6);
                cols[i] = switch (schema.get(i).type()) {
                    case INT -> new IntData(Arrays.copyOf((int[]) arrays[i], rows), nl);
                    case REAL -> new RealData(Arrays.copyOf((double[]) arrays[i], rows), nl);
                    case STRING -> packStrings(dicts[i], (int[]) arrays[i], rows);
                    default -> new LongData(Arrays.copyOf((long[]) arrays[i], rows), nl);
                };
            }
            return new Chunk(rows, minTime, maxTime, cols);
        }
    }

    static ColumnData packStrings(StringDict d, int[] codes, int rows) {
        String[] dict = Arrays.copyOf(d.values, d.size);
        if (d.size == 1) return new StringData(dict, 1, null, null, null);
        if (d.size == rows && rows > 1) {
            long[] hi = new long[rows], lo = new long[rows];
            boolean guids = true;
            for (int r = 0; r < rows && guids; r++) {
                String s = dict[codes[r]];
                UUID u = Guid.parseLowerCase(s);
                if (u == null) guids = false;
                else {
                    hi[r] = u.getMostSignificantBits();
                    lo[r] = u.getLeastSignificantBits();
                }
            }
            if (guids) return new GuidData(hi, lo);
        }
        if (d.size > rows / 2 && rows >= 64) {
            byte[][] enc = new byte[d.size][];
            long total = 0;
            for (int i = 0; i < d.size; i++) total += (enc[i] = dict[i].getBytes(java.nio.charset.StandardCharsets.UTF_8)).length;
            if (total < Integer.MAX_VALUE / 2) {
                byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, totalFor(enc, codes, rows))];
                int[] offsets = new int[rows + 1];
                int at = 0;
                for (int r = 0; r < rows; r++) {
                    byte[] e = enc[codes[r]];
                    System.arraycopy(e, 0, bytes, at, e.length);
                    at += e.length;
                    offsets[r + 1] = at;
                }
                return new TextData(bytes, offsets);
            }
        }
        if (d.size <= 256) {
            byte[] b = new byte[rows];
            for (int r = 0; r < rows; r++) b[r] = (byte) codes[r];
            return new StringData(dict, d.size, b, null, null);
        }
        if (d.size <= 65536) {
            short[] s = new short[rows];
            for (int r = 0; r < rows; r++) s[r] = (short) codes[r];
            return new StringData(dict, d.size, null, s, null);
        }
        return new StringData(dict, d.size, null, null, Arrays.copyOf(codes, rows));
    }

    private static long totalFor(byte[][] enc, int[] codes, int rows) {
        long n = 0;
        for (int r = 0; r < rows; r++) n += enc[codes[r]].length;
        return n;
    }

    /** Distinct strings of one column in one chunk, in order of first appearance. */
    static final class StringDict {
        private final Map<String, Integer> codes = new HashMap<>();
        String[] values = new String[16];
        int size;

        int code(String s) {
            Integer c = codes.get(s);
            if (c != null) return c;
            if (size == values.length) {
                // a new array, so a snapshot's view of the old one stays valid
                values = Arrays.copyOf(values, size * 2);
            }
            values[size] = s;
            codes.put(s, size);
            return size++;
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
