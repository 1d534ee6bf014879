package org.xldt.xen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.DomainConfig.IomemRange;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.LibxlNodes.GuestArch;

/**
 * Where libxl and libxenguest put things in an Arm guest's memory: the RAM banks
 * ({@code xg_dom_arm.c} meminit), the kernel segment ({@code xg_dom_armzimageloader.c}), the
 * boot modules (ramdisk, then the DTB) and the extended regions of the hypervisor node
 * ({@code finalize_hypervisor_node}, Xen 4.21 with iomem ranges carved out). Pure functions of
 * their inputs; the builder turns failures into located errors.
 */
public final class LibxlLayout {
    private LibxlLayout() {
    }

    public static final long PAGE = 4096;
    public static final long MIB = 1L << 20;
    /** Extended regions are 2 MiB aligned and at least 64 MiB (EXT_REGION_MIN_SIZE). */
    public static final long EXT_REGION_ALIGN = 2 * MIB;
    public static final long EXT_REGION_MIN_SIZE = 64 * MIB;
    /** Xen 4.21: at most this many extended regions (MAX_NR_EXT_REGIONS). */
    public static final int MAX_EXT_REGIONS = 256;
    /** Boot modules go at RAM base + 128 MiB when they fit. */
    public static final long MODULES_OFFSET = 128 * MIB;

    public static long roundUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    /** The RAM banks meminit populates for {@code ramBytes}: bank 0 up to 3 GiB, the rest in bank 1. */
    public static List<Region> banks(long ramBytes) {
        if (ramBytes <= 0) throw new IllegalArgumentException("ram size is 0");
        if (ramBytes > GuestMemoryMap.RAM_MAX) throw new IllegalArgumentException("ram size is too large for guest address space");
        List<Region> out = new ArrayList<>();
        long left = ramBytes;
        for (Region bank : GuestMemoryMap.RAM_BANKS) {
            long size = Math.min(left, bank.size());
            out.add(new Region(bank.base(), size));
            left -= size;
        }
        return out;
    }

    /**
     * The kernel segment libxenguest's zImage loaders compute.
     *
     * @param arch   from the image's magic
     * @param vstart guest address of the image
     * @param vend   one past its end
     * @param note   how it was found out, for reports
     */
    public record Kernel(GuestArch arch, long vstart, long vend, String note) {
    }

    /** libxenguest loads an arm32 zImage this far into RAM. */
    private static final long ZIMAGE32_LOAD_OFFSET = 0x8000;

