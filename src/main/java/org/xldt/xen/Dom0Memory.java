package org.xldt.xen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * dom0's memory layout as xldt models it: where dom0's RAM goes ({@code allocate_memory_11}),
 * Xen's grant-table region and the extended regions of the hypervisor node. Xen computes these
 * at boot from its heap and the hardware; xldt uses these deterministic rules (README "dom0
 * device tree" lists them):
 * <ul>
 * <li>Xen's image is taken to sit at the lowest 2 MiB boundary of host RAM clear of
 *     {@code /memreserve/} and {@code /reserved-memory} and to occupy {@link #XEN_IMAGE_SIZE}; the
 *     grant-table region starts there ({@code __pa(_stext)})
 *     and is {@code min(gnttab_max_frames, 512)} pages.</li>
 * <li>Free RAM = host RAM minus {@code /memreserve/}, {@code /reserved-memory} and Xen's image.</li>
 * <li>dom0's RAM follows allocate_memory_11: bank 0 is the largest power-of-two block (at least
 *     min(dom0_mem, 128 MiB)) in the smallest 2^n address window below 4 GiB that holds one,
 *     further blocks are the largest that fit, below 4 GiB first; a block is naturally aligned and
 *     Xen's buddy allocator is modelled as taking the highest free one in the window.</li>
 * <li>Extended regions: with an IOMMU, the holes of [0, 2^{@link #P2M_IPA_BITS}) left by every
 *     host node's reg and every PCI window (find_memory_holes); without, host RAM minus dom0's
 *     RAM, reserved memory and the grant table (find_unallocated_memory); then 2 MiB aligned,
 *     at least 64 MiB each (Xen 4.21's exact sizes).</li>
 * </ul>
 */
public final class Dom0Memory {
    private Dom0Memory() {
    }

    public static final long MIB = 1L << 20;
    /** The modelled size of Xen's image (text, data, bss) at the start of RAM. */
    public static final long XEN_IMAGE_SIZE = 2 * MIB;
    /** Pages of Xen's text, which bound the grant-table region. */
    public static final long XEN_TEXT_PAGES = 512;
    public static final long PAGE = 4096;
    /** Xen's p2m_ipa_bits is read from the CPU and SMMU at boot; xldt assumes 40 bits (1 TiB). */
    public static final int P2M_IPA_BITS = 40;
    /** Xen's NR_MEM_BANKS. */
    public static final int NR_MEM_BANKS = 256;
    /** allocate_memory_11's limits. */
    public static final long BANK0_MIN = 128 * MIB;
    public static final long MIN_BLOCK = 4 * MIB;
    public static final long LOWMEM_LIMIT = 1L << 32;
    /** Extended regions: alignment and minimum size. */
    public static final long EXT_ALIGN = 2 * MIB;
    public static final long EXT_MIN = 64 * MIB;

    /**
     * The layout.
     *
     * @param ram        dom0's RAM banks, ascending
     * @param gnttab     the grant-table region (hypervisor reg 0)
     * @param extRegions the extended regions
     * @param reserved   the second memory node's banks (host /reserved-memory regions), DT order
     * @param iommuPath  whether the extended regions came from the IOMMU (memory holes) search
     */
    public record Layout(List<Region> ram, Region gnttab, List<Region> extRegions, List<Region> reserved, boolean iommuPath,
            List<String> warnings) {
    }

    /** Computes the layout; an impossible {@code dom0_mem} is a {@link BadInputException} located at {@code cmdlineSource}. */
    public static Layout compute(XenHost host, Dom0Settings s, boolean iommuEnabled, String cmdlineSource) {
        List<String> warnings = new ArrayList<>();
        List<Region> ram = host.ram();
        if (ram.isEmpty()) {
            throw new BadInputException(host.file(), "no RAM: no enabled device_type = \"memory\" node with reg "
                    + "(a boot loader fills it in; Xen cannot start without)");
        }
        List<Region> taken = new ArrayList<>(host.memreserve());
        taken.addAll(host.reservedMemory());
        long xenBase = xenBase(ram, taken);
        Region xen = new Region(xenBase, XEN_IMAGE_SIZE);
        Region gnttab = new Region(xenBase, Math.min(s.gnttabMaxFrames(), XEN_TEXT_PAGES) * PAGE);

        Ranges free = new Ranges();
        for (Region r : ram) free.add(r.base(), r.end());
        for (Region r : host.memreserve()) free.remove(r.base(), r.end());
        List<Region> reserved = host.reservedMemory();
        for (Region r : reserved) free.remove(r.base(), r.end());
        free.remove(xen.base(), xen.end());

        if (!s.dom0MemSet()) {
            warnings.add(cmdlineSource + ": warning: dom0_mem not set: Xen's default " + (s.dom0MemBytes() >> 20) + " MiB is used");
        }
        long total = 0;
        for (Ranges.R r : free.list) total += r.end - r.start;
        List<Region> banks = allocate11(free, s.dom0MemBytes());
        if (banks == null) {
            throw new BadInputException(cmdlineSource, "dom0_mem=" + mib(s.dom0MemBytes()) + (s.dom0MemSet() ? "" : " (Xen's default)")
                    + " cannot be allocated: the host has " + mib(total) + " of free RAM"
                    + " (Xen would panic); give a smaller dom0_mem");
        }

        List<Region> ext = List.of();
        if (s.extRegions()) {
            if (iommuEnabled) {
                ext = memoryHoles(host, warnings);
            } else {
                Ranges r = new Ranges();
                for (Region b : ram) r.add(b.base(), b.end());
                for (Region b : banks) r.remove(b.base(), b.end());
                for (Region b : reserved) r.remove(b.base(), b.end());
                for (Region b : host.memreserve()) r.remove(b.base(), b.end());
                r.remove(gnttab.base(), gnttab.end());
                ext = extRegions(r);
            }
        }
        return new Layout(banks, gnttab, ext, reserved, iommuEnabled, warnings);
    }

    private static String mib(long bytes) {
        return bytes % MIB == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    // ---- allocate_memory_11 --------------------------------------------------------------------------

    /** Returns dom0's banks, or null when the memory cannot be found. */
    static List<Region> allocate11(Ranges free, long total) {
        List<Region> banks = new ArrayList<>();
        long remaining = total;
        long minLow = ceilPow2(Math.min(total, BANK0_MIN));
        boolean lowmem = true;
        Region bank0 = null;
        for (long size = floorPow2(remaining); size >= minLow && bank0 == null; size >>= 1) {
            for (long window = size; window <= LOWMEM_LIMIT && bank0 == null; window <<= 1) {
                bank0 = free.takeHighest(size, window);
            }
        }
        if (bank0 == null) lowmem = false;
        else {
            banks.add(bank0);
            remaining -= bank0.size();
        }
        long size = floorPow2(remaining);
        while (remaining > 0 && banks.size() < NR_MEM_BANKS) {
            Region got = free.takeHighest(size, lowmem ? LOWMEM_LIMIT : Long.MAX_VALUE);
            if (got == null) {
                size >>= 1;
                if (lowmem && size < minLow) {
                    size = floorPow2(remaining);
                    lowmem = false;
                    continue;
                }
                if (size >= MIN_BLOCK) continue;
                break;
            }
            if (!banks.isEmpty() && got.size() < BANK0_MIN && got.end() < banks.get(0).base()) {
                free.add(got.base(), got.end());
                if (lowmem) {
                    lowmem = false;
                    size = floorPow2(remaining);
                    continue;
                }
                break;
            }
            insert(banks, got);
            remaining -= got.size();
            size = floorPow2(remaining);
        }
        return remaining == 0 ? banks : null;
    }

    /** insert_11_bank: merge with a neighbour or insert in address order. */
    private static void insert(List<Region> banks, Region r) {
        for (int i = 0; i < banks.size(); i++) {
            Region b = banks.get(i);
            if (b.base() == r.end()) {
                banks.set(i, new Region(r.base(), b.size() + r.size()));
                return;
            }
            if (r.base() == b.end()) {
                banks.set(i, new Region(b.base(), b.size() + r.size()));
                return;
            }
            if (r.end() < b.base()) {
                banks.add(i, r);
                return;
            }
        }
        banks.add(r);
    }

    static long floorPow2(long v) {
        return v <= 0 ? 0 : Long.highestOneBit(v);
    }

    static long ceilPow2(long v) {
        long f = floorPow2(v);
        return f == v ? v : f << 1;
    }

    /**
     * Where Xen's image is taken to sit: the lowest 2 MiB boundary of host RAM whose
     * {@link #XEN_IMAGE_SIZE} touch none of {@code taken}, the {@code /memreserve/} and {@code /reserved-memory} regions (a boot
     * loader does not load Xen into memory the firmware keeps, and Xen maps reserved memory to dom0);
     * the first bank's first boundary when there is no such place.
     */
    static long xenBase(List<Region> ram, List<Region> taken) {
        List<Region> banks = ram.stream().sorted(Comparator.comparingLong(Region::base)).toList();
        for (Region b : banks) {
            long at = alignUp(b.base(), EXT_ALIGN);
            while (at + XEN_IMAGE_SIZE <= b.end() && at >= b.base()) {
                long a = at;
                Region hit = taken.stream().filter(t -> t.base() < a + XEN_IMAGE_SIZE && a < t.end()).findFirst().orElse(null);
                if (hit == null) return at;
                at = alignUp(hit.end(), EXT_ALIGN);
            }
        }
        return alignUp(banks.get(0).base(), EXT_ALIGN);
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    // ---- extended regions -----------------------------------------------------------------------------

    /** find_memory_holes: [0, 2^P2M_IPA_BITS) minus every host reg (page-aligned outward) and PCI windows. */
    private static List<Region> memoryHoles(XenHost host, List<String> warnings) {
        Ranges holes = new Ranges();
        holes.add(0, 1L << P2M_IPA_BITS);
        List<Node> untranslatable = new ArrayList<>();
        DeviceTree.walk(host.tree().root(), n -> {
            if (n.parent() == null || !n.has("reg")) return;
            // dt_number_of_address: no addresses without size cells; PCI children use assigned-addresses
            if (DtAddresses.sizeCells(n) == 0 || DtAddresses.addressCells(n) == 0) return;
            if ("pci".equals(n.parent().string("device_type"))) return;
            var regs = DtAddresses.cpuReg(n);
            if (regs.isEmpty()) {
                untranslatable.add(n);
                return;
            }
            for (Region r : regs.get()) {
                holes.remove(r.base() & -PAGE, alignUp(r.end(), PAGE));
            }
            if ("pci".equals(n.string("device_type"))) {
                for (Region w : DtAddresses.pciWindows(n)) holes.remove(w.base() & -PAGE, alignUp(w.end(), PAGE));
            }
        });
        if (!untranslatable.isEmpty()) {
            warnings.add(host.where(untranslatable.get(0)) + ": warning: reg cannot be translated to a CPU address: Xen's "
                    + "search for extended regions fails, the hypervisor node lists none");
            return List.of();
        }
        return extRegions(holes);
    }

    /** Keeps each range's 2 MiB-aligned part when it is at least 64 MiB, ascending, at most NR_MEM_BANKS. */
    private static List<Region> extRegions(Ranges r) {
        List<Region> out = new ArrayList<>();
        for (Ranges.R x : r.list) {
            long start = alignUp(x.start, EXT_ALIGN);
            if (Long.compareUnsigned(start, x.end) >= 0) continue;
            long size = (x.end - start) & -EXT_ALIGN;
            if (size >= EXT_MIN && out.size() < NR_MEM_BANKS) out.add(new Region(start, size));
        }
        return out;
    }

    /** Disjoint sorted half-open ranges [start, end). */
    static final class Ranges {
        record R(long start, long end) {
        }

        final List<R> list = new ArrayList<>();

        void add(long start, long end) {
            if (end <= start) return;
            List<R> out = new ArrayList<>();
            for (R r : list) {
                if (r.end < start || r.start > end) out.add(r);
                else {
                    start = Math.min(start, r.start);
                    end = Math.max(end, r.end);
                }
            }
            out.add(new R(start, end));
            out.sort(Comparator.comparingLong(R::start));
            list.clear();
            list.addAll(out);
        }

        void remove(long start, long end) {
            if (end <= start) return;
            List<R> out = new ArrayList<>();
            for (R r : list) {
                if (r.end <= start || r.start >= end) {
                    out.add(r);
                    continue;
                }
                if (r.start < start) out.add(new R(r.start, start));
                if (r.end > end) out.add(new R(end, r.end));
            }
            list.clear();
            list.addAll(out);
        }

        /** The highest naturally aligned free block of {@code size} ending at or below {@code limit}, removed; or null. */
        Region takeHighest(long size, long limit) {
            long best = -1;
            for (R r : list) {
                long top = Math.min(r.end, limit);
                if (top - size < r.start) continue;
                long a = (top - size) & -size;
                if (a >= r.start && a > best) best = a;
            }
            if (best < 0) return null;
            remove(best, best + size);
            return new Region(best, size);
        }
    }
}
