package org.xldt.smmu;

/**
 * One cached translation. {@code kind} says what the input address is: a VA translated by
 * stage 1 only ({@link #S1}), an IPA translated by stage 2 ({@link #S2}: stage-2-only streams
 * and the stage 2 part of nested walks), or a VA translated by both stages ({@link #NESTED},
 * the combined result). {@code asid} is -1 for global entries and for StreamWorlds without
 * ASIDs; {@code vmid} is -1 without VMID tagging. {@code granule}/{@code level} are those of
 * the stage the entry is invalidated by (stage 1 for S1 and NESTED). Permissions are
 * {@link Perms} masks for the two stages (the other is {@link Perms#ALL}).
 */
public record TlbEntry(int kind, StreamWorld world, int vmid, int asid, long inBase, int shift,
        Granule granule, int level, long outBase, long ipaBase, int s1Perms, int s2Perms) {

    public static final int S1 = 0;
    public static final int S2 = 1;
    public static final int NESTED = 2;

    public boolean global() {
        return asid < 0;
    }

    public long size() {
        return 1L << shift;
    }

    /** True if [inBase, inBase+size) overlaps [lo, hi] (inclusive, unsigned). */
    public boolean overlaps(long lo, long hi) {
        long last = inBase + (size() - 1);
        return Long.compareUnsigned(inBase, hi) <= 0 && Long.compareUnsigned(last, lo) >= 0;
    }

    long tag() {
        return Iotlb.tag(kind, world, vmid, asid);
    }
}
