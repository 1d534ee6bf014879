package org.xldt.xen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.xldt.BadInputException;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The device-tree nodes Xen itself writes for a domain ({@code make_hypervisor_node},
 * {@code make_psci_node}, {@code make_cpus_node}, {@code make_memory_node},
 * {@code make_timer_node}, the hardware domain's GIC from {@code make_gic_node} and
 * {@code gicv2/gicv3_make_hwdom_dt_node}, a domU's {@code make_chosen_node},
 * {@code make_gicv2_domU_node} / {@code make_gicv3_domU_node} and {@code make_vpl011_uart_node},
 * and the vSMMUv3 series' nodes), with Xen 4.21's
 * names, property order and values. Every input is an explicit parameter, so the dom0 builder
 * and the dom0less domU builder share them as Xen's {@code prepare_dtb_hwdom} and
 * {@code prepare_dtb_domU} share the {@code make_*} helpers.
 *
 * <p>Phandle-bearing properties ({@code interrupt-parent}, {@code phandle}) are written as raw
 * bytes without a type marker, as a DTB read back gives them. Host property values that Xen
 * copies ({@code compatible}, {@code reg}, ...) are copied byte for byte.
 *
 * <p>Errors in a host node that Xen would refuse raise {@link BadInputException} located at the
 * node's path; callers add the file name.
 */
public final class XenNodes {
    private XenNodes() {
    }

    /** The Xen release whose behaviour is reproduced (the hypervisor node's compatible). */
    public static final String XEN_VERSION = "4.21";

    /** GIC interrupt specifier types (first cell). */
    public static final int GIC_SPI = 0;
    public static final int GIC_PPI = 1;
    /** First PPI interrupt ID. */
    public static final int PPI_BASE = 16;
    /** The cpumask Xen writes in every interrupt specifier it makes ("all CPUs"). */
    public static final int CPUMASK_ALL = 0xf;
    /** Bytes of one GICv3 redistributor (RD_base + SGI_base frames): Xen's GICV3_GICR_SIZE. */
    public static final long GICV3_GICR_SIZE = 0x20000;
    /** The largest number of vCPUs a GICv2 vGIC takes. */
    public static final int GICV2_MAX_VCPUS = 8;

    /** Which GIC driver of Xen a host interrupt controller belongs to. */
    public enum GicKind {
        V2, V3;

        /** Compatibles of Xen's GICv2 driver. */
        public static final List<String> V2_COMPATIBLES =
                List.of("arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-400");
        /** Compatibles of Xen's GICv3 driver. */
        public static final List<String> V3_COMPATIBLES = List.of("arm,gic-v3");

        /** The driver matching {@code node}'s compatible, or null. */
        public static GicKind of(Node node) {
            for (String c : node.strings("compatible")) {
                if (V3_COMPATIBLES.contains(c)) return V3;
                if (V2_COMPATIBLES.contains(c)) return V2;
            }
            return null;
        }
    }

    /** A GICv2m frame's SPI range as Xen writes it ({@code arm,msi-base-spi}, {@code arm,msi-num-spis}). */
    public record MsiSpis(long baseSpi, long numSpis) {
    }

    // ---- encoding helpers ------------------------------------------------------------------------

    /** Big-endian cells. */
    public static byte[] u32s(long... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            long c = cells[i];
            b[i * 4] = (byte) (c >>> 24);
            b[i * 4 + 1] = (byte) (c >>> 16);
            b[i * 4 + 2] = (byte) (c >>> 8);
            b[i * 4 + 3] = (byte) c;
        }
        return b;
    }

    /** Xen's {@code set_interrupt}: {@code <type num (cpumask << 8 | trigger)>} for interrupt ID {@code intid}. */
    public static long[] interruptSpec(int intid, int cpumask, int trigger) {
        boolean ppi = intid < GuestMemoryMap.SPI_BASE;
        return new long[] {ppi ? GIC_PPI : GIC_SPI, intid - (ppi ? PPI_BASE : GuestMemoryMap.SPI_BASE),
            ((long) cpumask << 8) | trigger};
    }

    /** {@code interrupts} made of one specifier per interrupt ID, all with the same cpumask and trigger. */
    public static Property interrupts(int cpumask, int trigger, int... intids) {
        long[] all = new long[intids.length * 3];
        for (int i = 0; i < intids.length; i++) System.arraycopy(interruptSpec(intids[i], cpumask, trigger), 0, all, i * 3, 3);
        return Property.cells("interrupts", all);
    }

    /** A property holding one phandle, without a type marker. */
    public static Property phandleProperty(String name, int phandle) {
        return new Property(name, u32s(phandle & 0xffffffffL));
    }

    /** {@code address}/{@code size} as {@code addressCells}/{@code sizeCells} cells ({@code dt_child_set_range}). */
    public static long[] range(int addressCells, int sizeCells, long address, long size) {
        long[] out = new long[addressCells + sizeCells];
        put(out, 0, addressCells, address);
        put(out, addressCells, sizeCells, size);
        return out;
    }

    private static void put(long[] out, int at, int cells, long value) {
        for (int i = cells - 1; i >= 0; i--) {
            out[at + i] = i >= cells - 2 ? value & 0xffffffffL : 0;
            value >>>= 32;
        }
    }

    /** {@code reg} listing {@code regions} in the given cells. */
    public static Property reg(int addressCells, int sizeCells, List<Region> regions) {
        long[] all = new long[regions.size() * (addressCells + sizeCells)];
        int at = 0;
        for (Region r : regions) {
            long[] one = range(addressCells, sizeCells, r.base(), r.size());
            System.arraycopy(one, 0, all, at, one.length);
            at += one.length;
        }
        return Property.cells("reg", all);
    }

    private static Property nulTerminated(String name, List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
        }
        return new Property(name, out.toByteArray());
    }

    private static Property copy(Node host, String name) {
        Property p = host.property(name);
        return p == null ? null : new Property(name, p.value());
    }

    private static Property required(Node host, String name) {
        Property p = copy(host, name);
        if (p == null) throw new BadInputException(host.path(), "no '" + name + "' property, which Xen needs to build the domain's node");
        return p;
    }

    // ---- hypervisor ----------------------------------------------------------------------------

    /**
     * {@code make_hypervisor_node}: {@code hypervisor} with {@code compatible = "xen,xen-VERSION",
     * "xen,xen"}, {@code reg} = the grant-table region then the extended regions (in the root's
     * cells, which must be 1 or 2 each), the event-channel PPI (level-low, all CPUs) and
     * {@code interrupt-parent}.
     *
     * @param xenVersion  "MAJOR.MINOR", normally {@link #XEN_VERSION}
     * @param evtchnIntid the event-channel PPI's interrupt ID (16..31)
     */
    public static Node hypervisor(String xenVersion, int addressCells, int sizeCells, Region gnttab, List<Region> extRegions,
            int evtchnIntid, int gicPhandle) {
        if ((addressCells != 1 && addressCells != 2) || (sizeCells != 1 && sizeCells != 2)) {
            throw new BadInputException("/", "#address-cells = <" + addressCells + "> and #size-cells = <" + sizeCells
                    + "> in the root: Xen cannot write the hypervisor node (it needs 1 or 2 each)");
        }
        Node n = new Node("hypervisor");
        n.append(nulTerminated("compatible", List.of("xen,xen-" + xenVersion, "xen,xen")));
        List<Region> regs = new ArrayList<>();
        regs.add(gnttab);
        regs.addAll(extRegions);
        n.append(reg(addressCells, sizeCells, regs));
        n.append(interrupts(CPUMASK_ALL, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW, evtchnIntid));
        n.append(phandleProperty("interrupt-parent", gicPhandle));
        return n;
    }

    /** {@link #hypervisor(String, int, int, Region, List, int, int)} for {@link #XEN_VERSION}. */
    public static Node hypervisor(int addressCells, int sizeCells, Region gnttab, List<Region> extRegions, int evtchnIntid,
            int gicPhandle) {
        return hypervisor(XEN_VERSION, addressCells, sizeCells, gnttab, extRegions, evtchnIntid, gicPhandle);
    }

    /**
     * Xen's choice of the event-channel PPI for a domain: the lowest PPI not reserved in its
     * vGIC. For dom0 the reserved PPIs are the host timer's (secure, non-secure, virtual); a
     * domU gets {@link GuestMemoryMap#EVTCHN_PPI}.
     */
    public static int lowestFreePpi(int... reserved) {
        for (int ppi = PPI_BASE; ppi < GuestMemoryMap.SPI_BASE; ppi++) {
            boolean taken = false;
            for (int r : reserved) taken |= r == ppi;
            if (!taken) return ppi;
        }
        throw new IllegalArgumentException("every PPI is reserved");
    }

    // ---- psci ------------------------------------------------------------------------------------

    /** {@code make_psci_node}: PSCI 1.0/0.2/0.1 over HVC with the 0.1 function IDs. */
    public static Node psci() {
        Node n = new Node("psci");
        n.append(nulTerminated("compatible", List.of("arm,psci-1.0", "arm,psci-0.2", "arm,psci")));
        n.append(Property.strings("method", "hvc"));
        n.append(Property.cells("cpu_off", GuestMemoryMap.PSCI_CPU_OFF));
        n.append(Property.cells("cpu_on", GuestMemoryMap.PSCI_CPU_ON));
        return n;
    }

    // ---- cpus ------------------------------------------------------------------------------------

    /** Xen's {@code vcpuid_to_vaffinity}: AFF0 = the low 4 bits of the vCPU ID, AFF1 the rest. */
    public static long vcpuAffinity(int vcpu) {
        return (vcpu & 0xf) | ((long) (vcpu >> 4) << 8);
    }

    /**
     * {@code make_cpus_node}: {@code cpus} (1 address cell, 0 size cells) and one
     * {@code cpu@MPIDR} per vCPU with the first host CPU's {@code compatible} bytes,
     * {@code device_type}, {@code reg}, its {@code clock-frequency} when it has one, and
     * {@code enable-method = "psci"} for a 64-bit domain.
     *
     * @param compatible     the raw {@code compatible} value of the host's first {@code cpu} node
     * @param clockFrequency that node's {@code clock-frequency}, if any
     */
    public static Node cpus(byte[] compatible, OptionalLong clockFrequency, int vcpus, boolean arm64) {
        Node n = new Node("cpus");
        n.append(Property.cells("#address-cells", 1));
        n.append(Property.cells("#size-cells", 0));
        for (int i = 0; i < vcpus; i++) {
            long mpidr = vcpuAffinity(i);
            Node c = n.addChild("cpu@" + Long.toHexString(mpidr));
            c.append(new Property("compatible", compatible.clone()));
            c.append(Property.strings("device_type", "cpu"));
            c.append(Property.cells("reg", mpidr));
            if (clockFrequency.isPresent()) c.append(Property.cells("clock-frequency", clockFrequency.getAsLong()));
            if (arm64) c.append(Property.strings("enable-method", "psci"));
        }
        return n;
    }

    // ---- memory ----------------------------------------------------------------------------------

    /**
     * {@code make_memory_node}: {@code memory@<first bank's start>} with {@code device_type} and
     * every bank in {@code reg}.
     */
    public static Node memory(int addressCells, int sizeCells, List<Region> banks) {
        if (banks.isEmpty()) throw new IllegalArgumentException("a memory node needs a bank");
        Node n = new Node("memory@" + Long.toHexString(banks.get(0).base()));
        n.append(Property.strings("device_type", "memory"));
        n.append(reg(addressCells, sizeCells, banks));
        return n;
    }

    // ---- timer -----------------------------------------------------------------------------------

    /**
     * {@code make_timer_node}: {@code timer} for the secure physical, non-secure physical and
     * virtual timer PPIs, each level-low for all CPUs whatever the host says, then
     * {@code interrupt-parent} and the host timer's {@code clock-frequency} if it has one.
     * A domU passes {@link GuestMemoryMap#TIMER_PHYS_S_PPI} and friends; dom0 the host's PPIs.
     */
    public static Node timer(boolean arm64, int securePpi, int nonSecurePpi, int virtPpi, int gicPhandle,
            OptionalLong clockFrequency) {
        Node n = new Node("timer");
        n.append(Property.strings("compatible", arm64 ? "arm,armv8-timer" : "arm,armv7-timer"));
        n.append(interrupts(CPUMASK_ALL, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW, securePpi, nonSecurePpi, virtPpi));
        n.append(phandleProperty("interrupt-parent", gicPhandle));
        if (clockFrequency.isPresent()) n.append(Property.cells("clock-frequency", clockFrequency.getAsLong()));
        return n;
    }

    // ---- GIC (hardware domain) ---------------------------------------------------------------------

    /**
     * The hardware domain's GIC ({@code make_gic_node} + {@code gicv2/gicv3_make_hwdom_dt_node},
     * Xen 4.21: named after the host node). Common part: {@code phandle}, the host's
     * {@code #address-cells}/{@code #size-cells}, {@code #interrupt-cells = <3>},
     * {@code interrupt-controller}. GICv3: host {@code compatible}, {@code #redistributor-regions}
     * = the host regions needed for {@code vcpus}, {@code reg} cut to GICD + those regions, and,
     * if the host GIC has ITS children, its {@code ranges} and one {@code its}-style child per ITS
     * ({@code compatible}, {@code msi-controller}, {@code #msi-cells = <1>}, {@code phandle},
     * host {@code reg}). GICv2: host {@code compatible}, {@code reg} cut to GICD + GICC, and for
     * v2m frames {@code ranges} and one child per frame with {@code arm,msi-base-spi} and
     * {@code arm,msi-num-spis} from {@code v2mSpis}.
     *
     * <p>Children are named as Xen names them, after the host node without its unit address;
     * when two would get the same name (Xen would write duplicate node names, which dtc
     * rejects), xldt keeps their full host names instead.
     *
     * @param hostGic     the host's primary GIC node (still attached, for its parents' cells)
     * @param addrCells   {@code #address-cells} that applies to the GIC's {@code reg} (Xen's dt_n_addr_cells)
     * @param sizeCells   {@code #size-cells} that applies to it
     * @param v2mSpis     the SPI range of each GICv2m frame (runtime in Xen: DT override or MSI_TYPER)
     */
    public static Node hwdomGic(Node hostGic, int addrCells, int sizeCells, int vcpus, Function<Node, MsiSpis> v2mSpis) {
        GicKind kind = GicKind.of(hostGic);
        if (kind == null) throw new BadInputException(hostGic.path(), "not a GIC Xen drives");
        if (addrCells < 1 || addrCells > 4 || sizeCells < 0 || sizeCells > 4) {
            throw new BadInputException(hostGic.path(), "#address-cells = <" + addrCells + "> and #size-cells = <" + sizeCells
                    + "> for the GIC's reg: Xen cannot read it");
        }
        Node n = new Node(hostGic.name());
        int ph = hostGic.phandle();
        if (ph != 0) n.append(phandleProperty("phandle", ph));
        Property ac = copy(hostGic, "#address-cells");
        if (ac != null) n.append(ac);
        Property sc = copy(hostGic, "#size-cells");
        if (sc != null) n.append(sc);
        n.append(Property.cells("#interrupt-cells", 3));
        n.append(Property.empty("interrupt-controller"));
        n.append(required(hostGic, "compatible"));
        Property reg = required(hostGic, "reg");
        int entry = (addrCells + sizeCells) * 4;
        if (kind == GicKind.V3) {
            int nr = redistributorRegions(hostGic, addrCells, sizeCells, vcpus);
            n.append(Property.cells("#redistributor-regions", nr));
            n.append(truncate(hostGic, reg, entry * (nr + 1)));
            msiFrames(n, hostGic, "arm,gic-v3-its", true, host -> List.of());
        } else {
            n.append(truncate(hostGic, reg, entry * 2));
            msiFrames(n, hostGic, "arm,gic-v2m-frame", false, host -> {
                MsiSpis spis = v2mSpis.apply(host);
                return List.of(Property.cells("arm,msi-base-spi", spis.baseSpi()), Property.cells("arm,msi-num-spis", spis.numSpis()));
            });
        }
        return n;
    }

    /**
     * The GIC's MSI frames (ITS or v2m children with {@code compatible}), after the host GIC's
     * {@code ranges}: {@code compatible}, {@code msi-controller}, {@code #msi-cells = <1>} (ITS),
     * {@code phandle}, the host {@code reg}, then {@code tail}'s properties.
     */
    private static void msiFrames(Node n, Node hostGic, String compatible, boolean msiCells, Function<Node, List<Property>> tail) {
        List<Node> frames = children(hostGic, compatible);
        if (frames.isEmpty()) return;
        n.append(required(hostGic, "ranges"));
        for (Node host : frames) {
            Node c = n.addChild(childName(host, frames));
            c.append(Property.strings("compatible", compatible));
            c.append(Property.empty("msi-controller"));
            if (msiCells) c.append(Property.cells("#msi-cells", 1));
            if (host.phandle() != 0) c.append(phandleProperty("phandle", host.phandle()));
            c.append(required(host, "reg"));
            for (Property p : tail.apply(host)) c.append(p);
        }
    }

    /**
     * GICv3 {@code #redistributor-regions} for the hardware domain: host regions (reg entries 1..)
     * in order, each holding size / {@link #GICV3_GICR_SIZE} redistributors, until they cover
     * {@code vcpus}; at most the host's {@code #redistributor-regions} (default 1).
     */
    public static int redistributorRegions(Node hostGic, int addrCells, int sizeCells, int vcpus) {
        long hostRegions = hostGic.u32("#redistributor-regions", 1);
        if (hostRegions < 1 || hostRegions > 4096) {
            throw new BadInputException(hostGic.path(), "#redistributor-regions = <" + hostRegions + "> is not a region count");
        }
        Property reg = hostGic.property("reg");
        int entryCells = addrCells + sizeCells;
        if (reg == null || entryCells == 0 || reg.cellCount() < entryCells * (hostRegions + 1)) {
            throw new BadInputException(hostGic.path(), "reg has fewer entries than GICD + #redistributor-regions = <"
                    + hostRegions + ">");
        }
        long covered = 0;
        for (int i = 0; i < hostRegions; i++) {
            long size = reg.cellsAsLong((i + 1) * entryCells + addrCells, sizeCells);
            covered += size / GICV3_GICR_SIZE;
            if (covered >= vcpus) return i + 1;
        }
        return (int) hostRegions;
    }

    private static Property truncate(Node host, Property reg, int bytes) {
        if (reg.length() < bytes) {
            throw new BadInputException(host.path(), "reg has " + reg.length() + " bytes; Xen copies the first " + bytes);
        }
        return new Property("reg", java.util.Arrays.copyOf(reg.value(), bytes));
    }

    private static List<Node> children(Node parent, String compatible) {
        List<Node> out = new ArrayList<>();
        for (Node c : parent.children()) if (c.isCompatible(compatible)) out.add(c);
        return out;
    }

    /** Xen's name for a regenerated child: the host's base name, or the full name when siblings would clash. */
    private static String childName(Node host, List<Node> siblings) {
        for (Node s : siblings) {
            if (s != host && s.baseName().equals(host.baseName())) return host.name();
        }
        return host.baseName();
    }

    // ---- vSMMUv3 (the series) ------------------------------------------------------------------------

    /**
     * The series' {@code make_hwdom_viommu_node} entry for one host SMMUv3: {@code iommu@<base>}
     * with the host's {@code compatible}, {@code phandle}, {@code reg} and {@code #iommu-cells},
     * {@code interrupt-names = "combined"}, one interrupt (the host SMMU's first, as an SPI
     * level-high for all CPUs whatever the host trigger), {@code interrupt-parent}, and
     * {@code dma-coherent} when the host node has it (the Xilinx fork's addition).
     *
     * @param base  the SMMU's address used in the node name
     * @param intid the host SMMU's first interrupt's ID (an SPI)
     */
    public static Node hwdomVsmmuv3(Node hostSmmu, long base, int intid, int gicPhandle) {
        Node n = new Node("iommu@" + Long.toHexString(base));
        n.append(required(hostSmmu, "compatible"));
        if (hostSmmu.phandle() != 0) n.append(phandleProperty("phandle", hostSmmu.phandle()));
        n.append(required(hostSmmu, "reg"));
        n.append(required(hostSmmu, "#iommu-cells"));
        n.append(Property.strings("interrupt-names", "combined"));
        n.append(Property.cells("interrupts", GIC_SPI, intid - GuestMemoryMap.SPI_BASE,
                ((long) CPUMASK_ALL << 8) | GuestMemoryMap.IRQ_TYPE_LEVEL_HIGH));
        n.append(phandleProperty("interrupt-parent", gicPhandle));
        if (hostSmmu.has("dma-coherent")) n.append(Property.empty("dma-coherent"));
        return n;
    }

    /**
     * The series' {@code make_vsmmuv3_node} for a guest (libxl and dom0less domUs):
     * {@code iommu@4040000} at {@link GuestMemoryMap#VSMMUV3} in 2/2 root cells, phandle
     * {@link GuestMemoryMap#PHANDLE_VSMMUV3}, {@code #iommu-cells = <1>}, SPI
     * {@link GuestMemoryMap#VSMMU_SPI} level-high.
     */
    public static Node guestVsmmuv3(int gicPhandle) {
        Region w = GuestMemoryMap.VSMMUV3;
        Node n = new Node("iommu@" + Long.toHexString(w.base()));
        n.append(Property.strings("compatible", "arm,smmu-v3"));
        n.append(reg(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS, List.of(w)));
        n.append(phandleProperty("phandle", GuestMemoryMap.PHANDLE_VSMMUV3));
        n.append(Property.cells("#iommu-cells", 1));
        n.append(Property.strings("interrupt-names", "combined"));
        n.append(interrupts(CPUMASK_ALL, GuestMemoryMap.IRQ_TYPE_LEVEL_HIGH, GuestMemoryMap.VSMMU_SPI));
        n.append(phandleProperty("interrupt-parent", gicPhandle));
        return n;
    }

    /**
     * {@code make_chosen_node}: {@code chosen} with {@code bootargs} when the kernel module has a
     * non-empty command line, and {@code linux,initrd-start}/{@code -end} (one 64-bit value each)
     * when there is a ramdisk; Xen writes zeros there and {@code initrd_load} fills them in place
     * with the ramdisk's load address and that address plus its exact size.
     */
    public static Node domUChosen(Optional<String> bootargs, Optional<Region> initrd) {
        // libxl's make_chosen_node without the rng-seed; an empty command line gives no bootargs here
        return LibxlNodes.chosen(bootargs.filter(s -> !s.isEmpty()).orElse(null), initrd.orElse(null), null);
    }

    /**
     * {@code make_gicv2_domU_node} / {@code make_gicv3_domU_node}: {@code interrupt-controller@3001000}
     * with {@code #address-cells = <0>}, {@code #interrupt-cells = <3>},
     * {@code interrupt-controller}, {@code compatible} ("arm,gic-400" for a GICv2, "arm,gic-v3"),
     * GICv3: {@code #redistributor-regions = <1>}; {@code reg} (GICD and GICC, or GICD and the one
     * redistributor region), {@code linux,phandle} and {@code phandle}.
     */
    public static Node domUGic(GicKind kind, int phandle) {
        Region dist = kind == GicKind.V3 ? GuestMemoryMap.GICD_V3 : GuestMemoryMap.GICD_V2;
        Node n = new Node("interrupt-controller@" + Long.toHexString(dist.base()));
        n.append(Property.cells("#address-cells", 0));
        n.append(Property.cells("#interrupt-cells", 3));
        n.append(Property.empty("interrupt-controller"));
        if (kind == GicKind.V3) {
            n.append(Property.strings("compatible", "arm,gic-v3"));
            n.append(Property.cells("#redistributor-regions", 1));
            n.append(reg(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS,
                    List.of(dist, GuestMemoryMap.GICR0_V3)));
        } else {
            n.append(Property.strings("compatible", "arm,gic-400"));
            n.append(reg(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS,
                    List.of(dist, GuestMemoryMap.GICC_V2)));
        }
        n.append(phandleProperty("linux,phandle", phandle));
        n.append(phandleProperty("phandle", phandle));
        return n;
    }

    /**
     * {@code make_vpl011_uart_node}: {@code sbsa-uart@22000000} (at {@link GuestMemoryMap#PL011}, SPI
     * {@link GuestMemoryMap#VPL011_SPI}) with {@code compatible =
     * "arm,sbsa-uart"}, {@code reg}, its SPI (level-high, all CPUs), {@code interrupt-parent}
     * and {@code current-speed = <115200>}.
     */
    public static Node vpl011(int gicPhandle) {
        // the same properties as libxl's, under the name Xen's domain_fdt_begin_node gives it
        Node n = LibxlNodes.vpl011(false);
        n.rename("sbsa-uart@" + Long.toHexString(GuestMemoryMap.PL011.base()));
        n.set(phandleProperty("interrupt-parent", gicPhandle));
        return n;
    }
}
