package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Open-addressing hash map from long keys to values (linear probing, backward-shift deletion).
 * Lookups allocate nothing, which keeps the IOTLB-hit path allocation-free.
 */
public final class LongMap<V> {
    private long[] keys;
    private Object[] vals;
    private int size;
    private int mask;

    public LongMap() {
        this(16);
    }

    public LongMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(4, capacity - 1)) << 1;
        keys = new long[cap];
        vals = new Object[cap];
        mask = cap - 1;
    }

    private static int hash(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return (int) k;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int i = hash(key) & mask;
        while (true) {
            Object v = vals[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int i = hash(key) & mask;
        while (vals[i] != null) {
            if (keys[i] == key) {
                V old = (V) vals[i];
                vals[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        vals[i] = value;
        size++;
        return null;
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = hash(key) & mask;
        while (vals[i] != null) {
            if (keys[i] == key) {
                V old = (V) vals[i];
                deleteAt(i);
                return old;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private void deleteAt(int i) {
        vals[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (vals[j] == null) {
                return;
            }
            int home = hash(keys[j]) & mask;
            // move j back to i if home is not cyclically in (i, j]
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                keys[i] = keys[j];
                vals[i] = vals[j];
                vals[j] = null;
                i = j;
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        Object[] ov = vals;
        keys = new long[ok.length * 2];
        vals = new Object[ok.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ov[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) ov[i];
                put(ok[i], v);
            }
        }
    }

    public int size() {
        return size;
    }

    public void clear() {
        java.util.Arrays.fill(vals, null);
        size = 0;
    }

    /** Snapshot of the values. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : vals) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    /** Removes every entry whose value matches; returns how many were removed. */
    @SuppressWarnings("unchecked")
    public int removeIf(Predicate<? super V> p) {
        List<Long> doomed = new ArrayList<>();
        for (int i = 0; i < vals.length; i++) {
            if (vals[i] != null && p.test((V) vals[i])) {
                doomed.add(keys[i]);
            }
        }
        for (long k : doomed) {
            remove(k);
        }
        return doomed.size();
    }
}
