package org.xldt.dt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks on phandles and the properties that hold them: explicit phandle values, references,
 * phandle+specifier lists ({@code clocks}, {@code iommus}, ...), interrupts, {@code iommu-map},
 * and xldt's "no dangling phandle" check.
 */
final class PhandleChecks {
    private PhandleChecks() {
    }

    /** A phandle+specifier property and the cells property its targets carry (dtc's provider). */
    record Provider(String property, String cellsProperty, boolean optional) {
        /** The dtc check name stem: {@code power-domains} gives {@code power_domains}. */
        String stem() {
            return property.replace('-', '_');
        }
    }

    /** dtc 1.6.1's providers, in its table order. */
    static final List<Provider> DTC_PROVIDERS = List.of(
            new Provider("clocks", "#clock-cells", false),
            new Provider("cooling-device", "#cooling-cells", false),
            new Provider("dmas", "#dma-cells", false),
            new Provider("hwlocks", "#hwlock-cells", false),
            new Provider("interrupts-extended", "#interrupt-cells", false),
            new Provider("io-channels", "#io-channel-cells", false),
            new Provider("iommus", "#iommu-cells", false),
            new Provider("mboxes", "#mbox-cells", false),
            new Provider("msi-parent", "#msi-cells", true),
            new Provider("mux-controls", "#mux-control-cells", false),
            new Provider("phys", "#phy-cells", false),
            new Provider("power-domains", "#power-domain-cells", false),
            new Provider("pwms", "#pwm-cells", false),
            new Provider("resets", "#reset-cells", false),
            new Provider("sound-dai", "#sound-dai-cells", false),
            new Provider("thermal-sensors", "#thermal-sensor-cells", false));

    // ---- explicit phandles and references ---------------------------------------------------------

    /** dtc's {@code check_phandle_prop}: the valid value of {@code phandle}/{@code linux,phandle}, or 0. */
    private static long phandleProp(CheckContext ctx, Node node, String name) {
        Property p = ctx.prop(node, name);
        if (p == null) return 0;
        if (p.length() != 4) {
            ctx.failProp(node, p, "bad length (" + p.length() + ") " + p.name() + " property");
            return 0;
        }
        for (Marker m : p.markers()) {
            if (m.kind() != Marker.Kind.REF_PHANDLE) continue;
            // a reference to the node itself means "allocate one"; to another node is nonsense
            if (ctx.nodeByRef(m.ref()) != node) ctx.fail(node, p.name() + " is a reference to another node");
            return 0;
        }
        long ph = p.cell(0);
        if (!CheckContext.isValidPhandle(ph)) {
            ctx.failProp(node, p, "bad value (0x" + Long.toHexString(ph) + ") in " + p.name() + " property");
            return 0;
        }
        return ph;
    }

    static void explicitPhandles(CheckContext ctx, Node node) {
        long ph = phandleProp(ctx, node, "phandle");
        long lph = phandleProp(ctx, node, "linux,phandle");
        if (ph == 0 && lph == 0) return;
        if (ph != 0 && lph != 0 && ph != lph) ctx.fail(node, "mismatching 'phandle' and 'linux,phandle' properties");
        if (ph == 0) ph = lph;
        Node other = ctx.assignedPhandle(ph);
        if (other != null && other != node) {
            ctx.fail(node, "duplicated phandle 0x" + Long.toHexString(ph) + " (seen before at " + other.path() + ")");
            return;
        }
        ctx.assignPhandle(ph, node);
    }

    static void phandleReferences(CheckContext ctx, Node node) {
        references(ctx, node, Marker.Kind.REF_PHANDLE, !ctx.tree().isPlugin());
    }

    static void pathReferences(CheckContext ctx, Node node) {
        references(ctx, node, Marker.Kind.REF_PATH, true);
    }

