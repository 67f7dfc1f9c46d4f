// One column of a batch of rows during evaluation: a view of a stored chunk's column, a computed array, or a constant.
package dev.gatehouse.kql;

import dev.gatehouse.kql.ColumnarTable.GuidData;
import dev.gatehouse.kql.ColumnarTable.IntData;
import dev.gatehouse.kql.ColumnarTable.LongData;
import dev.gatehouse.kql.ColumnarTable.RealData;
import dev.gatehouse.kql.ColumnarTable.StringData;

/**
 * Rows are numbered 0..size-1 within the batch. {@link #get} boxes as {@link KqlType} says; the typed getters are
 * the fast paths the predicates and aggregations use. Booleans are held as bytes: 0 false, 1 true, 2 null.
 */
abstract class Vec {
    static final byte FALSE = 0, TRUE = 1, NULL = 2;

    final KqlType type;
    final int size;

    Vec(KqlType type, int size) {
        this.type = type;
        this.size = size;
    }

    abstract Object get(int i);

    boolean isNull(int i) { return get(i) == null; }

    long getLong(int i) { return ((Number) get(i)).longValue(); }

    double getDouble(int i) { return ((Number) get(i)).doubleValue(); }

    String getString(int i) { return (String) get(i); }

    byte getBool(int i) {
        Object o = get(i);
        return o == null ? NULL : (Boolean) o ? TRUE : FALSE;
    }

    /** The rows {@code rows[0..n)} of this vector, as a view or a copy. */
    abstract Vec select(int[] rows, int n);

    /**
     * The same, for one column of a batch: views of one chunk share {@code shared}'s composed selection, so a filter
     * composes it once per batch, not once per column.
     */
    Vec select(int[] rows, int n, java.util.Map<Object, int[]> shared) { return select(rows, n); }

    static int[] shared(java.util.Map<Object, int[]> shared, int start, int[] sel, int[] rows, int n) {
        return shared.computeIfAbsent(sel != null ? sel : (Object) start, k -> compose(start, sel, rows, n));
    }

    // ---- stored chunk views ------------------------------------------------------------------------------------

    static int[] compose(int start, int[] sel, int[] rows, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = sel == null ? start + rows[i] : sel[rows[i]];
        return out;
    }

    /**
     * A view of one column of a stored chunk: batch row {@code i} is chunk row {@code start + i}, or {@code sel[i]}
     * once a filter has picked rows. Selecting composes the row numbers; the values are never copied.
     */
    abstract static class ChunkVec extends Vec {
        final int start;
        final int[] sel;

        ChunkVec(KqlType type, int start, int[] sel, int n) {
            super(type, n);
            this.start = start;
            this.sel = sel;
        }

        final int row(int i) { return sel == null ? start + i : sel[i]; }

        /** The same column over chunk rows {@code rows[0..n)}. */
        abstract ChunkVec at(int[] rows, int n);

        @Override final Vec select(int[] rows, int n) { return at(compose(start, sel, rows, n), n); }

        @Override final Vec select(int[] rows, int n, java.util.Map<Object, int[]> sh) { return at(shared(sh, start, sel, rows, n), n); }
    }

    /** A string column of a chunk, with its dictionary: predicates run once per distinct value. */
    static final class DictVec extends ChunkVec {
        final StringData data;

        DictVec(StringData data, int start, int[] sel, int n) {
            super(KqlType.STRING, start, sel, n);
            this.data = data;
        }

        int code(int i) { return data.code(row(i)); }

        String[] dict() { return data.dict(); }

        int dictSize() { return data.dictSize(); }

        /** Table-wide numbers of the dictionary's values, or null (an open chunk, or a column with too many values). */
        int[] globalIds() { return data.globalIds(); }

        /** Whose numbers {@link #globalIds()} are: values of different tables are numbered apart. */
        Object idSpace() { return data.idSpace(); }

        @Override Object get(int i) { return data.value(row(i)); }

        @Override String getString(int i) { return data.value(row(i)); }

        @Override boolean isNull(int i) { return false; }

        @Override ChunkVec at(int[] rows, int n) { return new DictVec(data, 0, rows, n); }

