package org.xldt.dt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bus addresses of a device tree: the {@code #address-cells}/{@code #size-cells} a node's
 * {@code reg} is written in, its entries, and their translation to CPU (root) addresses through
 * the {@code ranges} of every bus above it, as the Devicetree Specification (§2.3.8) defines it.
 * An empty {@code ranges} is the identity; a bus without {@code ranges} does not translate
 * (its children have no CPU address).
 */
public final class Addresses {
    /** The specification's defaults when a bus has no cells properties. */
    public static final int DEFAULT_ADDRESS_CELLS = 2;
    public static final int DEFAULT_SIZE_CELLS = 1;

    private Addresses() {
    }

    /** An address range. */
    public record Range(long address, long size) {
        public long end() {
            return address + size;
        }

        public boolean overlaps(Range o) {
            return address < o.end() && o.address < end();
        }
    }

    /** {@code #address-cells} of {@code bus} (the cells its children's addresses use). */
    public static int addressCells(Node bus) {
        return (int) bus.u32("#address-cells", DEFAULT_ADDRESS_CELLS);
    }

    /** {@code #size-cells} of {@code bus}. */
    public static int sizeCells(Node bus) {
        return (int) bus.u32("#size-cells", DEFAULT_SIZE_CELLS);
    }

    /**
     * The entries of {@code node}'s {@code reg} in its parent's cells; empty when there is no
     * {@code reg}, when the cells are not 1 or 2 (or 0 for sizes), or when the length does not fit.
     */
    public static List<Range> reg(Node node) {
        Node parent = node.parent();
        Property reg = node.property("reg");
        if (parent == null || reg == null) return List.of();
        int ac = addressCells(parent);
        int sc = sizeCells(parent);
        if (ac < 1 || ac > 2 || sc < 0 || sc > 2) return List.of();
        int entry = (ac + sc) * 4;
        if (reg.length() == 0 || reg.length() % entry != 0) return List.of();
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < reg.length() / entry; i++) {
            int cell = i * (ac + sc);
            out.add(new Range(reg.cellsAsLong(cell, ac), sc == 0 ? 0 : reg.cellsAsLong(cell + ac, sc)));
        }
        return out;
    }

    /**
     * {@code address}, an address in the address space of {@code bus}'s children, as a CPU
     * address; empty when some bus on the way has no {@code ranges} or no range holds it.
     */
    public static Optional<Long> toCpu(Node bus, long address) {
        long a = address;
        for (Node b = bus; b.parent() != null; b = b.parent()) {
            Property ranges = b.property("ranges");
            if (ranges == null) return Optional.empty();
            if (ranges.length() == 0) continue;
            int ca = addressCells(b);
            int pa = addressCells(b.parent());
            int cs = sizeCells(b);
            if (ca < 1 || pa < 1 || cs < 1 || ca > 3 || pa > 2 || cs > 2) return Optional.empty();
            int entry = ca + pa + cs;
            if (ranges.length() % (entry * 4) != 0) return Optional.empty();
            boolean found = false;
            for (int i = 0; i < ranges.cellCount() / entry; i++) {
                int c = i * entry;
                // a 3-cell child address (PCI) keeps its low 64 bits
                long child = ranges.cellsAsLong(c + ca - Math.min(ca, 2), Math.min(ca, 2));
                long parent = ranges.cellsAsLong(c + ca, pa);
                long size = ranges.cellsAsLong(c + ca + pa, cs);
                if (a >= child && a - child < size) {
                    a = parent + (a - child);
                    found = true;
                    break;
                }
            }
            if (!found) return Optional.empty();
        }
        return Optional.of(a);
    }

    /** The {@code reg} entries of {@code node} as CPU addresses; empty if one does not translate. */
    public static Optional<List<Range>> cpuReg(Node node) {
        List<Range> out = new ArrayList<>();
        for (Range r : reg(node)) {
            Optional<Long> a = toCpu(node.parent(), r.address());
            if (a.isEmpty()) return Optional.empty();
            out.add(new Range(a.get(), r.size()));
        }
        return Optional.of(out);
    }
}