    private static void references(CheckContext ctx, Node node, Marker.Kind kind, boolean report) {
        for (Property p : ctx.props(node)) {
            for (Marker m : p.markers()) {
                if (m.kind() == kind && ctx.nodeByRef(m.ref()) == null && report) {
                    ctx.fail(node, "Reference to non-existent node or label \"" + m.ref() + "\"");
                }
            }
        }
    }

    // ---- phandle + specifier lists --------------------------------------------------------------------

    /** dtc's {@code check_property_phandle_args}. */
    static void phandleArgs(CheckContext ctx, Node node, Property prop, String cellsName, boolean optional) {
        int len = prop.length();
        if (len % 4 != 0) {
            ctx.failProp(node, prop, "property size (" + len + ") is invalid, expected multiple of 4");
            return;
        }
        long cellSize = 0;
        for (long cell = 0; cell < len / 4; cell += cellSize + 1) {
            long ph = prop.cell((int) cell);
            if (!CheckContext.isValidPhandle(ph)) {
                // 0 and -1 skip optional entries; an overlay's external references stop the scan
                if (ctx.tree().isPlugin()) break;
                cellSize = 0;
                continue;
            }
            if (!prop.markers().isEmpty() && !hasRefAt(prop, cell * 4)) {
                ctx.failProp(node, prop, "cell " + cell + " is not a phandle reference");
            }
            Node provider = ctx.assignedPhandle(ph);
            if (provider == null) {
                ctx.failProp(node, prop, "Could not get phandle node for (cell " + cell + ")");
                break;
            }
            Property cp = ctx.prop(provider, cellsName);
            if (cp != null) {
                if (cp.length() != 4) break; // dtc asserts here; the _is_cell checks report it
                cellSize = cp.cell(0);
            } else if (optional) {
                cellSize = 0;
            } else {
                ctx.fail(node, "Missing property '" + cellsName + "' in node " + provider.path()
                        + " or bad phandle (referred from " + prop.name() + "[" + cell + "])");
                break;
            }
            if (len < (cell + cellSize + 1) * 4) {
                ctx.failProp(node, prop, "property size (" + len + ") too small for cell size " + (int) cellSize);
            }
        }
    }

    private static boolean hasRefAt(Property p, long offset) {
        for (Marker m : p.markers()) if (m.kind() == Marker.Kind.REF_PHANDLE && m.offset() == offset) return true;
        return false;
    }

    /** The check function of one provider ({@code iommus_property}, ...). */
    static Check.Fn providerCheck(Provider provider) {
        return (ctx, node) -> {
            Property p = ctx.prop(node, provider.property());
            if (p != null) phandleArgs(ctx, node, p, provider.cellsProperty(), provider.optional());
        };
    }

    /** dtc's {@code prop_is_gpio}. */
    static boolean isGpioProperty(String name) {
        if (name.endsWith(",nr-gpios")) return false;
        return name.endsWith("-gpios") || name.equals("gpios") || name.endsWith("-gpio") || name.equals("gpio");
    }

    static void gpiosProperty(CheckContext ctx, Node node) {
        if (ctx.prop(node, "gpio-hog") != null) return; // a hog's gpios are not phandles
        for (Property p : ctx.props(node)) {
            if (isGpioProperty(p.name())) phandleArgs(ctx, node, p, "#gpio-cells", false);
        }
    }

    static void deprecatedGpioProperty(CheckContext ctx, Node node) {
        for (Property p : ctx.props(node)) {
            if (isGpioProperty(p.name()) && p.name().endsWith("gpio")) {
                ctx.failProp(node, p, "'[*-]gpio' is deprecated, use '[*-]gpios' instead");
            }
        }
    }

    // ---- interrupts -------------------------------------------------------------------------------------

    static boolean isInterruptProvider(CheckContext ctx, Node n) {
        return ctx.prop(n, "interrupt-controller") != null || ctx.prop(n, "interrupt-map") != null;
    }

