package org.xldt.xen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The device tree Xen builds at boot for a dom0less domU ({@code prepare_dtb_domU}, upstream
 * Xen at the vSMMUv3 series' base, 2026), so that the guest's view can be reviewed before boot:
 *
 * <ol>
 * <li>root {@code #address-cells = <2>}, {@code #size-cells = <2>} (no model, compatible or
 * interrupt-parent);</li>
 * <li>the partial device tree: its root {@code /passthrough} and {@code /aliases} in its own order,
 * without {@code xen,reg}, {@code xen,path} and {@code xen,force-assign-without-iommu} (a root
 * {@code /gic} node only lends its phandle to the GIC);</li>
 * <li>{@code chosen} (bootargs, initrd range), {@code cpus}, {@code memory@...};</li>
 * <li>the GIC, {@code timer}, and {@code hypervisor} when {@code xen,enhanced} is on;</li>
 * <li>the arch nodes: the series' {@code iommu@4040000} when the domain has a vSMMUv3, {@code psci},
 * and {@code sbsa-uart@22000000} with vpl011.</li>
 * </ol>
 *
 * Run-time inputs are parameters: the IPA size (for the extended regions), the kernel and
 * ramdisk module sizes. The DTB and initrd addresses are Xen's {@code place_modules}: DTB at RAM
 * bank 0 + 128 MiB when the kernel ends below it, else at the end of bank 0 (or below the kernel);
 * the initrd after the DTB rounded up to 2 MiB. Direct-mapped domains are not modelled (their
 * GIC, UART and extended regions follow the host).
 */
public final class DomUTreeBuilder {
    /** The IPA size Xen's p2m uses when no better value is known (40 bits, as on Cortex-A55/A76 class cores). */
    public static final int DEFAULT_P2M_IPA_BITS = 40;
    /** Xen's smallest extended region. */
    public static final long EXT_REGION_MIN = 64L << 20;
    static final long MB2 = 2L << 20;
    /** Xen's DT_ROOT_NODE_ADDR_CELLS_DEFAULT / _SIZE_CELLS_DEFAULT, which it reads a partial tree with. */
    static final int ROOT_ADDRESS_CELLS_DEFAULT = 2;
    static final int ROOT_SIZE_CELLS_DEFAULT = 1;
    static final long MB128 = 128L << 20;

    private DomUTreeBuilder() {
    }

    /**
     * The kernel module as Xen probes it.
     *
     * @param image      its headers
     * @param moduleSize the module's {@code reg} size
     */
    public record Kernel(KernelImage image, long moduleSize) {
        /** The length Xen loads: the module size, or the decompressed length of a gzip kernel. */
        public long length() {
            return image.gzip() ? image.length() : moduleSize;
        }
    }

    /** The domain's RAM banks: bank 0 in RAM0 up to 3 GiB, the rest in RAM1 (static memory: the same layout). */
    public static List<Region> ramBanks(Dom0lessDomain d) {
        long bytes = d.memoryKiB() << 10;
        List<Region> out = new ArrayList<>();
        long b0 = Math.min(bytes, GuestMemoryMap.RAM0.size());
        if (b0 > 0) out.add(new Region(GuestMemoryMap.RAM0.base(), b0));
        if (bytes > b0) out.add(new Region(GuestMemoryMap.RAM1.base(), bytes - b0));
        return out;
    }

    /**
     * What Xen places in a (not direct-mapped) domain's address space, by name: passed-through
     * registers must not land there.
     */
    public static Map<String, Region> guestLayout(Dom0lessDomain d, XenNodes.GicKind gic) {
        Map<String, Region> out = new LinkedHashMap<>();
        if (d.directMap()) {
            int i = 0;
            for (Dom0lessDomain.StaticBank b : d.staticMem()) out.put("RAM (static bank " + i++ + ")", new Region(b.address(), b.size()));
            return out;
        }
        if (gic == XenNodes.GicKind.V2) {
            out.put("GIC distributor", range(GuestMemoryMap.GICD_V2));
            out.put("GIC CPU interface", range(GuestMemoryMap.GICC_V2));
        } else {
            out.put("GIC distributor", range(GuestMemoryMap.GICD_V3));
            out.put("GIC redistributors", range(GuestMemoryMap.GICR0_V3));
        }
        if (d.hasVsmmu()) out.put("vSMMUv3", range(GuestMemoryMap.VSMMUV3));
        if (d.vpl011()) out.put("emulated PL011", range(GuestMemoryMap.PL011));
        if (d.enhanced().makesHypervisorNode()) {
            out.put("grant table", range(GuestMemoryMap.GNTTAB));
            out.put("magic pages", range(GuestMemoryMap.MAGIC));
        }
        int i = 0;
        for (Region r : ramBanks(d)) out.put("RAM bank " + i++, range(r));
        return out;
    }

    private static Region range(Region r) {
        return r;
    }

    /**
     * Builds the domU's tree.
     *
     * @param partial     the partial device tree given to the domain, if any
     * @param ramdiskSize the ramdisk module's size (0: none)
     * @throws BadInputException where Xen would panic (not enough memory in bank 0, a GICv2 with
     *                           more than 8 vCPUs), located in the domU file
     */
    public static DeviceTree build(XenHost host, Dom0lessDomain d, Optional<DeviceTree> partial, Kernel kernel, long ramdiskSize,
            int ipaBits) {
        if (d.directMap()) throw new IllegalArgumentException("direct-mapped domains are not modelled");
        XenNodes.GicKind gic = host.gicKind();
        if (gic == null) throw new BadInputException(d.at("name").toString(), "the host device tree has no GIC Xen drives");
        int vcpus = d.config().vcpus().max();
        if (gic == XenNodes.GicKind.V2 && vcpus > XenNodes.GICV2_MAX_VCPUS) {
            throw new BadInputException(d.at("vcpus").toString(), d.name() + " has " + vcpus + " vCPUs but the host GIC is a GICv2,"
                    + " whose emulation serves at most " + XenNodes.GICV2_MAX_VCPUS);
        }
        if (d.config().gicVersion() != DomainConfig.GicVersion.NATIVE
                && (d.config().gicVersion() == DomainConfig.GicVersion.V3) != (gic == XenNodes.GicKind.V3)) {
            throw new BadInputException(d.at("gic_version").toString(), "gic_version = \"" + d.config().gicVersion().xlName()
                    + "\" but the host GIC is a " + gic + ": a dom0less domain gets the host's GIC version");
        }
        boolean arm64 = kernel.image().is64Bit();

        int gicPhandle = GuestMemoryMap.PHANDLE_GIC;
        Node root = new Node("");
        root.append(Property.cells("#address-cells", GuestMemoryMap.ROOT_ADDRESS_CELLS));
        root.append(Property.cells("#size-cells", GuestMemoryMap.ROOT_SIZE_CELLS));
        List<Region> xenReg = new ArrayList<>();
        if (partial.isPresent()) {
            for (Node top : partial.get().root().children()) {
                String name = top.name();
                if (name.equalsIgnoreCase("gic")) {
                    if (top.phandle() != 0) gicPhandle = top.phandle();
                } else if (name.equalsIgnoreCase("aliases")) {
                    root.add(copyPartial(top, false, 2, 1, xenReg));
                } else if (name.equalsIgnoreCase("passthrough")) {
                    root.add(copyPartial(top, true, ROOT_ADDRESS_CELLS_DEFAULT, ROOT_SIZE_CELLS_DEFAULT, xenReg));
                }
            }
        }
        List<Region> banks = ramBanks(d);
        // chosen first with placeholders; the initrd address depends on the blob's size
        Optional<Region> initrdPlaceholder = ramdiskSize > 0 ? Optional.of(new Region(0, ramdiskSize)) : Optional.empty();
        Node chosen = root.add(XenNodes.domUChosen(d.config().cmdline(), initrdPlaceholder));
        root.add(XenNodes.cpus(host.firstCpu().property("compatible").value(), host.cpuClock(), vcpus, arm64));
        root.add(XenNodes.memory(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS, banks));
        root.add(XenNodes.domUGic(gic, gicPhandle));
        root.add(XenNodes.timer(arm64, GuestMemoryMap.TIMER_PHYS_S_PPI, GuestMemoryMap.TIMER_PHYS_NS_PPI, GuestMemoryMap.TIMER_VIRT_PPI,
                gicPhandle, host.timerClock()));
        if (d.enhanced().makesHypervisorNode()) {
            List<Region> ext = arm64 ? extendedRegions(banks, xenReg, ipaBits) : List.of();
            root.add(XenNodes.hypervisor(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS, GuestMemoryMap.GNTTAB, ext,
                    GuestMemoryMap.EVTCHN_PPI, gicPhandle));
        }
        if (d.hasVsmmu()) root.add(XenNodes.guestVsmmuv3(gicPhandle));
        root.add(XenNodes.psci());
        if (d.vpl011()) root.add(XenNodes.vpl011(gicPhandle));
        DeviceTree tree = new DeviceTree(root);

        if (ramdiskSize > 0) {
            long dtbSize = DtbWriter.write(tree).length;
            long initrd = placeModules(d, banks.get(0), kernel, dtbSize, ramdiskSize);
            Node filled = XenNodes.domUChosen(d.config().cmdline(), Optional.of(new Region(initrd, ramdiskSize)));
            for (Property p : filled.properties()) chosen.set(p);
        } else {
            placeModules(d, banks.get(0), kernel, DtbWriter.write(tree).length, 0);
        }
        return tree;
    }

    /** Xen's kernel_zimage_place + place_modules; returns the initrd's address. */
    static long placeModules(Dom0lessDomain d, Region bank0, Kernel kernel, long dtbSize, long ramdiskSize) {
        long rambase = bank0.base();
        long ramsize = bank0.size();
        long ramend = rambase + ramsize;
        long len = kernel.length();
        long load;
        if (kernel.image().is64Bit()) {
            load = rambase + kernel.image().textOffset();
        } else if (kernel.image().start() == 0) {
            long loadEnd = Math.min(rambase + MB128, ramend);
            load = (loadEnd - len) & -MB2;
        } else {
            load = kernel.image().start();
        }
        long kernend = load + len;
        long initrdLen = roundUp(ramdiskSize);
        long dtbLen = roundUp(dtbSize);
        long modsize = initrdLen + dtbLen;
        long kernsize = roundUp(kernend) - load;
        long ram128 = rambase + MB128;
        if (modsize + kernsize > ramsize) {
            throw new BadInputException(d.at("memory").toString(), "Xen panics building " + d.name()
                    + ": not enough memory in the first bank for the kernel+dtb+initrd (" + (ramsize >> 20) + " MiB for "
                    + ((modsize + kernsize) >> 20) + " MiB)");
        }
        long modbase;
        if (ramend >= ram128 + modsize && kernend < ram128) modbase = ram128;
        else if (ramend - modsize > roundUp(kernend)) modbase = ramend - modsize;
        else if (load - rambase > modsize) modbase = load - modsize;
        else {
            throw new BadInputException(d.at("memory").toString(), "Xen panics building " + d.name()
                    + ": unable to find a suitable location for dtb+initrd");
        }
        return modbase + dtbLen;
    }

    /**
     * find_domU_holes: per RAM window, from the end of the domain's bank (rounded up to 2 MiB) to
     * the window's end or the IPA limit, if at least 64 MiB; minus the {@code xen,reg} guest
     * ranges; then each hole as {@code add_ext_regions} takes it (start rounded up to 2 MiB, size
     * rounded down to 2 MiB, at least 64 MiB).
     */
    static List<Region> extendedRegions(List<Region> banks, List<Region> xenReg, int ipaBits) {
        List<Region> holes = new ArrayList<>();
        long limit = ipaBits >= 64 ? -1L : (1L << ipaBits) - 1;
        for (int i = 0; i < GuestMemoryMap.RAM_BANKS.size(); i++) {
            Region window = GuestMemoryMap.RAM_BANKS.get(i);
            long used = i < banks.size() ? banks.get(i).size() : 0;
            long start = roundUp(window.base() + used);
            long end = Math.min(limit, window.end() - 1);
            if (Long.compareUnsigned(end, start) > 0 && end - start + 1 >= EXT_REGION_MIN) holes.add(new Region(start, end - start + 1));
        }
        for (Region x : xenReg) holes = subtract(holes, new Region(x.base() & -PassthroughTreeBuilder.PAGE,
                ((x.end() + PassthroughTreeBuilder.PAGE - 1) & -PassthroughTreeBuilder.PAGE) - (x.base() & -PassthroughTreeBuilder.PAGE)));
        holes.sort(Comparator.comparingLong(Region::base));
        List<Region> out = new ArrayList<>();
        for (Region h : holes) {
            long start = roundUp(h.base());
            if (start >= h.end()) continue;
            long size = (h.end() - start) & -MB2;
            if (size >= EXT_REGION_MIN) out.add(new Region(start, size));
        }
        return out;
    }

    private static List<Region> subtract(List<Region> from, Region cut) {
        List<Region> out = new ArrayList<>();
        for (Region r : from) {
            if (!r.overlaps(cut)) {
                out.add(r);
                continue;
            }
            if (r.base() < cut.base()) out.add(new Region(r.base(), cut.base() - r.base()));
            if (cut.end() < r.end()) out.add(new Region(cut.end(), r.end() - cut.end()));
        }
        return out;
    }

    /**
     * A node of the partial tree as Xen copies it: properties in order except, under
     * {@code /passthrough}, {@code xen,reg}/{@code xen,path}/{@code xen,force-assign-without-iommu};
     * the guest ranges of every {@code xen,reg} go to {@code xenReg}.
     */
    private static Node copyPartial(Node src, boolean passthrough, int addressCells, int sizeCells, List<Region> xenReg) {
        Node n = new Node(src.name());
        for (Property p : src.properties()) {
            if (passthrough && (p.name().equals("xen,reg") || p.name().equals("xen,path") || p.name().equals("xen,force-assign-without-iommu"))) {
                if (p.name().equals("xen,reg")) xenRegRanges(p, addressCells, sizeCells, xenReg);
                continue;
            }
            n.append(p);
        }
        int ac = (int) src.u32("#address-cells", ROOT_ADDRESS_CELLS_DEFAULT);
        int sc = (int) src.u32("#size-cells", ROOT_SIZE_CELLS_DEFAULT);
        for (Node c : src.children()) n.add(copyPartial(c, passthrough, ac, sc, xenReg));
        return n;
    }

    private static void xenRegRanges(Property p, int ac, int sc, List<Region> out) {
        int entry = 2 * ac + sc;
        if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || p.cellCount() % entry != 0) return;
        for (int i = 0; i < p.cellCount(); i += entry) {
            long size = p.cellsAsLong(i + ac, sc);
            long guest = p.cellsAsLong(i + ac + sc, ac);
            out.add(new Region(guest, size));
        }
    }

    static long roundUp(long v) {
        return (v + MB2 - 1) & -MB2;
    }
}
