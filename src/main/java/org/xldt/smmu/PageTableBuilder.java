package org.xldt.smmu;

import java.util.function.LongUnaryOperator;

/**
 * Writes VMSAv8-64 translation tables into memory: stage 1 (start level from TxSZ) or stage 2
 * (start level from S2SL0, concatenated start tables). Tables are allocated on demand. For a
 * nested guest's stage 1 tables, whose addresses are IPAs, pass a {@code tableView} mapping a
 * table address to the PA where it is written.
 */
public final class PageTableBuilder {
    private final Memory mem;
    private final Granule g;
    private final int startLevel;
    private final int startBits;
    private final TableAllocator alloc;
    private final LongUnaryOperator view;
    private final long root;
    private final long[] one = new long[1];

    /** Leaf attribute sets (AF and permissions); OR more {@link PteLayout} bits as needed. */
    public static final long S1_RW = PteLayout.AF.mask() | PteLayout.AP1.mask()
            | PteLayout.NG.mask();
    public static final long S1_RO = S1_RW | PteLayout.AP2.mask();
    public static final long S1_PRIV_RW = PteLayout.AF.mask() | PteLayout.NG.mask();
    public static final long S2_RW = PteLayout.AF.mask() | PteLayout.S2AP_R.mask()
            | PteLayout.S2AP_W.mask();
    public static final long S2_RO = PteLayout.AF.mask() | PteLayout.S2AP_R.mask();

    private PageTableBuilder(Memory mem, Granule g, int startLevel, int startBits,
            TableAllocator alloc, LongUnaryOperator view) {
        this.mem = mem;
        this.g = g;
        this.startLevel = startLevel;
        this.startBits = startBits;
        this.alloc = alloc;
        this.view = view;
        this.root = alloc.alloc(8L << startBits, Math.max(8L << startBits, 64));
        zero(root, 8L << startBits);
    }

    /** Stage 1 tables for CD.TxSZ = {@code tsz}. */
    public static PageTableBuilder stage1(Memory mem, Granule g, int tsz, TableAllocator alloc) {
        return stage1(mem, g, tsz, alloc, LongUnaryOperator.identity());
    }

    public static PageTableBuilder stage1(Memory mem, Granule g, int tsz, TableAllocator alloc,
            LongUnaryOperator tableView) {
        int start = g.s1StartLevel(64 - tsz);
        return new PageTableBuilder(mem, g, start, g.startBits(64 - tsz, start), alloc,
                tableView);
    }

    /** Stage 2 tables for STE.S2T0SZ = {@code t0sz}, STE.S2SL0 = {@code sl0}. */
    public static PageTableBuilder stage2(Memory mem, Granule g, int t0sz, int sl0,
            TableAllocator alloc) {
        int start = g.s2StartLevel(sl0);
        return new PageTableBuilder(mem, g, start, g.startBits(64 - t0sz, start), alloc,
                LongUnaryOperator.identity());
    }

    /** Address of the start-level table (CD.TTBx or STE.S2TTB). */
    public long root() {
        return root;
    }

    public int startLevel() {
        return startLevel;
    }

    public Granule granule() {
        return g;
    }

    /** Maps one granule-sized page at level 3. */
    public PageTableBuilder mapPage(long in, long out, long attrs) {
        return map(in, out, 3, attrs);
    }

    /** Maps a block (level < 3) or page (level 3) with leaf attribute bits {@code attrs}. */
    public PageTableBuilder map(long in, long out, int level, long attrs) {
        long type = level == 3 ? PteLayout.TYPE.mask() : 0;
        long oaMask = ~((1L << g.levelShift(level)) - 1) & 0x0000_ffff_ffff_f000L;
        writeDesc(entryAddress(in, level, true), PteLayout.VALID.mask() | type
                | (out & oaMask) | attrs);
        return this;
    }

    /** Maps [in, in+size) to [out, ...) with pages (size a multiple of the granule). */
    public PageTableBuilder mapRange(long in, long out, long size, long attrs) {
        for (long o = 0; o < size; o += g.size()) {
            mapPage(in + o, out + o, attrs);
        }
        return this;
    }

    /** Writes a raw descriptor value at the entry for {@code in} at {@code level}. */
    public PageTableBuilder setDescriptor(long in, int level, long desc) {
        writeDesc(entryAddress(in, level, true), desc);
        return this;
    }

    /** Clears the entry for {@code in} at {@code level} (makes it invalid). */
    public PageTableBuilder unmap(long in, int level) {
        return setDescriptor(in, level, 0);
    }

    /** Current descriptor for {@code in} at {@code level}, or 0 if a table above is missing. */
    public long descriptor(long in, int level) {
        long a = entryAddress(in, level, false);
        if (a < 0) {
            return 0;
        }
        mem.readLongs(view.applyAsLong(a), one, 0, 1);
        return one[0];
    }

    /** ORs {@code bits} into the table descriptor that {@code in} passes at {@code level}. */
    public PageTableBuilder orTableBits(long in, int level, long bits) {
        long a = entryAddress(in, level, false);
        mem.readLongs(view.applyAsLong(a), one, 0, 1);
        writeDesc(a, one[0] | bits);
        return this;
    }

    /** Table-address of the entry for {@code in} at {@code level} (creating tables if asked). */
    public long entryAddress(long in, int level, boolean create) {
        long table = root;
        for (int l = startLevel; ; l++) {
            int bits = l == startLevel ? startBits : g.stride;
            long idx = (in >>> g.levelShift(l)) & ((1L << bits) - 1);
            long addr = table + 8 * idx;
            if (l == level) {
                return addr;
            }
            mem.readLongs(view.applyAsLong(addr), one, 0, 1);
            long d = one[0];
            if (!PteLayout.VALID.isSet(d) || !PteLayout.TYPE.isSet(d)) {
                if (!create) {
                    return -1;
                }
                long t = alloc.alloc(g.size(), g.size());
                zero(t, g.size());
                writeDesc(addr, t | PteLayout.VALID.mask() | PteLayout.TYPE.mask());
                table = t;
            } else {
                table = PteLayout.OA.getAddr(d) & ~(g.size() - 1);
            }
        }
    }

    private void writeDesc(long addr, long v) {
        one[0] = v;
        if (!mem.writeLongs(view.applyAsLong(addr), one, 0, 1)) {
            throw new IllegalStateException(String.format("table write aborted at 0x%x", addr));
        }
    }

    private void zero(long addr, long size) {
        byte[] z = new byte[(int) size];
        mem.write(view.applyAsLong(addr), z, 0, z.length);
    }
}
