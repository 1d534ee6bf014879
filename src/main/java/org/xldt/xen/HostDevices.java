package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xldt.dt.Addresses;
import org.xldt.dt.Addresses.Range;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.PhandleRefs;
import org.xldt.dt.Property;

/**
 * Read-only questions a dom0less build asks about the host device tree: its GIC, the IOMMUs Xen
 * drives, a node's interrupt parent, the host's memory banks and reserved memory. Nothing here
 * edits the tree.
 */
public final class HostDevices {
    /** Compatibles of the IOMMUs Xen drives (smmu.c, smmu-v3.c, ipmmu-vmsa.c match tables). */
    public static final Set<String> XEN_IOMMU_COMPATIBLES = Set.of("arm,smmu-v3", "arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400",
            "arm,mmu-401", "arm,mmu-500", "renesas,ipmmu-r8a7795", "renesas,ipmmu-r8a77965", "renesas,ipmmu-r8a7796",
            "renesas,ipmmu-r8a77961", "renesas,ipmmu-r8a779f0", "renesas,ipmmu-r8a779g0");

    private final DeviceTree tree;
    private final Map<Integer, Node> phandles;
    private final PhandleRefs.Resolver resolver;
    private final Node gic;

    public HostDevices(DeviceTree tree) {
        this.tree = tree;
        this.phandles = tree.phandles();
        this.resolver = ph -> ph < 0 || ph > 0xffffffffL ? null : phandles.get((int) ph);
        Node[] found = new Node[1];
        tree.walk(n -> {
            if (found[0] == null && n.has("interrupt-controller") && n.parent() != null && XenNodes.GicKind.of(n) != null) {
                found[0] = n;
            }
        });
        this.gic = found[0];
    }

    public DeviceTree tree() {
        return tree;
    }

    public PhandleRefs.Resolver resolver() {
        return resolver;
    }

    public Node byPhandle(long phandle) {
        return resolver.node(phandle);
    }

    /** The GIC Xen drives (the first GIC node with {@code interrupt-controller}), or null. */
    public Node gic() {
        return gic;
    }

    /** The GIC's kind, or null without a GIC. */
    public XenNodes.GicKind gicKind() {
        return gic == null ? null : XenNodes.GicKind.of(gic);
    }

    /** Whether {@code n} is the GIC or inside it (an ITS, a v2m frame). */
    public boolean isGicOrChild(Node n) {
        for (Node p = n; p != null; p = p.parent()) if (p == gic) return true;
        return false;
    }

    /** Whether {@code n} is an IOMMU Xen drives (by compatible, as Xen's device classes match). */
    public static boolean isXenIommu(Node n) {
        return n.strings("compatible").stream().anyMatch(XEN_IOMMU_COMPATIBLES::contains);
    }

    /**
     * The node {@code n}'s {@code interrupts} refer to: the nearest {@code interrupt-parent} on
     * it or an ancestor, else the nearest ancestor that is an interrupt controller; null if none.
     */
    public Node interruptParent(Node n) {
        for (Node p = n; p != null; p = p.parent()) {
            Property ip = p.property("interrupt-parent");
            if (ip != null && ip.length() == 4) return resolver.node(ip.cell(0));
            if (p != n && p.has("interrupt-controller")) return p;
        }
        return null;
    }

    /** Whether {@code n} is inside {@code ancestor} (or is it). */
    public static boolean within(Node n, Node ancestor) {
        for (Node p = n; p != null; p = p.parent()) if (p == ancestor) return true;
        return false;
    }

    /** The host's RAM: every {@code device_type = "memory"} node's {@code reg}, as CPU addresses, in tree order. */
    public List<Range> memory() {
        List<Range> out = new ArrayList<>();
        tree.walk(n -> {
            if ("memory".equals(n.string("device_type"))) {
                Addresses.cpuReg(n).ifPresent(rs -> rs.stream().filter(r -> r.size() > 0).forEach(out::add));
            }
        });
        return out;
    }

    /**
     * Memory no binary may be loaded into: each {@code /reserved-memory} child's {@code reg} (as
     * CPU addresses) and each {@code /memreserve/} entry, with a description.
     */
    public List<ModulePlacement.Reserved> reserved() {
        List<ModulePlacement.Reserved> out = new ArrayList<>();
        for (var m : tree.reserves()) {
            if (m.size() > 0) out.add(new ModulePlacement.Reserved(m.address(), m.size(), "/memreserve/"));
        }
        Node rm = tree.root().child("reserved-memory");
        if (rm != null) {
            for (Node c : rm.children()) {
                Optional<List<Range>> rs = Addresses.cpuReg(c);
                rs.ifPresent(list -> list.stream().filter(r -> r.size() > 0)
                        .forEach(r -> out.add(new ModulePlacement.Reserved(r.address(), r.size(), c.path()))));
            }
        }
        return out;
    }
}
