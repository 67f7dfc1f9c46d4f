// A string predicate's result for each distinct value of a chunk's dictionary, computed once per dictionary.
package dev.gatehouse.kql;

import java.util.function.Predicate;

/**
 * {@code has}, {@code contains}, {@code matches regex}, {@code in} and {@code ==} on a dictionary-encoded column cost
 * one test per distinct value of the chunk, then one array read per row. The last dictionary seen is remembered, so
 * the batches of one chunk share the work; an open chunk's dictionary grows, so its size is part of the key.
 */
final class DictCache {
    private final Predicate<String> test;
    /** Results by value across chunks: each chunk has its own dictionary, but mostly the same values. */
    private final java.util.HashMap<String, Boolean> memo = new java.util.HashMap<>();
    /** Results by table-wide value number (per table: a union feeds several): 0 not yet tested, else the answer + 1. */
    private final java.util.IdentityHashMap<Object, byte[]> byGlobalOf = new java.util.IdentityHashMap<>();
    private String[] lastDict;
    private int lastSize = -1;
    private byte[] lastResult;

    private static final int MEMO_LIMIT = 1 << 20;

    DictCache(Predicate<String> test) { this.test = test; }

    byte[] matches(Vec.DictVec d, Ctx ctx) {
        String[] dict = d.dict();
        int size = d.dictSize();
        if (dict == lastDict && size == lastSize) return lastResult;
        byte[] r = new byte[Math.max(1, size)];
        int[] global = d.globalIds();
        if (global != null) {
            byte[] byGlobal = byGlobalOf.getOrDefault(d.idSpace(), new byte[0]);
            for (int i = 0; i < size; i++) {
                int g = global[i];
                if (g >= byGlobal.length) byGlobal = java.util.Arrays.copyOf(byGlobal, Math.max(g + 1, byGlobal.length * 2));
                byte known = byGlobal[g];
                if (known == 0) {
                    known = (byte) ((test.test(dict[i]) ? Vec.TRUE : Vec.FALSE) + 1);
                    byGlobal[g] = known;
                }
                r[i] = (byte) (known - 1);
            }
            byGlobalOf.put(d.idSpace(), byGlobal);
            lastDict = dict;
            lastSize = size;
            lastResult = r;
            return r;
        }
        for (int i = 0; i < size; i++) {
            String v = dict[i];
            Boolean m = memo.get(v);
            if (m == null) {
                m = test.test(v);
                if (memo.size() < MEMO_LIMIT) memo.put(v, m);
            }
            r[i] = m ? Vec.TRUE : Vec.FALSE;
            if ((i & 4095) == 4095) ctx.poll();
        }
        lastDict = dict;
        lastSize = size;
        lastResult = r;
        return r;
    }
}