        /** {@code out[i] = perCode[code(i)]} for every row, fast for each code width. */
        void mapCodes(byte[] perCode, byte[] out) {
            byte[] b = data.byteCodes();
            short[] s = data.shortCodes();
            int[] c = data.intCodes();
            int n = size;
            if (sel == null) {
                int st = start;
                if (b != null) for (int i = 0; i < n; i++) out[i] = perCode[b[st + i] & 0xFF];
                else if (s != null) for (int i = 0; i < n; i++) out[i] = perCode[s[st + i] & 0xFFFF];
                else if (c != null) for (int i = 0; i < n; i++) out[i] = perCode[c[st + i]];
                else java.util.Arrays.fill(out, 0, n, perCode[0]);
            } else {
                int[] sl = sel;
                if (b != null) for (int i = 0; i < n; i++) out[i] = perCode[b[sl[i]] & 0xFF];
                else if (s != null) for (int i = 0; i < n; i++) out[i] = perCode[s[sl[i]] & 0xFFFF];
                else if (c != null) for (int i = 0; i < n; i++) out[i] = perCode[c[sl[i]]];
                else java.util.Arrays.fill(out, 0, n, perCode[0]);
            }
        }

        /** Codes of every row into {@code out}, a tight loop per code width. */
        void codes(int[] out) {
            byte[] b = data.byteCodes();
            short[] s = data.shortCodes();
            int[] c = data.intCodes();
            int n = size;
            if (sel == null) {
                int st = start;
                if (b != null) for (int i = 0; i < n; i++) out[i] = b[st + i] & 0xFF;
                else if (s != null) for (int i = 0; i < n; i++) out[i] = s[st + i] & 0xFFFF;
                else if (c != null) System.arraycopy(c, st, out, 0, n);
                else java.util.Arrays.fill(out, 0, n, 0);
            } else {
                int[] sl = sel;
                if (b != null) for (int i = 0; i < n; i++) out[i] = b[sl[i]] & 0xFF;
                else if (s != null) for (int i = 0; i < n; i++) out[i] = s[sl[i]] & 0xFFFF;
                else if (c != null) for (int i = 0; i < n; i++) out[i] = c[sl[i]];
                else java.util.Arrays.fill(out, 0, n, 0);
            }
        }
    }

    /** A column of distinct GUIDs: formatted only when read. */
    static final class GuidVec extends ChunkVec {
        final GuidData data;

        GuidVec(GuidData data, int start, int[] sel, int n) {
            super(KqlType.STRING, start, sel, n);
            this.data = data;
        }

        long high(int i) { return data.high()[row(i)]; }

        long low(int i) { return data.low()[row(i)]; }

        @Override Object get(int i) { return data.value(row(i)); }

        @Override boolean isNull(int i) { return false; }

        @Override ChunkVec at(int[] rows, int n) { return new GuidVec(data, 0, rows, n); }
    }

    /** Mostly distinct strings of a chunk, decoded when read. */
    static final class TextVec extends ChunkVec {
        final ColumnarTable.TextData data;

        TextVec(ColumnarTable.TextData data, int start, int[] sel, int n) {
            super(KqlType.STRING, start, sel, n);
            this.data = data;
        }

        @Override Object get(int i) { return data.value(row(i)); }

        @Override boolean isNull(int i) { return false; }

        @Override ChunkVec at(int[] rows, int n) { return new TextVec(data, 0, rows, n); }
    }

    /** long, datetime, timespan or bool column of a chunk. */
    static final class LongChunkVec extends ChunkVec {
        final long[] values;
        final LongData data;

        LongChunkVec(KqlType type, LongData data, int start, int[] sel, int n) {
            super(type, start, sel, n);
            this.data = data;
            this.values = data.values();
        }

        @Override long getLong(int i) { return values[row(i)]; }

        @Override boolean isNull(int i) { return data.isNull(row(i)); }

        @Override double getDouble(int i) { return getLong(i); }

        @Override byte getBool(int i) { return isNull(i) ? NULL : getLong(i) != 0 ? TRUE : FALSE; }

        @Override Object get(int i) {
            int r = row(i);
            if (data.isNull(r)) return null;
            return type == KqlType.BOOL ? (Object) (values[r] != 0) : (Object) values[r];
        }

