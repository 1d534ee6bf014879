package org.xldt.smmu;

import java.util.List;
import java.util.function.Predicate;

/**
 * The translation cache. Lookups hash (tag, block size, page) and verify the entry, trying each
 * block size present and, for ASID-tagged lookups, the global tag too; they allocate nothing.
 * Capacity is bounded; the oldest insertion is evicted first (eviction is always permitted).
 * Invalidation scans and removes exactly the entries a predicate selects, and counts them.
 */
public final class Iotlb {
    private final LongMap<TlbEntry> map;
    private final TlbEntry[] ring;
    private int ringPos;
    private final int[] shiftCount = new int[64];
    private long shiftMask;
    private long hits;
    private long misses;
    private long inserts;
    private long evictions;
    private long invalidated;

    public Iotlb(int capacity) {
        map = new LongMap<>(capacity * 2);
        ring = new TlbEntry[capacity];
    }

    static long tag(int kind, StreamWorld world, int vmid, int asid) {
        return kind | ((long) world.ordinal() << 2) | ((long) (vmid + 1) << 4)
                | ((long) (asid + 1) << 21);
    }

    private static long key(long tag, int shift, long page) {
        long k = page * 0x9E3779B97F4A7C15L;
        k ^= (tag + 0x632BE59BD9B4E019L) * 0xC2B2AE3D27D4EB4FL;
        return k ^ ((long) shift << 57) ^ (k >>> 29);
    }

    /**
     * The entry translating {@code in} for this context, or null. {@code asid} < 0 looks up
     * entries without ASID only.
     */
    public TlbEntry lookup(int kind, StreamWorld world, int vmid, int asid, long in) {
        long tagAsid = asid >= 0 ? tag(kind, world, vmid, asid) : 0;
        long tagGlobal = tag(kind, world, vmid, -1);
        long shifts = shiftMask;
        while (shifts != 0) {
            int s = Long.numberOfTrailingZeros(shifts);
            shifts &= shifts - 1;
            long page = in >>> s;
            if (asid >= 0) {
                TlbEntry e = probe(tagAsid, s, page);
                if (e != null) {
                    hits++;
                    return e;
                }
            }
            TlbEntry e = probe(tagGlobal, s, page);
            if (e != null) {
                hits++;
                return e;
            }
        }
        misses++;
        return null;
    }

    private TlbEntry probe(long tag, int s, long page) {
        TlbEntry e = map.get(key(tag, s, page));
        if (e != null && e.shift() == s && (e.inBase() >>> s) == page && e.tag() == tag) {
            return e;
        }
        return null;
    }

    public void insert(TlbEntry e) {
        long k = key(e.tag(), e.shift(), e.inBase() >>> e.shift());
        TlbEntry old = map.put(k, e);
        if (old != null) {
            untrack(old);
        }
        track(e);
        inserts++;
        TlbEntry victim = ring[ringPos];
        ring[ringPos] = e;
        ringPos = (ringPos + 1) % ring.length;
        if (victim != null && victim != e) {
            long vk = key(victim.tag(), victim.shift(), victim.inBase() >>> victim.shift());
            if (map.get(vk) == victim) {
                map.remove(vk);
                untrack(victim);
                evictions++;
            }
        }
    }

    private void track(TlbEntry e) {
        if (shiftCount[e.shift()]++ == 0) {
            shiftMask |= 1L << e.shift();
        }
    }

    private void untrack(TlbEntry e) {
        if (--shiftCount[e.shift()] == 0) {
            shiftMask &= ~(1L << e.shift());
        }
    }

    /** Removes the entries {@code p} selects; returns how many. */
    public int invalidate(Predicate<TlbEntry> p) {
        int n = map.removeIf(e -> {
            if (p.test(e)) {
                untrack(e);
                return true;
            }
            return false;
        });
        invalidated += n;
        return n;
    }

    public int size() {
        return map.size();
    }

    /** Snapshot of the cached entries. */
    public List<TlbEntry> entries() {
        return map.values();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long inserts() {
        return inserts;
    }

    public long evictions() {
        return evictions;
    }

    public long invalidatedTotal() {
        return invalidated;
    }
}
