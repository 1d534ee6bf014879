package org.xldt.smmu;

import java.util.List;
import java.util.function.Predicate;

/**
 * Cache of table (non-leaf) descriptors read during walks, tagged like TLB entries: stage 1
 * walks by StreamWorld, VMID and ASID (table descriptors are never global), stage 2 walks by
 * VMID. Leaf = 0 invalidations remove these; Leaf = 1 ones keep them, so a stale table pointer
 * survives a leaf-only TLBI exactly as the architecture allows.
 */
public final class WalkCache {

    /** A cached table descriptor read at {@code level} for input addresses in [base, +2^span). */
    public record Entry(int stage, StreamWorld world, int vmid, int asid, Granule granule,
            int level, long base, int span, long desc) {

        public boolean overlaps(long lo, long hi) {
            long last = base + ((1L << span) - 1);
            return Long.compareUnsigned(base, hi) <= 0 && Long.compareUnsigned(last, lo) >= 0;
        }
    }

    private final LongMap<Entry> map = new LongMap<>(256);
    private final int capacity;
    private long hits;
    private long invalidated;

    public WalkCache(int capacity) {
        this.capacity = capacity;
    }

    private static long key(int stage, StreamWorld world, int vmid, int asid, Granule g,
            int level, long page) {
        long t = Iotlb.tag(stage, world, vmid, asid) * 31 + g.ordinal() * 7 + level;
        long k = page * 0x9E3779B97F4A7C15L ^ (t + 0x2545F4914F6CDD1DL) * 0xC2B2AE3D27D4EB4FL;
        return k ^ (k >>> 31);
    }

    /** The cached descriptor value, or -1 if absent (a table descriptor is never all ones). */
    long lookup(int stage, StreamWorld world, int vmid, int asid, Granule g, int level,
            long in) {
        int span = g.levelShift(level);
        long page = in >>> span;
        Entry e = map.get(key(stage, world, vmid, asid, g, level, page));
        if (e != null && e.stage() == stage && e.world() == world && e.vmid() == vmid
                && e.asid() == asid && e.granule() == g && e.level() == level
                && (e.base() >>> span) == page) {
            hits++;
            return e.desc();
        }
        return -1;
    }

    void insert(int stage, StreamWorld world, int vmid, int asid, Granule g, int level,
            long in, long desc) {
        if (map.size() >= capacity) {
            map.clear(); // a walk cache may be emptied at any time
        }
        int span = g.levelShift(level);
        long base = span >= 64 ? 0 : in & ~((1L << span) - 1);
        map.put(key(stage, world, vmid, asid, g, level, in >>> span),
                new Entry(stage, world, vmid, asid, g, level, base, span, desc));
    }

    public int invalidate(Predicate<Entry> p) {
        int n = map.removeIf(p);
        invalidated += n;
        return n;
    }

    public int size() {
        return map.size();
    }

    public List<Entry> entries() {
        return map.values();
    }

    public long hits() {
        return hits;
    }

    public long invalidatedTotal() {
        return invalidated;
    }
}
