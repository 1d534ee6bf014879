package org.xldt.smmu;

/**
 * Lays out a linear or 2-level stream table in memory and writes STEs into it. Level 2 tables
 * of a 2-level table are allocated on first use with Span = SPLIT + 1 (as Linux does).
 */
public final class StreamTableBuilder {
    private final Memory mem;
    private final TableAllocator alloc;
    private final int log2size;
    private final int split;
    private final boolean twoLevel;
    private final long base;
    private final long[] one = new long[1];

    private StreamTableBuilder(Memory mem, TableAllocator alloc, int log2size, int split,
            boolean twoLevel) {
        this.mem = mem;
        this.alloc = alloc;
        this.log2size = log2size;
        this.split = split;
        this.twoLevel = twoLevel;
        long bytes = twoLevel ? 8L << Math.max(0, log2size - split) : 64L << log2size;
        this.base = alloc.alloc(bytes, Math.max(64, bytes));
        mem.write(base, new byte[(int) bytes], 0, (int) bytes);
    }

    public static StreamTableBuilder linear(Memory mem, TableAllocator alloc, int log2size) {
        return new StreamTableBuilder(mem, alloc, log2size, 0, false);
    }

    public static StreamTableBuilder twoLevel(Memory mem, TableAllocator alloc, int log2size,
            int split) {
        return new StreamTableBuilder(mem, alloc, log2size, split, true);
    }

    /** Value for SMMU_STRTAB_BASE. */
    public long strtabBase() {
        return base;
    }

    /** Value for SMMU_STRTAB_BASE_CFG. */
    public int strtabBaseCfg() {
        long v = Regs.STRTAB_BASE_CFG.LOG2SIZE.insert(0, log2size);
        v = Regs.STRTAB_BASE_CFG.SPLIT.insert(v, split);
        v = Regs.STRTAB_BASE_CFG.FMT.insert(v, twoLevel ? Regs.STRTAB_BASE_CFG.FMT_2LVL
                : Regs.STRTAB_BASE_CFG.FMT_LINEAR);
        return (int) v;
    }

    /** Address of the STE for {@code sid} (allocating its level 2 table if needed). */
    public long steAddress(long sid) {
        if (!twoLevel) {
            return base + 64 * sid;
        }
        long l1 = base + 8 * (sid >>> split);
        mem.readLongs(l1, one, 0, 1);
        long l2 = SteLayout.L1STD_L2PTR.getAddr(one[0]);
        if (SteLayout.L1STD_SPAN.get(one[0]) == 0) {
            long bytes = 64L << split;
            l2 = alloc.alloc(bytes, bytes);
            mem.write(l2, new byte[(int) bytes], 0, (int) bytes);
            one[0] = SteLayout.L1STD_SPAN.insert(l2, split + 1);
            mem.writeLongs(l1, one, 0, 1);
        }
        return l2 + 64 * (sid & ((1L << split) - 1));
    }

    /** Address of the level 1 descriptor covering {@code sid} (2-level tables). */
    public long l1Address(long sid) {
        return base + 8 * (sid >>> split);
    }

    public StreamTableBuilder put(long sid, long[] ste) {
        if (!mem.writeLongs(steAddress(sid), ste, 0, SteLayout.WORDS)) {
            throw new IllegalStateException("STE write aborted");
        }
        return this;
    }

    public StreamTableBuilder put(long sid, SteBuilder ste) {
        return put(sid, ste.words());
    }
}