    static void interruptProvider(CheckContext ctx, Node node) {
        if (!isInterruptProvider(ctx, node)) return;
        if (ctx.prop(node, "#interrupt-cells") == null) ctx.fail(node, "Missing #interrupt-cells in interrupt provider");
        if (ctx.prop(node, "#address-cells") == null) ctx.fail(node, "Missing #address-cells in interrupt provider");
    }

    static void interruptsProperty(CheckContext ctx, Node node) {
        Property irq = ctx.prop(node, "interrupts");
        if (irq == null) return;
        if (irq.length() % 4 != 0) {
            ctx.failProp(node, irq, "size (" + irq.length() + ") is invalid, expected multiple of 4");
        }
        Node irqNode = null;
        for (Node parent = node; parent != null; parent = parent.parent()) {
            if (parent != node && isInterruptProvider(ctx, parent)) {
                irqNode = parent;
                break;
            }
            Property ip = ctx.prop(parent, "interrupt-parent");
            if (ip == null) continue;
            if (ip.length() != 4) return; // dtc asserts here; interrupt_parent reports it
            long ph = ip.cell(0);
            if (!CheckContext.isValidPhandle(ph)) {
                if (ctx.tree().isPlugin()) return;
                ctx.failProp(parent, ip, "Invalid phandle");
                break;
            }
            irqNode = ctx.assignedPhandle(ph);
            if (irqNode == null) {
                ctx.failProp(parent, ip, "Bad phandle");
                return;
            }
            if (!isInterruptProvider(ctx, irqNode)) ctx.fail(irqNode, "Missing interrupt-controller or interrupt-map property");
            break;
        }
        if (irqNode == null) {
            ctx.fail(node, "Missing interrupt-parent");
            return;
        }
        Property cells = ctx.prop(irqNode, "#interrupt-cells");
        if (cells == null || cells.length() != 4) return; // reported by interrupt_provider / is_cell
        long irqCells = cells.cell(0);
        if (!CheckContext.isMultipleOf(irq.length(), irqCells * 4)) {
            // dtc names the parent's #interrupt-cells property here, on this node's path
            ctx.failProp(node, cells, "size is (" + irq.length() + "), expected multiple of " + (int) (irqCells * 4));
        }
    }

