package org.xldt.dt;

import java.util.ArrayList;
import java.util.List;

/**
 * Which cells of a property are phandles, for the properties whose meaning is known: the
 * phandle + specifier lists ({@code clocks}, {@code resets}, {@code dmas}, {@code iommus},
 * {@code *-gpios}...; the specifier size read from the target's {@code #...-cells}), the lists of
 * plain phandles ({@code interrupt-parent}, {@code memory-region}, {@code pinctrl-N},
 * {@code phy-handle}...), the (rid-base, phandle, base, length) maps ({@code iommu-map},
 * {@code msi-map}) and {@code interrupt-map}. Cells 0 and 0xffffffff are placeholders, not
 * phandles. A scan stops after a phandle whose target is unknown or lacks its cells property,
 * because the size of its specifier cannot be known.
 */
public final class PhandleRefs {
    private PhandleRefs() {
    }

    /** How a scan resolves phandles and reads properties. */
    public interface Resolver {
        /** The node with that phandle, or null. */
        Node node(long phandle);

        /** A property of a node, or null. */
        default Property prop(Node node, String name) {
            return node.property(name);
        }
    }

    /** A resolver over a whole tree (one walk to index its phandles). */
    public static Resolver of(DeviceTree tree) {
        var map = tree.phandles();
        return ph -> ph > 0xffffffffL || ph < 0 ? null : map.get((int) ph);
    }

    /** Whether {@code name} is a property whose phandle cells {@link #cells} can find. */
    public static boolean isKnown(Node node, String name) {
        return PhandleChecks.SPECIFIER_PROPERTIES.containsKey(name)
                || (node.property("gpio-hog") == null && PhandleChecks.isGpioProperty(name))
                || PhandleChecks.PHANDLE_LIST_PROPERTIES.contains(name) || PhandleChecks.isPinctrl(name)
                || PhandleChecks.RID_MAP_PROPERTIES.contains(name) || name.equals("interrupt-map");
    }

    /**
     * The indexes of the cells of {@code p} (a property of {@code node}) that hold phandles, in
     * order; empty for a property not known to hold phandles or of a length that is no whole
     * number of cells.
     */
    public static List<Integer> cells(Node node, Property p, Resolver r) {
        List<Integer> out = new ArrayList<>();
        if (p.length() % 4 != 0) return out;
        String name = p.name();
        boolean hog = r.prop(node, "gpio-hog") != null;
        PhandleChecks.Provider spec = PhandleChecks.SPECIFIER_PROPERTIES.get(name);
        if (spec == null && !hog && PhandleChecks.isGpioProperty(name)) spec = new PhandleChecks.Provider(name, "#gpio-cells", false);
        if (spec != null) {
            specifiers(p, spec, r, out);
        } else if (PhandleChecks.PHANDLE_LIST_PROPERTIES.contains(name) || PhandleChecks.isPinctrl(name)) {
            for (int i = 0; i < p.cellCount(); i++) if (CheckContext.isValidPhandle(p.cell(i))) out.add(i);
        } else if (PhandleChecks.RID_MAP_PROPERTIES.contains(name)) {
            for (int i = 1; i < p.cellCount(); i += 4) if (CheckContext.isValidPhandle(p.cell(i))) out.add(i);
        } else if (name.equals("interrupt-map")) {
            interruptMap(node, p, r, out);
        }
        return out;
    }

    private static void specifiers(Property p, PhandleChecks.Provider spec, Resolver r, List<Integer> out) {
        int n = p.cellCount();
        for (long cell = 0; cell < n; ) {
            if (!CheckContext.isValidPhandle(p.cell((int) cell))) {
                cell++;
                continue;
            }
            out.add((int) cell);
            Node t = r.node(p.cell((int) cell));
            if (t == null) return;
            Property cp = r.prop(t, spec.cellsProperty());
            long size;
            if (cp == null) {
                if (!spec.optional()) return;
                size = 0;
            } else if (cp.length() != 4) {
                return;
            } else {
                size = cp.cell(0);
            }
            cell += 1 + size;
        }
    }

    private static void interruptMap(Node node, Property p, Resolver r, List<Integer> out) {
        Property ac = r.prop(node, "#address-cells");
        Property ic = r.prop(node, "#interrupt-cells");
        if (ac == null || ic == null || ac.length() != 4 || ic.length() != 4) return;
        long childCells = ac.cell(0) + ic.cell(0);
        int n = p.cellCount();
        for (long cell = childCells; cell < n; cell += childCells) {
            if (!CheckContext.isValidPhandle(p.cell((int) cell))) return;
            out.add((int) cell);
            Node t = r.node(p.cell((int) cell));
            if (t == null) return;
            Property pic = r.prop(t, "#interrupt-cells");
            Property pac = r.prop(t, "#address-cells");
            if (pic == null || pic.length() != 4 || (pac != null && pac.length() != 4)) return;
            cell += 1 + pic.cell(0) + (pac == null ? 0 : pac.cell(0));
        }
    }
}
