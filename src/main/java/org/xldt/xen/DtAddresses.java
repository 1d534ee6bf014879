package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * Addresses in a host device tree read as Xen reads them ({@code xen/common/device-tree/
 * device-tree.c}): {@code #address-cells}/{@code #size-cells} looked up from the parent upwards
 * (Xen's {@code dt_n_addr_cells}; default 1 and 1 when no ancestor has them), {@code reg}
 * entries, and translation of bus addresses to CPU addresses through the ancestors'
 * {@code ranges} (an empty {@code ranges} is the identity; a missing one stops translation).
 */
public final class DtAddresses {
    private DtAddresses() {
    }

    /** Xen's default cells when no ancestor has them. */
    public static final int DEFAULT_CELLS = 1;

    /** {@code #address-cells} that applies to {@code node}'s {@code reg} (the nearest ancestor's). */
    public static int addressCells(Node node) {
        return inherited(node, "#address-cells");
    }

    /** {@code #size-cells} that applies to {@code node}'s {@code reg}. */
    public static int sizeCells(Node node) {
        return inherited(node, "#size-cells");
    }

    private static int inherited(Node node, String name) {
        Node n = node;
        do {
            if (n.parent() != null) n = n.parent();
            Property p = n.property(name);
            if (p != null && p.length() == 4) return (int) p.cell(0);
        } while (n.parent() != null);
        return DEFAULT_CELLS;
    }

    /** The cells a node gives its own children ({@code #address-cells} of the node itself, else inherited). */
    public static int ownAddressCells(Node node) {
        Property p = node.property("#address-cells");
        return p != null && p.length() == 4 ? (int) p.cell(0) : addressCells(node);
    }

    public static int ownSizeCells(Node node) {
        Property p = node.property("#size-cells");
        return p != null && p.length() == 4 ? (int) p.cell(0) : sizeCells(node);
    }

    /** The raw {@code reg} entries of {@code node} (bus addresses); empty if it has none or they do not fit 64 bits. */
    public static List<Region> reg(Node node) {
        Property reg = node.property("reg");
        int na = addressCells(node);
        int ns = sizeCells(node);
        List<Region> out = new ArrayList<>();
        if (reg == null || na < 1 || na > 2 || ns < 0 || ns > 2) return out;
        int entry = na + ns;
        for (int i = 0; i + entry <= reg.cellCount(); i += entry) {
            long addr = reg.cellsAsLong(i, na);
            long size = reg.cellsAsLong(i + na, ns);
            if (addr < 0 || size < 0 || addr + size < 0) continue;
            out.add(new Region(addr, size));
        }
        return out;
    }

    /**
     * {@code node}'s {@code reg} entries translated to CPU addresses, or empty when one cannot be
     * translated (an ancestor bus without {@code ranges}, or an address outside its ranges).
     */
    public static Optional<List<Region>> cpuReg(Node node) {
        List<Region> out = new ArrayList<>();
        for (Region r : reg(node)) {
            Optional<Long> a = translate(node.parent(), r.base());
            if (a.isEmpty() || a.get() < 0 || a.get() + r.size() < 0) return Optional.empty();
            out.add(new Region(a.get(), r.size()));
        }
        return Optional.of(out);
    }

    /**
     * Translates {@code addr}, an address on the bus that {@code bus} gives its children, to a
     * CPU address by applying the {@code ranges} of {@code bus} and its ancestors.
     */
    public static Optional<Long> translate(Node bus, long addr) {
        for (Node n = bus; n != null && n.parent() != null; n = n.parent()) {
            Property ranges = n.property("ranges");
            if (ranges == null) return Optional.empty();
            if (ranges.isEmpty()) continue;
            int childNa = ownAddressCells(n);
            int parentNa = addressCells(n);
            int childNs = ownSizeCells(n);
            if (!validCells(childNa, parentNa, childNs)) return Optional.empty();
            int entry = childNa + parentNa + childNs;
            boolean found = false;
            for (int i = 0; entry > 0 && i + entry <= ranges.cellCount(); i += entry) {
                // PCI child addresses carry a flags cell; compare the low 64 bits only
                long child = low64(ranges, i, childNa);
                long parent = low64(ranges, i + childNa, parentNa);
                long size = low64(ranges, i + childNa + parentNa, childNs);
                if (Long.compareUnsigned(addr - child, size) < 0) {
                    addr = parent + (addr - child);
                    found = true;
                    break;
                }
            }
            if (!found) return Optional.empty();
        }
        return Optional.of(addr);
    }

    /** Xen's DT_CHECK_COUNTS on both sides of a {@code ranges} (at most DT_MAX_ADDR_CELLS = 4 cells). */
    private static boolean validCells(int childNa, int parentNa, int childNs) {
        return childNa >= 1 && childNa <= 4 && parentNa >= 1 && parentNa <= 4 && childNs >= 1 && childNs <= 4;
    }

    /** The last (up to) two cells of a {@code cells}-cell number. */
    static long low64(Property p, int at, int cells) {
        int n = Math.min(cells, 2);
        return p.cellsAsLong(at + cells - n, n);
    }

    /**
     * The CPU-side windows of a PCI host bridge's {@code ranges} (child: 3 cells, parent: the
     * bridge's parent's address cells, size: 2 cells), untranslated beyond the bridge's parent.
     */
    public static List<Region> pciWindows(Node bridge) {
        Property ranges = bridge.property("ranges");
        List<Region> out = new ArrayList<>();
        if (ranges == null || ranges.isEmpty()) return out;
        int childNa = ownAddressCells(bridge);
        int parentNa = addressCells(bridge);
        int childNs = ownSizeCells(bridge);
        if (!validCells(childNa, parentNa, childNs)) return out;
        int entry = childNa + parentNa + childNs;
        for (int i = 0; entry > 0 && i + entry <= ranges.cellCount(); i += entry) {
            long parent = low64(ranges, i + childNa, parentNa);
            long size = low64(ranges, i + childNa + parentNa, childNs);
            Optional<Long> cpu = translate(bridge.parent(), parent);
            if (cpu.isPresent() && cpu.get() >= 0 && size > 0 && cpu.get() + size > 0) out.add(new Region(cpu.get(), size));
        }
        return out;
    }
}