    /** xldt: {@code interrupt-parent} is one phandle of an interrupt controller or interrupt-map node. */
    static void interruptParent(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "interrupt-parent");
        if (p == null) return;
        if (p.length() != 4) {
            ctx.failProp(node, p, "property is not a single cell");
            return;
        }
        long ph = p.cell(0);
        if (!CheckContext.isValidPhandle(ph)) {
            if (!ctx.tree().isPlugin()) ctx.failProp(node, p, "invalid phandle 0x" + Long.toHexString(ph));
            return;
        }
        Node target = ctx.nodeByPhandle(ph);
        if (target == null) {
            ctx.failProp(node, p, "phandle 0x" + Long.toHexString(ph) + " points at no node");
        } else if (!isInterruptProvider(ctx, target)) {
            ctx.failProp(node, p, "phandle 0x" + Long.toHexString(ph) + " points at " + target.path()
                    + ", which has neither interrupt-controller nor interrupt-map");
        }
    }

    // ---- iommu-map ---------------------------------------------------------------------------------------

    /** xldt: {@code iommu-map} is a list of (rid-base, phandle, iommu-base, length) for IOMMUs with one cell. */
    static void iommuMap(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "iommu-map");
        if (p == null) return;
        if (p.length() == 0 || p.length() % 16 != 0) {
            ctx.failProp(node, p, "property size (" + p.length()
                    + ") is invalid, expected a non-zero multiple of 16 (rid-base, phandle, iommu-base, length)");
            return;
        }
        for (int e = 0; e < p.length() / 16; e++) {
            long rid = p.cell(4 * e);
            long ph = p.cell(4 * e + 1);
            long length = p.cell(4 * e + 3);
            String at = "entry " + e + ": ";
            if (!CheckContext.isValidPhandle(ph)) {
                if (!ctx.tree().isPlugin()) ctx.failProp(node, p, at + "invalid phandle 0x" + Long.toHexString(ph));
                continue;
            }
            Node target = ctx.nodeByPhandle(ph);
            if (target == null) {
                ctx.failProp(node, p, at + "phandle 0x" + Long.toHexString(ph) + " points at no node");
                continue;
            }
            Property cells = ctx.prop(target, "#iommu-cells");
            if (cells == null) {
                ctx.failProp(node, p, at + target.path() + " has no #iommu-cells");
            } else if (cells.length() != 4 || cells.cell(0) != 1) {
                ctx.failProp(node, p, at + target.path() + " has #iommu-cells = "
                        + (cells.length() == 4 ? "<" + cells.cell(0) + ">" : "(" + cells.length() + " bytes)")
                        + ", iommu-map needs 1");
            }
            if (length == 0) {
                ctx.failProp(node, p, at + "length is 0");
            } else if (rid + length > 0x1_0000_0000L) {
                ctx.failProp(node, p, at + "rid-base 0x" + Long.toHexString(rid) + " + length 0x"
                        + Long.toHexString(length) + " exceeds 32 bits");
            }
        }
    }

    /** xldt: {@code iommu-map-mask} is one cell, next to an {@code iommu-map}. */
    static void iommuMapMask(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "iommu-map-mask");
        if (p == null) return;
        if (p.length() != 4) ctx.failProp(node, p, "property is not a single cell");
        else if (ctx.prop(node, "iommu-map") == null) ctx.failProp(node, p, "iommu-map-mask without iommu-map");
    }

    // ---- dangling phandles ----------------------------------------------------------------------------------

    /** Properties whose cells are phandle + specifier, and the specifier's cells property. */
    static final Map<String, Provider> SPECIFIER_PROPERTIES = new LinkedHashMap<>();

    static {
        for (Provider p : DTC_PROVIDERS) SPECIFIER_PROPERTIES.put(p.property(), p);
        for (Provider p : List.of(
                new Provider("assigned-clocks", "#clock-cells", false),
                new Provider("assigned-clock-parents", "#clock-cells", false),
                new Provider("interconnects", "#interconnect-cells", false),
                new Provider("nvmem-cells", "#nvmem-cell-cells", true))) {
            SPECIFIER_PROPERTIES.put(p.property(), p);
        }
    }

    /** Properties whose every cell is a phandle (besides {@code pinctrl-N}). */
    static final Set<String> PHANDLE_LIST_PROPERTIES = Set.of(
            "interrupt-parent", "memory-region", "remote-endpoint", "next-level-cache", "cpu-idle-states",
            "operating-points-v2", "interrupt-affinity", "phy-handle", "cpu", "trip", "sram");

    /** Properties made of (rid-base, phandle, base, length) entries. */
    static final Set<String> RID_MAP_PROPERTIES = Set.of("iommu-map", "msi-map");

    static boolean isPinctrl(String name) {
        if (!name.startsWith("pinctrl-") || name.length() == 8) return false;
        for (int i = 8; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return false;
        return true;
    }

    /**
     * xldt: every phandle cell of a known phandle-bearing property names an existing node. Cells
     * 0 and 0xffffffff are placeholders and skipped (as dtc does); a scan stops where the
     * specifier size cannot be known (target without its cells property).
     */
    static void danglingPhandles(CheckContext ctx, Node node) {
        PhandleRefs.Resolver r = new PhandleRefs.Resolver() {
            @Override
            public Node node(long phandle) {
                return ctx.nodeByPhandle(phandle);
            }

            @Override
            public Property prop(Node n, String name) {
                return ctx.prop(n, name);
            }
        };
        for (Property p : ctx.props(node)) {
            for (int i : PhandleRefs.cells(node, p, r)) {
                long ph = p.cell(i);
                if (ctx.nodeByPhandle(ph) == null) {
                    ctx.failProp(node, p, "phandle 0x" + Long.toHexString(ph) + " (cell " + i + ") points at no node");
                }
            }
        }
    }
}
