package org.xldt.smmu;

/** Bump allocator of naturally aligned blocks in an address range (for tables and queues). */
public final class TableAllocator {
    private long next;
    private final long end;

    public TableAllocator(long base, long size) {
        this.next = base;
        this.end = base + size;
    }

    /** {@code size} bytes aligned to {@code align} (a power of two). */
    public long alloc(long size, long align) {
        long a = (next + align - 1) & ~(align - 1);
        if (a + size > end || a + size < a) {
            throw new IllegalStateException("allocator exhausted");
        }
        next = a + size;
        return a;
    }

    /** A block aligned to its own size (rounded up to a power of two, at least 64 bytes). */
    public long allocAligned(long size) {
        long s = Math.max(64, Long.highestOneBit(size - 1) << 1);
        return alloc(size, s);
    }
}
