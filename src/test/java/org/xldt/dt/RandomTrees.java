package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random device trees full of what the checks look at (names, cells, reg/ranges, buses, phandles,
 * providers, interrupts, graphs, /chosen, /aliases), for differential tests against dtc.
 *
 * <p>Each tree enables a random set of {@link Fault} families and is well formed otherwise: dtc
 * skips a check whose prerequisite failed anywhere in the tree (and stops after a check fails at
 * ERROR level), so a tree with every kind of fault would only exercise the first checks. Values
 * stay inside what dtc 1.6.1 reads without running past a property's end (its simple-bus, PCI,
 * I2C and graph checks read cells beyond short values, or assert), so that dtc's answers are
 * deterministic.
 */
final class RandomTrees {
    /** Families of problems; a tree holds only those it enabled. */
    enum Fault {
        // ERROR level: at most one per tree
        DUPLICATE_NODE, DUPLICATE_PROPERTY, NODE_CHARS, NODE_FORMAT, PROPERTY_CHARS, NAME_PROPERTY, PHANDLE,
        // WARNING level that blocks later checks
        REG_LENGTH, CELLS_NOT_CELL, DEFAULT_CELLS, STRING_TYPES, PCI_BRIDGE, BUS_CELLS, PROVIDER_CELLS,
    }

    private static final Fault[] ERROR_FAULTS = {
        Fault.DUPLICATE_NODE, Fault.DUPLICATE_PROPERTY, Fault.NODE_CHARS, Fault.NODE_FORMAT, Fault.PROPERTY_CHARS,
        Fault.NAME_PROPERTY, Fault.PHANDLE,
    };
    private static final Fault[] WARNING_FAULTS = {
        Fault.REG_LENGTH, Fault.CELLS_NOT_CELL, Fault.DEFAULT_CELLS, Fault.STRING_TYPES, Fault.PCI_BRIDGE,
        Fault.BUS_CELLS, Fault.PROVIDER_CELLS,
    };

    private final SplittableRandom rnd;
    private final List<Node> nodes = new ArrayList<>();
    private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    private int nextPhandle = 1;

    private RandomTrees(long seed) {
        this.rnd = new SplittableRandom(seed);
        if (rnd.nextInt(3) == 0) faults.add(ERROR_FAULTS[rnd.nextInt(ERROR_FAULTS.length)]);
        for (Fault f : WARNING_FAULTS) if (rnd.nextInt(4) == 0) faults.add(f);
    }

    static DeviceTree generate(long seed) {
        return new RandomTrees(seed).tree();
    }

    private static final String[] BASES = {
        "serial", "soc", "bus", "pci", "pcie", "i2c", "i2c-bus", "spi", "gpio", "intc", "interrupt-controller",
        "iommu", "clock", "port", "ports", "endpoint", "cpus", "cpu", "memory", "dev", "Dev_x", "foo$bar", "reg", "status",
    };
    private static final String[] UNITS = {"", "", "", "@0", "@1", "@1000", "@10", "@0x10", "@01", "@a@b", "@1,2", "@2000", "@8,0", "@48"};

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    /** A chance for a problem of family {@code f}; never when the tree did not enable it. */
    private boolean fault(Fault f, int percent) {
        return faults.contains(f) && chance(percent);
    }

