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
    private String[] lastDict;
    private int lastSize = -1;
    private byte[] lastResult;

    DictCache(Predicate<String> test) { this.test = test; }

    byte[] matches(Vec.DictVec d, Ctx ctx) {
        String[] dict = d.dict();
        int size = d.dictSize();
        if (dict == lastDict && size == lastSize) return lastResult;
        byte[] r = new byte[Math.max(1, size)];
        for (int i = 0; i < size; i++) {
            r[i] = test.test(dict[i]) ? Vec.TRUE : Vec.FALSE;
            if ((i & 4095) == 4095) ctx.poll();
        }
        lastDict = dict;
        lastSize = size;
        lastResult = r;
        return r;
    }
}