        @Override ChunkVec at(int[] rows, int n) { return new LongChunkVec(type, data, 0, rows, n); }
    }

    static final class IntChunkVec extends ChunkVec {
        final IntData data;

        IntChunkVec(IntData data, int start, int[] sel, int n) {
            super(KqlType.INT, start, sel, n);
            this.data = data;
        }

        @Override long getLong(int i) { return data.values()[row(i)]; }

        @Override double getDouble(int i) { return getLong(i); }

        @Override boolean isNull(int i) { return data.isNull(row(i)); }

        @Override Object get(int i) { return isNull(i) ? null : (Object) getLong(i); }

        @Override ChunkVec at(int[] rows, int n) { return new IntChunkVec(data, 0, rows, n); }
    }

    static final class RealChunkVec extends ChunkVec {
        final RealData data;

        RealChunkVec(RealData data, int start, int[] sel, int n) {
            super(KqlType.REAL, start, sel, n);
            this.data = data;
        }

        @Override double getDouble(int i) { return data.values()[row(i)]; }

        @Override long getLong(int i) { return (long) getDouble(i); }

        @Override boolean isNull(int i) { return data.isNull(row(i)); }

        @Override Object get(int i) { return isNull(i) ? null : (Object) getDouble(i); }

        @Override ChunkVec at(int[] rows, int n) { return new RealChunkVec(data, 0, rows, n); }
    }

    static Vec ofChunk(KqlType type, ColumnarTable.ColumnData d, int start, int[] sel, int n) {
        return switch (d) {
            case StringData s -> new DictVec(s, start, sel, n);
            case GuidData g -> new GuidVec(g, start, sel, n);
            case ColumnarTable.TextData t -> new TextVec(t, start, sel, n);
            case ColumnarTable.ConstData c -> new ConstVec(type, type == KqlType.BOOL && c.value() instanceof Long l ? (Object) (l != 0) : c.value(), n);
            case LongData l -> new LongChunkVec(type, l, start, sel, n);
            case IntData x -> new IntChunkVec(x, start, sel, n);
            case RealData r -> new RealChunkVec(r, start, sel, n);
        };
    }

    // ---- computed ----------------------------------------------------------------------------------------------

    /** Any type, boxed: strings, dynamics, and whatever a row-by-row function returns. */
    static final class ObjVec extends Vec {
        final Object[] values;

        ObjVec(KqlType type, Object[] values, int n) {
            super(type, n);
            this.values = values;
        }

        @Override Object get(int i) { return values[i]; }

        @Override Vec select(int[] rows, int n) {
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) out[i] = values[rows[i]];
            return new ObjVec(type, out, n);
        }
    }

    /** Booleans: 0 false, 1 true, 2 null. */
    static final class BoolVec extends Vec {
        final byte[] values;

        BoolVec(byte[] values, int n) {
            super(KqlType.BOOL, n);
            this.values = values;
        }

        @Override byte getBool(int i) { return values[i]; }

        @Override boolean isNull(int i) { return values[i] == NULL; }

        @Override long getLong(int i) { return values[i] == TRUE ? 1 : 0; }

        @Override Object get(int i) { return values[i] == NULL ? null : (Object) (values[i] == TRUE); }

        @Override Vec select(int[] rows, int n) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) out[i] = values[rows[i]];
            return new BoolVec(out, n);
        }
    }

    /** The same value in every row. */
    static final class ConstVec extends Vec {
        final Object value;

        ConstVec(KqlType type, Object value, int n) {
            super(type, n);
            this.value = value;
        }

        @Override Object get(int i) { return value; }

        @Override boolean isNull(int i) { return value == null; }

        @Override Vec select(int[] rows, int n) { return new ConstVec(type, value, n); }
    }

    /** Builds a vector of {@code type} from boxed values. */
    static Vec of(KqlType type, Object[] values, int n) {
        if (type == KqlType.BOOL) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = values[i] == null ? NULL : (Boolean) values[i] ? TRUE : FALSE;
            return new BoolVec(b, n);
        }
        return new ObjVec(type, values, n);
    }
}