    /**
     * The kernel segment of an image (its first bytes and its size): an arm64 Image (text_offset
     * from the header, size of the file) or an arm32 zImage (at +0x8000, size from the header's
     * end field); empty for anything else (libxenguest finds no loader).
     */
    public static Optional<Kernel> probeKernel(byte[] head, long fileSize) {
        KernelImage image = KernelImage.ofHeader(head, fileSize);
        long ram = GuestMemoryMap.RAM0.base();
        switch (image.kind()) {
            case ARM32_ZIMAGE -> {
                long size = image.headerSize();
                if (size <= 0 || size > fileSize) size = fileSize;
                return Optional.of(new Kernel(GuestArch.ARMV7L, ram + ZIMAGE32_LOAD_OFFSET, ram + ZIMAGE32_LOAD_OFFSET + size, "arm32 zImage"));
            }
            case ARM64_IMAGE -> {
                long textOffset = image.textOffset();
                if (textOffset < 0 || textOffset > GuestMemoryMap.RAM0.size()) return Optional.empty();
                return Optional.of(new Kernel(GuestArch.AARCH64, ram + textOffset, ram + textOffset + fileSize, "arm64 Image"));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** What is assumed when the kernel is not at hand: an arm64 Image of {@code size} bytes at the RAM base. */
    public static Kernel assumedKernel(long size, String why) {
        long ram = GuestMemoryMap.RAM0.base();
        return new Kernel(GuestArch.AARCH64, ram, ram + size, why);
    }

    /**
     * Where meminit puts the boot modules.
     *
     * @param ramdisk the ramdisk's segment (size rounded up to a page), or null without one
     * @param dtb     the DTB's segment (size: libxl's blob rounded up to a page)
     */
    public record Modules(Region ramdisk, Region dtb) {
    }

    /**
     * meminit's placement: ramdisk then DTB at RAM + 128 MiB when they fit there above the
     * kernel, else at the end of bank 0, else just below the kernel.
     *
     * @throws IllegalArgumentException with libxenguest's reason when nothing fits
     */
    public static Modules placeModules(List<Region> banks, Kernel kernel, long dtbBytes, long ramdiskBytes, boolean hasRamdisk) {
        long rambase = GuestMemoryMap.RAM0.base();
        long kernbase = kernel.vstart();
        long kernend = roundUp(kernel.vend(), 2 * MIB);
        long kernsize = kernend - kernbase;
        long dtbSize = roundUp(dtbBytes, PAGE);
        long ramdiskSize = hasRamdisk ? roundUp(ramdiskBytes, PAGE) : 0;
        long modsize = dtbSize + ramdiskSize;
        long ram128mb = rambase + MODULES_OFFSET;
        if (modsize + kernsize > GuestMemoryMap.RAM0.size()) throw new IllegalArgumentException("Not enough memory for the kernel+dtb+initrd");
        long bank0end = banks.get(0).end();
        long modbase;
        if (bank0end >= ram128mb + modsize && kernend < ram128mb) modbase = ram128mb;
        else if (bank0end - modsize > kernend) modbase = bank0end - modsize;
        else if (kernbase - rambase > modsize) modbase = kernbase - modsize;
        else throw new IllegalArgumentException("no room for the boot modules (ramdisk and DTB) around the kernel in "
                + (banks.get(0).size() >> 20) + " MiB of bank 0");
        Region ramdisk = hasRamdisk ? new Region(modbase, ramdiskSize) : null;
        return new Modules(ramdisk, new Region(modbase + ramdiskSize, dtbSize));
    }

    /**
     * finalize_hypervisor_node's extended regions (Xen 4.21): for each bank, the space from the
     * 2 MiB-aligned end of the populated RAM to the end of the bank or of the guest physical
     * address space, minus the {@code iomem} ranges (by guest frame), in pieces of at least 64 MiB,
     * at most 256.
     */
    public static List<Region> extendedRegions(List<Region> banks, int gpaddrBits, List<IomemRange> iomem) {
        if (gpaddrBits < 1 || gpaddrBits > 64) throw new IllegalArgumentException("gpaddr_bits " + gpaddrBits);
        List<IomemRange> sorted = new ArrayList<>(iomem);
        sorted.sort(Comparator.comparing(IomemRange::gfn, Long::compareUnsigned));
        long limit = gpaddrBits == 64 ? -1L : (1L << gpaddrBits) - 1;
        List<Region> out = new ArrayList<>();
        for (int i = 0; i < GuestMemoryMap.RAM_BANKS.size() && out.size() < MAX_EXT_REGIONS; i++) {
            Region bank = GuestMemoryMap.RAM_BANKS.get(i);
            long start = bank.base() + roundUp(banks.get(i).size(), EXT_REGION_ALIGN);
            long end = unsignedMin(limit, bank.base() + bank.size() - 1); // inclusive
            if (Long.compareUnsigned(end, start) < 0 || end - start + 1 < EXT_REGION_MIN_SIZE) continue;
            for (IomemRange io : sorted) {
                if (out.size() >= MAX_EXT_REGIONS) break;
                long ioStart = io.gfn() << 12;
                long ioEnd = ((io.gfn() + io.pages()) << 12) - 1;
                if (Long.compareUnsigned(ioEnd, start) < 0 || Long.compareUnsigned(ioStart, end) > 0) continue;
                if (Long.compareUnsigned(ioStart, start) > 0 && ioStart - start >= EXT_REGION_MIN_SIZE) {
                    out.add(new Region(start, ioStart - start));
                }
                start = ioEnd + 1;
                if (Long.compareUnsigned(start, end) > 0) break;
            }
            if (Long.compareUnsigned(end, start) >= 0 && out.size() < MAX_EXT_REGIONS && end - start + 1 >= EXT_REGION_MIN_SIZE) {
                out.add(new Region(start, end - start + 1));
            }
        }
        return out;
    }

    private static long unsignedMin(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /**
     * The {@code totalsize} libfdt's sequential-write mode gives a tree (the size libxl hands to
     * libxenguest before finalise): a 64-byte header and empty reservation map, the structure
     * block (the same tokens as dtc's), and a strings block in which a name is stored unless it is
     * the tail of a name stored before it.
     *
     * @param structSize the structure block's size (dtc writes the same structure block)
     */
    public static long libfdtTotalSize(DeviceTree tree, long structSize) {
        List<String> stored = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long strings = 0;
        List<Node> stack = new ArrayList<>();
        stack.add(tree.root());
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            for (Property p : n.properties()) {
                String name = p.name();
                if (!seen.add(name)) continue;
                boolean shared = false;
                for (String s : stored) {
                    if (s.endsWith(name)) {
                        shared = true;
                        break;
                    }
                }
                if (!shared) {
                    stored.add(name);
                    strings += name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length + 1;
                }
            }
            List<Node> kids = n.children();
            for (int i = kids.size() - 1; i >= 0; i--) stack.add(kids.get(i));
        }
        return 64 + structSize + strings;
    }
}
