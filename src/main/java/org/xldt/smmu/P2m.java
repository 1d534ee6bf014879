package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Xen domain's stage-2 p2m: IPA→PA mappings with permissions. It is kept twice: as extents
 * (for the guest's view of its memory, {@link #memory()}, and ownership checks) and as the
 * VMSAv8-64 stage-2 translation tables (4 KiB granule, 2 MiB blocks where both addresses are
 * aligned) that the physical SMMUs walk, written into physical memory from Xen's heap. The
 * owner invalidates the SMMUs' TLBs after {@link #unmap} (see {@link Domain#unmap}).
 */
public final class P2m {

    /** One mapping: [ipa, ipa+size) → [pa, pa+size). */
    public record Extent(long ipa, long pa, long size, boolean writable) {
        public long end() {
            return ipa + size;
        }

        public boolean contains(long a) {
            return a >= ipa && a - ipa < size;
        }

        public boolean holdsPa(long p) {
            return p >= pa && p - pa < size;
        }
    }

    /** Stage 2 granule of every p2m. */
    public static final Granule GRANULE = Granule.G4K;
    private static final long PAGE = GRANULE.size();
    private static final int BLOCK_LEVEL = 2;
    private static final long BLOCK = 1L << GRANULE.levelShift(BLOCK_LEVEL);

    private final Memory phys;
    private final int ipaBits;
    private final int paBits;
    private final int sl0;
    private final PageTableBuilder tables;
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    private final Memory view = new GuestView();

    /**
     * An empty p2m of {@code ipaBits} input bits whose outputs are below 2^{@code paBits}; its
     * tables come from {@code heap} (physical addresses in {@code phys}).
     */
    public P2m(Memory phys, TableAllocator heap, int ipaBits, int paBits) {
        if (SmmuConfig.oasEncoding(paBits) < 0 || ipaBits > paBits || ipaBits < 25) {
            throw new IllegalArgumentException("p2m IPA " + ipaBits + " / PA " + paBits + " bits");
        }
        this.phys = phys;
        this.ipaBits = ipaBits;
        this.paBits = paBits;
        this.sl0 = startLevelSl0(ipaBits);
        this.tables = PageTableBuilder.stage2(phys, GRANULE, t0sz(), sl0, heap);
    }

    /**
     * STE.S2SL0 for a 4 KiB-granule stage 2 of {@code ipaBits}: the fewest levels whose start
     * table, concatenating at most 16 tables, covers the input (start level 2, 1, then 0).
     */
    static int startLevelSl0(int ipaBits) {
        for (int sl = 0; sl <= 2; sl++) {
            int start = GRANULE.s2StartLevel(sl);
            int levels = 3 - start;
            int min = levels * GRANULE.stride + GRANULE.shift + 1;
            if (ipaBits >= min && ipaBits <= min + GRANULE.stride - 1 + 4) {
                return sl;
            }
        }
        throw new IllegalArgumentException("no stage 2 start level for " + ipaBits + " bits");
    }

    public int ipaBits() {
        return ipaBits;
    }

    public int paBits() {
        return paBits;
    }

    /** STE.S2T0SZ. */
    public int t0sz() {
        return 64 - ipaBits;
    }

    /** STE.S2SL0. */
    public int sl0() {
        return sl0;
    }

    /** STE.S2PS encoding. */
    public int psEncoding() {
        return SmmuConfig.oasEncoding(paBits);
    }

    /** STE.S2TTB: the start-level table. */
    public long root() {
        return tables.root();
    }

    /** The stage-2 part of an STE for this p2m with {@code vmid} (stage 2 faults recorded). */
    public SteBuilder stage2(SteBuilder ste, int vmid) {
        return ste.stage2(vmid, GRANULE, t0sz(), sl0, psEncoding(), root());
    }

    /** Maps [ipa, ipa+size) to [pa, pa+size); page-aligned, not overlapping a mapping. */
    public void map(long ipa, long pa, long size, boolean writable) {
        if (((ipa | pa | size) & (PAGE - 1)) != 0 || size <= 0 || ipa < 0 || pa < 0) {
            throw new IllegalArgumentException(String.format(
                    "p2m mapping 0x%x -> 0x%x size 0x%x not page aligned", ipa, pa, size));
        }
        if (ipa + size > (1L << ipaBits) || pa + size > (1L << paBits)) {
            throw new IllegalArgumentException(String.format(
                    "p2m mapping 0x%x -> 0x%x size 0x%x beyond %d/%d bits", ipa, pa, size,
                    ipaBits, paBits));
        }
        Map.Entry<Long, Extent> below = extents.lowerEntry(ipa + size);
        if (below != null && below.getValue().end() > ipa) {
            throw new IllegalArgumentException(String.format("IPA 0x%x already mapped", ipa));
        }
        Extent e = new Extent(ipa, pa, size, writable);
        extents.put(ipa, e);
        write(e, ipa, ipa + size);
    }

    /** Removes every mapping of [ipa, ipa+size) (splitting extents); returns pages removed. */
    public long unmap(long ipa, long size) {
        long end = ipa + size;
        long removed = 0;
        for (Extent e : overlapping(ipa, end)) {
            extents.remove(e.ipa());
            long lo = Math.max(e.ipa(), ipa);
            long hi = Math.min(e.end(), end);
            removed += (hi - lo) / PAGE;
            if (e.ipa() < lo) {
                extents.put(e.ipa(), new Extent(e.ipa(), e.pa(), lo - e.ipa(), e.writable()));
            }
            if (hi < e.end()) {
                extents.put(hi, new Extent(hi, e.pa() + (hi - e.ipa()), e.end() - hi,
                        e.writable()));
            }
        }
        // rewrite each touched 2 MiB region from the remaining extents
        for (long r = ipa & ~(BLOCK - 1); r < end; r += BLOCK) {
            tables.unmap(r, BLOCK_LEVEL);
            for (Extent e : overlapping(r, r + BLOCK)) {
                write(e, Math.max(r, e.ipa()), Math.min(r + BLOCK, e.end()));
            }
        }
        return removed;
    }

    /** The extents overlapping [lo, hi), in IPA order. */
    private List<Extent> overlapping(long lo, long hi) {
        Map.Entry<Long, Extent> first = extents.floorEntry(lo);
        long from = first != null && first.getValue().end() > lo ? first.getKey() : lo;
        return new ArrayList<>(extents.subMap(from, true, hi, false).values());
    }

    /** Writes the stage-2 descriptors of extent {@code e} for IPAs [lo, hi). */
    private void write(Extent e, long lo, long hi) {
        long attrs = e.writable() ? PageTableBuilder.S2_RW : PageTableBuilder.S2_RO;
        long a = lo;
        while (a < hi) {
            long pa = e.pa() + (a - e.ipa());
            if (((a | pa) & (BLOCK - 1)) == 0 && hi - a >= BLOCK) {
                tables.map(a, pa, BLOCK_LEVEL, attrs);
                a += BLOCK;
            } else {
                tables.mapPage(a, pa, attrs);
                a += PAGE;
            }
        }
    }

    /** The extent mapping {@code ipa}, or null. */
    public Extent extentAt(long ipa) {
        Map.Entry<Long, Extent> f = extents.floorEntry(ipa);
        return f != null && f.getValue().contains(ipa) ? f.getValue() : null;
    }

    /** The PA of {@code ipa}, or -1 if unmapped. */
    public long translate(long ipa) {
        Extent e = extentAt(ipa);
        return e == null ? -1 : e.pa() + (ipa - e.ipa());
    }

    /** True if some IPA of this p2m maps to {@code pa}. */
    public boolean ownsPa(long pa) {
        for (Extent e : extents.values()) {
            if (e.holdsPa(pa)) {
                return true;
            }
        }
        return false;
    }

    public List<Extent> extents() {
        return List.copyOf(extents.values());
    }

    /** The domain's memory as its CPUs see it: IPAs through this p2m (aborts where unmapped). */
    public Memory memory() {
        return view;
    }

    /** Guest memory view: an access aborts unless every byte is mapped (and writable). */
    private final class GuestView implements Memory {
        private boolean covered(long addr, int len, boolean write) {
            if (addr < 0 || addr + len < addr) {
                return false;
            }
            long a = addr;
            long end = addr + len;
            while (a < end) {
                Extent e = extentAt(a);
                if (e == null || (write && !e.writable())) {
                    return false;
                }
                a = e.end();
            }
            return true;
        }

        private boolean transfer(long addr, byte[] b, int off, int len, boolean write) {
            if (!covered(addr, len, write)) {
                return false;
            }
            long a = addr;
            int o = off;
            long end = addr + len;
            while (a < end) {
                Extent e = extentAt(a);
                int n = (int) (Math.min(end, e.end()) - a);
                long pa = e.pa() + (a - e.ipa());
                if (!(write ? phys.write(pa, b, o, n) : phys.read(pa, b, o, n))) {
                    return false;
                }
                a += n;
                o += n;
            }
            return true;
        }

        @Override
        public boolean read(long addr, byte[] dst, int off, int len) {
            return transfer(addr, dst, off, len, false);
        }

        @Override
        public boolean write(long addr, byte[] src, int off, int len) {
            return transfer(addr, src, off, len, true);
        }
    }
}
