package org.xldt.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.DtAddresses;
import org.xldt.xen.GuestMemoryMap;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * What a guest kernel learns from its device tree, and nothing else: the SMMUv3 nodes (the
 * vSMMUs Xen emulates for it), the DMA masters behind them ({@code iommus} and PCI
 * {@code iommu-map}), its RAM, and every interrupt and MMIO range the tree gives a node. Read by
 * {@link #read}; never consults the host or the toolstack.
 *
 * @param vsmmus      the enabled {@code arm,smmu-v3} nodes (a domU has one; dom0 one per physical SMMU)
 * @param masters     every {@code iommus} / {@code iommu-map} user, in document order (but grant-DMA ones)
 * @param grantDma    masters behind Xen's grant-DMA node (virtio), which no vSMMU translates
 * @param ram         the {@code device_type = "memory"} banks
 * @param passthrough device nodes under {@code /passthrough} (those with {@code reg} and {@code compatible})
 * @param interrupts  every GIC interrupt a node's {@code interrupts} names
 * @param mmio        every device node's {@code reg} in CPU addresses (memory nodes and {@code /reserved-memory} carve-outs excluded)
 */
public record GuestView(List<VsmmuNode> vsmmus, List<Master> masters, List<String> grantDma, List<Region> ram,
        List<PassthroughNode> passthrough, List<IrqUse> interrupts, List<MmioUse> mmio) {

    /** Xen's grant-based DMA "IOMMU" (virtio with grants): its masters are not the vSMMU's. */
    public static final String GRANT_DMA = "xen,grant-dma";
    /** The SMMUv3 binding's compatible. */
    public static final String SMMU_V3 = "arm,smmu-v3";

    /** GIC interrupt specifier types (the binding's first cell). */
    static final long GIC_SPI = 0;
    static final long GIC_PPI = 1;
    static final int PPI_BASE = 16;
    /** Bound on interrupt-parent chains (a looping chain in a hostile tree). */
    static final int MAX_PARENT_STEPS = 10_000;

    /**
     * An SMMUv3 node.
     *
     * @param path       its path
     * @param phandle    its phandle (0 when it has none)
     * @param reg        its first {@code reg} region (CPU address), empty when unreadable
     * @param irqs       interrupt name → GIC interrupt ID ({@code interrupt-names}; "" when unnamed)
     * @param iommuCells {@code #iommu-cells} (-1 when absent)
     */
    public record VsmmuNode(String path, int phandle, Optional<Region> reg, Map<String, Integer> irqs, long iommuCells) {
        public VsmmuNode {
            irqs = Map.copyOf(irqs);
        }

        /**
         * The interrupt Linux's arm-smmu-v3 takes events on: "combined" when the tree names one,
         * else "eventq"; empty when it names neither (the driver then gets no event interrupt).
         */
        public Optional<String> eventIrqName() {
            if (irqs.containsKey("combined")) return Optional.of("combined");
            if (irqs.containsKey("eventq")) return Optional.of("eventq");
            return Optional.empty();
        }
    }

    /**
     * A stream the tree gives a master.
     *
     * @param vsid  the first stream ID
     * @param count how many consecutive IDs (1 for {@code iommus}, the length of an {@code iommu-map} entry)
     */
    public record Stream(long vsid, long count) {
    }

    /**
     * A DMA master.
     *
     * @param path          its path
     * @param via           {@code iommus} or {@code iommu-map}
     * @param phandle       the phandle its property names
     * @param target        the node the phandle names (its path), empty when it resolves to nothing
     * @param targetIsIommu whether that node is an IOMMU ({@code #iommu-cells} present)
     * @param vsmmu         the SMMUv3 node it names, if it names one
     * @param streams       the stream IDs (empty when the property cannot be read)
     * @param problem       why the property cannot be used, or empty
     */
    public record Master(String path, String via, long phandle, Optional<String> target, boolean targetIsIommu, Optional<VsmmuNode> vsmmu,
            List<Stream> streams, Optional<String> problem) {
        public Master {
            streams = List.copyOf(streams);
        }
    }

    /** A device node under {@code /passthrough}. */
    public record PassthroughNode(String path, boolean hasIommus, boolean hasIommuMap) {
    }

    /** A GIC interrupt (SPI 32+, PPI 16+) a node uses. */
    public record IrqUse(String path, int intid) {
    }

    /** A node's MMIO range. */
    public record MmioUse(String path, Region region) {
    }

    /**
     * Every pair of {@code uses} whose ranges overlap, but a node with itself or its descendants
     * (a child inside its parent's window); by increasing base.
     */
    public static List<MmioUse[]> overlaps(List<MmioUse> uses) {
        List<MmioUse> sorted = new ArrayList<>(uses);
        sorted.sort(java.util.Comparator.comparingLong((MmioUse u) -> u.region().base()).thenComparing(MmioUse::path));
        List<MmioUse[]> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            MmioUse a = sorted.get(i);
            for (int j = i + 1; j < sorted.size() && sorted.get(j).region().base() < a.region().end(); j++) {
                MmioUse b = sorted.get(j);
                if (b.region().size() > 0 && !a.path().equals(b.path()) && !nested(a.path(), b.path())) out.add(new MmioUse[] {a, b});
            }
        }
        return out;
    }

    private static boolean nested(String a, String b) {
        return a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    /** The SMMUv3 node at {@code path}, if any. */
    public Optional<VsmmuNode> vsmmu(String path) {
        return vsmmus.stream().filter(v -> v.path().equals(path)).findFirst();
    }

    /** Reads the guest's view of {@code tree}. */
    public static GuestView read(DeviceTree tree) {
        Node root = tree.root();
        Map<Node, VsmmuNode> smmus = new LinkedHashMap<>();
        DeviceTree.walk(root, n -> {
            if (n.isCompatible(SMMU_V3) && n.isEnabled()) {
                smmus.put(n, new VsmmuNode(n.path(), n.phandle(), DtAddresses.cpuReg(n).flatMap(l -> l.stream().findFirst()),
                        namedIrqs(tree, n), n.u32("#iommu-cells", -1)));
            }
        });
        List<Master> masters = new ArrayList<>();
        List<String> grant = new ArrayList<>();
        List<Region> ram = new ArrayList<>();
        List<PassthroughNode> pt = new ArrayList<>();
        List<IrqUse> irqs = new ArrayList<>();
        List<MmioUse> mmio = new ArrayList<>();
        DeviceTree.walk(root, n -> {
            if (!n.isEnabled()) return;
            if (n.has("iommus")) {
                Property p = n.property("iommus");
                Node t = p.cellCount() > 0 ? byPhandle(tree, p.cell(0)) : null;
                if (t != null && t.isCompatible(GRANT_DMA)) grant.add(n.path());
                else masters.add(iommus(tree, n, smmus));
            }
            if (n.has("iommu-map")) masters.add(iommuMap(tree, n, smmus));
            if ("memory".equals(n.string("device_type"))) {
                ram.addAll(DtAddresses.cpuReg(n).orElse(List.of()).stream().filter(r -> r.size() > 0).toList());
            } else if (n.has("reg") && n.parent() != null && !isCpu(n) && !reservedMemory(n)) {
                List<Region> regs = DtAddresses.cpuReg(n).orElse(List.of());
                // the hypervisor node: only the grant table is MMIO; the rest are free regions it offers
                if (n.isCompatible("xen,xen") && !regs.isEmpty()) regs = regs.subList(0, 1);
                for (Region r : regs) if (r.size() > 0) mmio.add(new MmioUse(n.path(), r));
            }
            if (underPassthrough(n) && n.has("reg") && n.has("compatible")) {
                pt.add(new PassthroughNode(n.path(), n.has("iommus"), n.has("iommu-map")));
            }
            for (int intid : gicInterrupts(tree, n)) irqs.add(new IrqUse(n.path(), intid));
        });
        return new GuestView(List.copyOf(smmus.values()), masters, grant, ram, pt, irqs, mmio);
    }

    private static Node byPhandle(DeviceTree tree, long ph) {
        return ph == 0 || ph > Integer.MAX_VALUE ? null : tree.byPhandle((int) ph);
    }

    private static boolean underPassthrough(Node n) {
        for (Node p = n.parent(); p != null; p = p.parent()) {
            if (p.parent() != null && p.parent().isRoot() && p.name().equals("passthrough")) return true;
        }
        return false;
    }

    /** A {@code /reserved-memory} carve-out: RAM, not MMIO. */
    private static boolean reservedMemory(Node n) {
        Node p = n.parent();
        return p != null && p.parent() != null && p.parent().isRoot() && p.name().equals("reserved-memory");
    }

    private static boolean isCpu(Node n) {
        Node p = n.parent();
        return "cpu".equals(n.string("device_type")) || (p != null && p.name().equals("cpus"));
    }

    private static Master iommus(DeviceTree tree, Node n, Map<Node, VsmmuNode> smmus) {
        Property p = n.property("iommus");
        if (p.cellCount() == 0) {
            return new Master(n.path(), "iommus", 0, Optional.empty(), false, Optional.empty(), List.of(), Optional.of("iommus is empty"));
        }
        long ph = p.cell(0);
        Node t = byPhandle(tree, ph);
        if (t == null) {
            return new Master(n.path(), "iommus", ph, Optional.empty(), false, Optional.empty(), List.of(),
                    Optional.of(String.format("iommus names phandle 0x%x, which no node of the guest tree has", ph)));
        }
        Optional<VsmmuNode> vs = Optional.ofNullable(smmus.get(t));
        long cells = t.u32("#iommu-cells", -1);
        if (cells < 0) {
            return new Master(n.path(), "iommus", ph, Optional.of(t.path()), false, vs, List.of(),
                    Optional.of("iommus points at " + t.path() + ", which is not an IOMMU (it has no #iommu-cells)"));
        }
        if (cells != 1) {
            return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, vs, List.of(),
                    Optional.of(t.path() + " has #iommu-cells = " + cells + "; an SMMUv3 takes 1 (the stream ID)"));
        }
        if (p.cellCount() % 2 != 0) {
            return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, vs, List.of(),
                    Optional.of("iommus has " + p.cellCount() + " cells; with #iommu-cells = 1 it needs <phandle stream-ID> pairs"));
        }
        List<Stream> out = new ArrayList<>();
        for (int i = 0; i + 2 <= p.cellCount(); i += 2) {
            if (p.cell(i) != ph) {
                return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, vs, List.of(),
                        Optional.of(String.format("iommus entry %d names phandle 0x%x, not 0x%x like the first", i / 2, p.cell(i), ph)));
            }
            out.add(new Stream(p.cell(i + 1), 1));
        }
        return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, vs, out, Optional.empty());
    }

    /** {@code iommu-map = <rid-base iommu-phandle iommu-base length>...}. */
    private static Master iommuMap(DeviceTree tree, Node n, Map<Node, VsmmuNode> smmus) {
        Property p = n.property("iommu-map");
        if (p.cellCount() == 0 || p.cellCount() % 4 != 0) {
            return new Master(n.path(), "iommu-map", 0, Optional.empty(), false, Optional.empty(), List.of(),
                    Optional.of("iommu-map has " + p.cellCount() + " cells; it needs entries of 4 (rid-base, phandle, stream-base, length)"));
        }
        long ph = p.cell(1);
        Node t = byPhandle(tree, ph);
        Optional<String> target = Optional.ofNullable(t).map(Node::path);
        Optional<VsmmuNode> vs = Optional.ofNullable(t == null ? null : smmus.get(t));
        boolean isIommu = t != null && t.has("#iommu-cells");
        Optional<String> problem = Optional.empty();
        if (t == null) problem = Optional.of(String.format("iommu-map names phandle 0x%x, which no node of the guest tree has", ph));
        else if (!isIommu) problem = Optional.of("iommu-map points at " + t.path() + ", which is not an IOMMU (it has no #iommu-cells)");
        List<Stream> out = new ArrayList<>();
        for (int i = 0; problem.isEmpty() && i < p.cellCount(); i += 4) {
            if (p.cell(i + 1) != ph) problem = Optional.of(String.format("iommu-map entry %d names phandle 0x%x, not 0x%x like the first", i / 4, p.cell(i + 1), ph));
            else if (p.cell(i + 3) == 0) problem = Optional.of(String.format("iommu-map entry %d has length 0", i / 4));
            else out.add(new Stream(p.cell(i + 2), p.cell(i + 3)));
        }
        return new Master(n.path(), "iommu-map", ph, target, isIommu, vs, problem.isPresent() ? List.of() : out, problem);
    }

    /** Interrupt name → GIC interrupt ID of an SMMUv3 node. */
    private static Map<String, Integer> namedIrqs(DeviceTree tree, Node n) {
        List<Integer> ids = gicInterrupts(tree, n);
        List<String> names = n.has("interrupt-names") ? n.strings("interrupt-names") : List.of();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) out.putIfAbsent(i < names.size() ? names.get(i) : "", ids.get(i));
        return out;
    }

    /**
     * GIC interrupt IDs of {@code n}'s {@code interrupts} (SPI 32+n, PPI 16+n); entries on another
     * controller, or of another type, are left out.
     */
    static List<Integer> gicInterrupts(DeviceTree tree, Node n) {
        List<Integer> out = new ArrayList<>();
        Property irq = n.property("interrupts");
        if (irq == null) return out;
        Node parent = interruptParent(tree, n);
        if (parent == null || !parent.has("interrupt-controller") || !isGic(parent)) return out;
        int cells = (int) parent.u32("#interrupt-cells", 0);
        if (cells < 2) return out;
        for (int i = 0; i + cells <= irq.cellCount(); i += cells) {
            long type = irq.cell(i);
            long num = irq.cell(i + 1);
            if (type == GIC_SPI && num < 988) out.add((int) num + GuestMemoryMap.SPI_BASE);
            else if (type == GIC_PPI && num < 16) out.add((int) num + PPI_BASE);
        }
        return out;
    }

    /** The interrupt parent: the nearest {@code interrupt-parent}, else the parent node, until one has {@code #interrupt-cells}. */
    private static Node interruptParent(DeviceTree tree, Node n) {
        Node child = n;
        for (int steps = 0; steps < MAX_PARENT_STEPS; steps++) {
            Property ip = child.property("interrupt-parent");
            Node p = ip != null && ip.length() == 4 ? byPhandle(tree, ip.cell(0)) : child.parent();
            if (p == null || p.has("#interrupt-cells")) return p;
            child = p;
        }
        return null;
    }

    private static boolean isGic(Node n) {
        for (String c : n.strings("compatible")) if (c.startsWith("arm,gic") || c.startsWith("arm,cortex-a15-gic")) return true;
        return false;
    }
}
