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
 * What a guest kernel learns from its device tree, and nothing else: the emulated SMMUv3 node,
 * the DMA masters behind it ({@code iommus} and PCI {@code iommu-map}), its RAM, and every
 * interrupt and MMIO range the tree gives a node. Read by {@link #read}; never consults the host
 * or the toolstack.
 *
 * @param vsmmu         the first {@code arm,smmu-v3} node, if any
 * @param masters       every {@code iommus} / {@code iommu-map} user, in document order (but grant-DMA ones)
 * @param grantDma      masters behind Xen's grant-DMA node (virtio), which the vSMMU does not translate
 * @param ram           the {@code device_type = "memory"} banks
 * @param passthrough   device nodes under {@code /passthrough} (those with {@code reg})
 * @param interrupts    every GIC interrupt a node's {@code interrupts} names
 * @param mmio          every device node's {@code reg} in CPU addresses (memory nodes excluded)
 */
public record GuestView(Optional<VsmmuNode> vsmmu, List<Master> masters, List<String> grantDma, List<Region> ram,
        List<PassthroughNode> passthrough, List<IrqUse> interrupts, List<MmioUse> mmio) {

    /** Xen's grant-based DMA "IOMMU" (virtio with grants): its masters are not the vSMMU's. */
    public static final String GRANT_DMA = "xen,grant-dma";

    /** GIC interrupt specifier types (the binding's first cell). */
    static final long GIC_SPI = 0;
    static final long GIC_PPI = 1;
    static final int PPI_BASE = 16;

    /**
     * The emulated SMMUv3 node.
     *
     * @param path      its path
     * @param phandle   its phandle (0 when it has none)
     * @param reg       its first {@code reg} region (CPU address), empty when unreadable
     * @param irqs      interrupt name → GIC interrupt ID ({@code interrupt-names}; "" when unnamed)
     * @param iommuCells {@code #iommu-cells} (-1 when absent)
     */
    public record VsmmuNode(String path, int phandle, Optional<Region> reg, Map<String, Integer> irqs, long iommuCells) {
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
     * @param path    its path
     * @param via     {@code iommus} or {@code iommu-map}
     * @param target  the node the phandle names (its path), empty when it resolves to nothing
     * @param targetIsIommu whether that node is an IOMMU ({@code #iommu-cells} present)
     * @param targetIsVsmmu whether it is the vSMMU node
     * @param streams the stream IDs (empty when the property cannot be read)
     * @param problem why the property cannot be read, or empty
     */
    public record Master(String path, String via, long phandle, Optional<String> target, boolean targetIsIommu, boolean targetIsVsmmu,
            List<Stream> streams, Optional<String> problem) {
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

    /** Reads the guest's view of {@code tree}. */
    public static GuestView read(DeviceTree tree) {
        Node root = tree.root();
        List<Node> smmus = new ArrayList<>();
        DeviceTree.walk(root, n -> {
            if (n.isCompatible("arm,smmu-v3") && n.isEnabled()) smmus.add(n);
        });
        Node vs = smmus.isEmpty() ? null : smmus.get(0);
        Optional<VsmmuNode> vsmmu = Optional.ofNullable(vs).map(n -> new VsmmuNode(n.path(), n.phandle(),
                DtAddresses.cpuReg(n).flatMap(l -> l.stream().findFirst()), namedIrqs(tree, n), n.u32("#iommu-cells", -1)));

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
                Node t = p.cellCount() > 0 ? tree.byPhandle((int) p.cell(0)) : null;
                if (t != null && t.isCompatible(GRANT_DMA)) grant.add(n.path());
                else masters.add(iommus(tree, n, vs));
            }
            if (n.has("iommu-map")) masters.add(iommuMap(tree, n, vs));
            boolean memory = "memory".equals(n.string("device_type"));
            if (memory) {
                ram.addAll(DtAddresses.cpuReg(n).orElse(List.of()));
            } else if (n.has("reg") && n.parent() != null && !isCpuOrBus(n)) {
                List<Region> regs = DtAddresses.cpuReg(n).orElse(List.of());
                // the hypervisor node: only the grant table is MMIO; the rest are free regions it offers
                if (n.isCompatible("xen,xen") && !regs.isEmpty()) regs = regs.subList(0, 1);
                for (Region r : regs) mmio.add(new MmioUse(n.path(), r));
            }
            if (underPassthrough(n)) {
                if (n.has("reg") && n.has("compatible")) pt.add(new PassthroughNode(n.path(), n.has("iommus"), n.has("iommu-map")));
            }
            for (int intid : gicInterrupts(tree, n)) irqs.add(new IrqUse(n.path(), intid));
        });
        return new GuestView(vsmmu, masters, grant, ram, pt, irqs, mmio);
    }

    private static boolean underPassthrough(Node n) {
        for (Node p = n.parent(); p != null; p = p.parent()) if (p.parent() != null && p.parent().isRoot() && p.name().equals("passthrough")) return true;
        return false;
    }

    private static boolean isCpuOrBus(Node n) {
        Node p = n.parent();
        return "cpu".equals(n.string("device_type")) || (p != null && p.name().equals("cpus"));
    }

    private static Master iommus(DeviceTree tree, Node n, Node vs) {
        Property p = n.property("iommus");
        if (p.cellCount() == 0) return new Master(n.path(), "iommus", 0, Optional.empty(), false, false, List.of(), Optional.of("iommus is empty"));
        long ph = p.cell(0);
        Node t = tree.byPhandle((int) ph);
        if (t == null) {
            return new Master(n.path(), "iommus", ph, Optional.empty(), false, false, List.of(),
                    Optional.of(String.format("iommus names phandle 0x%x, which no node of the guest tree has", ph)));
        }
        long cells = t.u32("#iommu-cells", -1);
        boolean isIommu = cells >= 0;
        if (!isIommu) {
            return new Master(n.path(), "iommus", ph, Optional.of(t.path()), false, t == vs, List.of(),
                    Optional.of("iommus points at " + t.path() + ", which is not an IOMMU (it has no #iommu-cells)"));
        }
        if (cells != 1) {
            return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, t == vs, List.of(),
                    Optional.of(t.path() + " has #iommu-cells = " + cells + "; an SMMUv3 takes 1 (the stream ID)"));
        }
        List<Stream> out = new ArrayList<>();
        Optional<String> problem = Optional.empty();
        for (int i = 0; i + 2 <= p.cellCount(); i += 2) {
            if (p.cell(i) != ph) {
                problem = Optional.of(String.format("iommus entry %d names phandle 0x%x, not 0x%x", i / 2, p.cell(i), ph));
                break;
            }
            out.add(new Stream(p.cell(i + 1), 1));
        }
        if (p.cellCount() % 2 != 0) problem = Optional.of("iommus has " + p.cellCount() + " cells; with #iommu-cells = 1 it needs pairs");
        return new Master(n.path(), "iommus", ph, Optional.of(t.path()), true, t == vs, out, problem);
    }

    /** {@code iommu-map = <rid-base iommu-phandle iommu-base length>...}. */
    private static Master iommuMap(DeviceTree tree, Node n, Node vs) {
        Property p = n.property("iommu-map");
        List<Stream> out = new ArrayList<>();
        if (p.cellCount() == 0 || p.cellCount() % 4 != 0) {
            return new Master(n.path(), "iommu-map", 0, Optional.empty(), false, false, out,
                    Optional.of("iommu-map has " + p.cellCount() + " cells; it needs entries of 4 (rid-base, phandle, stream-base, length)"));
        }
        long ph = p.cell(1);
        Node t = tree.byPhandle((int) ph);
        Optional<String> problem = Optional.empty();
        if (t == null) problem = Optional.of(String.format("iommu-map names phandle 0x%x, which no node of the guest tree has", ph));
        else if (!t.has("#iommu-cells")) problem = Optional.of("iommu-map points at " + t.path() + ", which is not an IOMMU (it has no #iommu-cells)");
        for (int i = 0; problem.isEmpty() && i < p.cellCount(); i += 4) {
            if (p.cell(i + 1) != ph) problem = Optional.of(String.format("iommu-map entry %d names phandle 0x%x, not 0x%x", i / 4, p.cell(i + 1), ph));
            else out.add(new Stream(p.cell(i + 2), p.cell(i + 3)));
        }
        return new Master(n.path(), "iommu-map", ph, Optional.ofNullable(t).map(Node::path), t != null && t.has("#iommu-cells"), t != null && t == vs,
                problem.isPresent() ? List.of() : out, problem);
    }

    /** Interrupt name → GIC interrupt ID of the vSMMU node. */
    private static Map<String, Integer> namedIrqs(DeviceTree tree, Node n) {
        List<Integer> ids = gicInterrupts(tree, n);
        List<String> names = n.has("interrupt-names") ? n.strings("interrupt-names") : List.of();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) out.put(i < names.size() ? names.get(i) : "", ids.get(i));
        return out;
    }

    /** GIC interrupt IDs of {@code n}'s {@code interrupts} (SPI 32+n, PPI 16+n); entries on another controller are skipped. */
    static List<Integer> gicInterrupts(DeviceTree tree, Node n) {
        List<Integer> out = new ArrayList<>();
        Property irq = n.property("interrupts");
        if (irq == null) return out;
        Node parent = null;
        int steps = 0;
        for (Node c = n; c != null && steps++ < 10_000; c = c.parent()) {
            if (c.has("interrupt-parent")) {
                parent = tree.byPhandle((int) c.u32("interrupt-parent", 0));
                break;
            }
        }
        if (parent == null) return out;
        int cells = (int) parent.u32("#interrupt-cells", 0);
        if (cells < 2 || !parent.has("interrupt-controller") || !isGic(parent)) return out;
        for (int i = 0; i + cells <= irq.cellCount(); i += cells) {
            long type = irq.cell(i);
            long num = irq.cell(i + 1);
            if (type == GIC_SPI && num < 988) out.add((int) num + GuestMemoryMap.SPI_BASE);
            else if (type == GIC_PPI && num < 16) out.add((int) num + PPI_BASE);
        }
        return out;
    }

    private static boolean isGic(Node n) {
        for (String c : n.strings("compatible")) if (c.startsWith("arm,gic") || c.startsWith("arm,cortex-a15-gic")) return true;
        return false;
    }
}