    private <T> T pick(T[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private DeviceTree tree() {
        DeviceTree t = new DeviceTree();
        Node root = t.root();
        nodes.add(root);
        cellsProps(root);
        if (fault(Fault.REG_LENGTH, 20)) root.append(Property.cells("reg", 0, 0x1000));
        int n = 1 + rnd.nextInt(6);
        for (int i = 0; i < n; i++) grow(root, 1);
        if (chance(40)) chosen(root);
        if (chance(40)) aliases(root);
        for (Node node : new ArrayList<>(nodes)) decorate(node);
        graphSafeRegs(t);
        return t;
    }

    private static boolean isPciBase(String base) {
        return base.equals("pci") || base.equals("pcie");
    }

    private void grow(Node parent, int depth) {
        String base = pick(BASES);
        while (!faults.contains(Fault.NODE_CHARS) && base.contains("$")) base = pick(BASES);
        if (depth == 1 && (base.equals("endpoint") || base.equals("port"))) base = "dev";
        String unit = pick(UNITS);
        while (!faults.contains(Fault.NODE_FORMAT) && unit.equals("@a@b")) unit = pick(UNITS);
        Node node = parent.addChild(base + unit);
        nodes.add(node);
        boolean pci = isPciBase(base) && chance(60);
        if (pci && !faults.contains(Fault.PCI_BRIDGE)) {
            node.append(Property.cells("#address-cells", 3));
            node.append(Property.cells("#size-cells", 2));
        } else if ((base.startsWith("i2c") || base.equals("spi")) && !faults.contains(Fault.BUS_CELLS)) {
            node.append(Property.cells("#address-cells", 1));
            node.append(Property.cells("#size-cells", 0));
        } else {
            cellsProps(node);
        }
        if (chance(20)) add(node, Property.strings("compatible", chance(50) ? "simple-bus" : "vendor,thing"));
        if (chance(8)) add(node, Property.strings("compatible", "vendor,a", "simple-bus"));
        if (fault(Fault.STRING_TYPES, 10)) add(node, new Property("compatible", "unterminated".getBytes(StandardCharsets.US_ASCII)));
        if (pci) {
            add(node, Property.strings("device_type", "pci"));
            if (!faults.contains(Fault.PCI_BRIDGE) || chance(50)) add(node, Property.empty("ranges"));
            if (chance(50)) {
                long lo = rnd.nextInt(3);
                long hi = faults.contains(Fault.PCI_BRIDGE) ? pick(new Long[] {0L, 1L, 2L, 0x1ffL}) : lo + rnd.nextInt(3);
                add(node, Property.cells("bus-range", lo, hi));
            }
        }
        if (fault(Fault.STRING_TYPES, 10)) add(node, Property.empty("device_type"));
        if (chance(10)) add(node, Property.strings("status", chance(50) ? "disabled" : "okay"));
        if (depth < 4) {
            int kids = rnd.nextInt(depth == 1 ? 4 : 3);
            for (int i = 0; i < kids; i++) grow(node, depth + 1);
        }
        if (fault(Fault.DUPLICATE_NODE, 10) && !node.children().isEmpty()) node.add(new Node(node.children().get(0).name()));
    }

    private void cellsProps(Node node) {
        boolean explicit = !faults.contains(Fault.DEFAULT_CELLS) || chance(50);
        if (explicit || chance(30)) {
            node.append(fault(Fault.CELLS_NOT_CELL, 15) ? Property.cells("#address-cells", 1, 1) : Property.cells("#address-cells", rnd.nextInt(4)));
        }
        if (explicit || chance(30)) {
            node.append(fault(Fault.CELLS_NOT_CELL, 15) ? Property.empty("#size-cells") : Property.cells("#size-cells", rnd.nextInt(3)));
        }
    }

    /** The parent's #address-cells/#size-cells as dtc reads them (2/1 when absent). */
    private static int[] cellsOf(Node n) {
        Property a = n.property("#address-cells");
        Property s = n.property("#size-cells");
        int ac = a == null || a.length() != 4 || (int) a.cell(0) == -1 ? 2 : (int) a.cell(0);
        int sc = s == null || s.length() != 4 || (int) s.cell(0) == -1 ? 1 : (int) s.cell(0);
        return new int[] {ac, sc};
    }

    /**
     * dtc 1.6.1's graph_child_address reads the {@code reg} of a graph port's children (and of
     * the port's siblings) as one cell and asserts otherwise: give those one cell.
     */
    private static void graphSafeRegs(DeviceTree t) {
        List<Node> ports = new ArrayList<>();
        t.walk(n -> {
            for (Node c : n.children()) {
                if (c.baseName().equals("endpoint") || c.has("remote-endpoint")) {
                    ports.add(n);
                    break;
                }
            }
        });
        for (Node port : ports) {
            List<Node> affected = new ArrayList<>(port.children());
            if (port.parent() != null) affected.addAll(port.parent().children());
            for (Node c : affected) {
                Property reg = c.property("reg");
                if (reg != null && reg.length() != 4) c.set(Property.cells("reg", reg.length() >= 4 ? reg.cell(0) : 0));
            }
        }
    }

    /** True if dtc might treat {@code n} as a bus whose checks read the children's cells. */
    private static boolean busLike(Node n) {
        if (n == null) return false;
        String b = n.baseName();
        if (n.has("compatible") || n.has("device_type") || b.startsWith("i2c") || b.startsWith("spi")) return true;
        return !n.children().isEmpty(); // a child may get spi- properties
    }

    private long randomCell() {
        if (chance(70)) return rnd.nextInt(4) * 0x1000L;
        if (chance(80)) return rnd.nextInt(0x100);
        return (long) rnd.nextInt(3) << 16 | (long) rnd.nextInt(0x100) << 8;
    }

    private long[] randomCells(int count) {
        long[] c = new long[count];
        for (int i = 0; i < count; i++) c[i] = randomCell();
        return c;
    }

    /** A reg made of whole (address, size) entries for the parent's cells, often matching the unit address. */
    private void reg(Node node) {
        Node parent = node.parent();
        boolean safe = !busLike(parent);
        if (fault(Fault.REG_LENGTH, 20)) {
            if (safe && chance(30)) add(node, new Property("reg", new byte[1 + rnd.nextInt(7)]));
            else if (chance(20)) add(node, Property.empty("reg"));
            else add(node, Property.cells("reg", randomCells(3 + rnd.nextInt(4))));
            return;
        }
        int[] pc = cellsOf(parent);
        int entry = pc[0] + pc[1];
        if (parent.has("device_type") && entry >= 3 && chance(80)) {
            // a PCI function: config-space address bus/device/function, often matching the unit name
            long bus = rnd.nextInt(4);
            long dev = rnd.nextInt(0x20);
            long fn = chance(70) ? 0 : rnd.nextInt(8);
            String unit = node.unitAddress();
            if (unit.matches("[0-9a-f]{1,2}(,[0-7])?") && chance(70)) {
                String[] parts = unit.split(",");
                dev = Long.parseLong(parts[0], 16) & 0x1f;
                fn = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            }
            long[] cells = new long[entry];
            cells[0] = bus << 16 | dev << 11 | fn << 8 | (chance(10) ? 0x10 : 0) | (chance(5) ? 0x2000000 : 0);
            if (entry > 1 && chance(10)) cells[1] = 1;
            add(node, Property.cells("reg", cells));
            return;
        }
        if (entry <= 0 || entry > 6) return;
        int entries = chance(80) ? 1 : 2;
        while (entry * entries < 3 && !safe) entries++; // bus checks read up to 3 cells
        long[] cells = randomCells(entry * entries);
        String unit = node.unitAddress();
        if (pc[0] > 0 && chance(60) && unit.matches("[0-9a-f]{1,8}")) {
            cells[pc[0] - 1] = Long.parseLong(unit, 16);
            for (int i = 0; i < pc[0] - 1; i++) cells[i] = 0;
        }
        add(node, Property.cells("reg", cells));
    }

    private void ranges(Node node) {
        if (chance(40)) {
            add(node, Property.empty("ranges"));
            return;
        }
        int[] pc = cellsOf(node.parent());
        int[] cc = cellsOf(node);
        int entry = pc[0] + cc[0] + cc[1];
        int count = fault(Fault.REG_LENGTH, 30) ? 6 + rnd.nextInt(3) : entry * (1 + rnd.nextInt(2));
        add(node, Property.cells("ranges", randomCells(Math.max(count, 6))));
    }

    private void decorate(Node node) {
        if (!node.isRoot() && chance(60)) reg(node);
        if (!node.isRoot() && chance(15)) ranges(node);
        if (!node.isRoot() && chance(5)) add(node, Property.cells("dma-ranges", randomCells(chance(50) ? 6 : 7)));
        if (chance(30) || node.baseName().contains("intc") || node.baseName().startsWith("interrupt")) {
            long ph = fault(Fault.PHANDLE, 10) && nextPhandle > 1 ? nextPhandle - 1 : nextPhandle++;
            if (fault(Fault.PHANDLE, 5)) ph = chance(50) ? 0 : 0xffffffffL;
            if (chance(3)) add(node, Property.cells("linux,phandle", (ph + (fault(Fault.PHANDLE, 50) ? 1 : 0)) & 0xffffffffL));
            if (fault(Fault.PHANDLE, 5)) add(node, new Property("phandle", new byte[3]));
            else add(node, Property.cells("phandle", ph));
        }
        if (node.baseName().contains("intc") || node.baseName().startsWith("interrupt") || chance(5)) {
            add(node, Property.empty(chance(85) ? "interrupt-controller" : "interrupt-map"));
            if (chance(85)) {
                add(node, fault(Fault.PROVIDER_CELLS, 25) ? Property.cells("#interrupt-cells", 1, 2) : Property.cells("#interrupt-cells", 1 + rnd.nextInt(3)));
            }
        }
        if (chance(20)) add(node, Property.cells("interrupt-parent", anyPhandle()));
        if (chance(25)) add(node, Property.cells("interrupts", randomCells(rnd.nextInt(7))));
        if (chance(3)) add(node, new Property("interrupts", new byte[5]));
        providerProps(node);
        if (chance(5)) add(node, Property.strings("model", "m"));
        if (chance(3)) add(node, Property.cells("model", 1));
        if (chance(3)) add(node, Property.strings("label", "a", "b"));
        if (chance(2)) add(node, new Property("status", new byte[] {'o', 'k'}));
        if (chance(5)) add(node, Property.strings("clock-names", "a", "b"));
        if (chance(3)) add(node, new Property("reg-names", new byte[] {'x'}));
        if (chance(4) || fault(Fault.NAME_PROPERTY, 10)) {
            add(node, Property.strings("name", fault(Fault.NAME_PROPERTY, 50) ? "other" : node.baseName()));
        }
        if (fault(Fault.NAME_PROPERTY, 3)) add(node, Property.cells("name", 5));
        boolean spiParent = !node.isRoot() && node.parent().baseName().equals("spi");
        if (chance(spiParent ? 50 : 2) || fault(Fault.BUS_CELLS, 5)) add(node, Property.cells("spi-max-frequency", 1000000));
        if (chance(2)) add(node, Property.empty("spi-slave"));
        if (chance(3) && !node.children().isEmpty()) {
            String child = node.children().get(0).name();
            if (faults.contains(Fault.PROPERTY_CHARS) || NameChecks.span(child, NameChecks.PROP_CHARS) == child.length()) {
                add(node, Property.empty(child));
            }
        }
        if (fault(Fault.PROPERTY_CHARS, 5)) add(node, Property.cells("weird$name", 1));
        if (fault(Fault.DUPLICATE_PROPERTY, 5) && !node.properties().isEmpty()) node.append(node.properties().get(0));
        if (node.depth() >= 2 && chance(15)) add(node, Property.cells("remote-endpoint", anyPhandle()));
        if (chance(3)) add(node, Property.empty("gpio-hog"));
    }

    /** Appends {@code p} unless the node has a property of that name (DUPLICATE_PROPERTY trees may get one). */
    private void add(Node node, Property p) {
        if (!node.has(p.name()) || fault(Fault.DUPLICATE_PROPERTY, 30)) node.append(p);
    }

    private long anyPhandle() {
        if (chance(5)) return 0;
        if (chance(5)) return 0xffffffffL;
        return 1 + rnd.nextInt(nextPhandle + 2);
    }

    private void providerProps(Node node) {
        String[][] providers = {
            {"clocks", "#clock-cells"}, {"iommus", "#iommu-cells"}, {"msi-parent", "#msi-cells"},
            {"resets", "#reset-cells"}, {"interrupts-extended", "#interrupt-cells"}, {"gpios", "#gpio-cells"},
            {"reset-gpios", "#gpio-cells"}, {"power-domains", "#power-domain-cells"}, {"dmas", "#dma-cells"},
            {"cooling-device", "#cooling-cells"}, {"hwlocks", "#hwlock-cells"}, {"io-channels", "#io-channel-cells"},
            {"mboxes", "#mbox-cells"}, {"mux-controls", "#mux-control-cells"}, {"phys", "#phy-cells"}, {"pwms", "#pwm-cells"},
            {"sound-dai", "#sound-dai-cells"}, {"thermal-sensors", "#thermal-sensor-cells"},
        };
        for (String[] p : providers) {
            if (chance(8) && !p[1].equals("#interrupt-cells")) {
                boolean bad = fault(Fault.PROVIDER_CELLS, 20) && !p[1].equals("#gpio-cells"); // dtc asserts on a bad #gpio-cells
                add(node, bad ? Property.cells(p[1], 1, 1) : Property.cells(p[1], rnd.nextInt(3)));
            }
            if (chance(6)) {
                int entries = 1 + rnd.nextInt(3);
                long[] cells = new long[entries * (1 + rnd.nextInt(3))];
                for (int i = 0; i < cells.length; i++) cells[i] = chance(60) ? anyPhandle() : rnd.nextInt(4);
                add(node, chance(95) ? Property.cells(p[0], cells) : new Property(p[0], new byte[6]));
            }
        }
    }

    private void chosen(Node root) {
        Node chosen = root.childOrCreate("chosen");
        if (chance(50)) add(chosen, chance(70) ? Property.strings("bootargs", "console=ttyAMA0") : Property.strings("bootargs", "a", "b"));
        if (chance(30)) add(chosen, Property.strings("linux,stdout-path", "/serial"));
        if (chance(30)) add(chosen, chance(70) ? Property.strings("stdout-path", "serial0") : Property.cells("stdout-path", 3));
        if (chance(20)) add(chosen, Property.empty("interrupt-controller"));
        if (chance(20) && !root.children().isEmpty()) root.children().get(0).addChild("chosen");
    }

    private void aliases(Node root) {
        Node aliases = root.childOrCreate("aliases");
        for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
            Node target = nodes.get(rnd.nextInt(nodes.size()));
            String path = chance(75) ? target.path() : chance(50) ? "/nonexistent" : target.name();
            String name = chance(80) ? "serial" + i : "Serial_" + i;
            add(aliases, chance(95) ? Property.strings(name, path) : Property.empty(name));
        }
    }
}
