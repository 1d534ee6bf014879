package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random device trees full of what the checks look at (names, cells, reg/ranges, buses, phandles,
 * providers, interrupts, graphs, /chosen, /aliases), for differential tests against dtc. Values
 * are kept inside what dtc 1.6.1 reads without running past a property's end (its simple-bus, PCI
 * and I2C checks read cells beyond short values), so that dtc's answers are deterministic.
 */
final class RandomTrees {
    private final SplittableRandom rnd;
    private final List<Node> nodes = new ArrayList<>();
    private int nextPhandle = 1;
    /**
     * The one kind of ERROR-level problem this tree may hold, or null (dtc stops after the first
     * check that fails at ERROR level, so one kind per tree lets each be seen).
     */
    private final Err errors;

    private enum Err { DUPLICATE_NODE, DUPLICATE_PROPERTY, NODE_CHARS, NODE_FORMAT, PROPERTY_CHARS, NAME_PROPERTY, PHANDLE }

    private RandomTrees(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.errors = rnd.nextInt(3) == 0 ? Err.values()[rnd.nextInt(Err.values().length)] : null;
    }

    static DeviceTree generate(long seed) {
        return new RandomTrees(seed).tree();
    }

    private static final String[] BASES = {
        "serial", "soc", "bus", "pci", "pcie", "i2c", "i2c-bus", "spi", "gpio", "intc", "interrupt-controller",
        "iommu", "clock", "port", "ports", "endpoint", "cpus", "cpu", "memory", "dev", "Dev_x", "foo$bar", "reg", "status",
    };
    private static final String[] UNITS = {"", "", "", "@0", "@1", "@1000", "@10", "@0x10", "@01", "@a@b", "@1,2", "@2000", "@8,0"};

    /** A chance for a feature that dtc reports at ERROR level. */
    private boolean errorChance(Err kind, int percent) {
        return errors == kind && chance(percent);
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private <T> T pick(T[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private DeviceTree tree() {
        DeviceTree t = new DeviceTree();
        Node root = t.root();
        nodes.add(root);
        cellsProps(root);
        if (chance(5)) add(root, Property.cells("reg", 0, 0x1000));
        int n = 1 + rnd.nextInt(6);
        for (int i = 0; i < n; i++) grow(root, 1);
        if (chance(40)) chosen(root);
        if (chance(40)) aliases(root);
        for (Node node : new ArrayList<>(nodes)) decorate(node);
        graphSafeRegs(t);
        return t;
    }

    private void grow(Node parent, int depth) {
        String base = pick(BASES);
        while (errors != Err.NODE_CHARS && base.contains("$")) base = pick(BASES);
        if (depth == 1 && (base.equals("endpoint") || base.equals("port"))) base = "dev";
        String unit = pick(UNITS);
        while (errors != Err.NODE_FORMAT && unit.equals("@a@b")) unit = pick(UNITS);
        Node node = parent.addChild(base + unit);
        nodes.add(node);
        cellsProps(node);
        if (chance(20)) add(node, Property.strings("compatible", chance(50) ? "simple-bus" : "vendor,thing"));
        if (chance(8)) add(node, Property.strings("compatible", "vendor,a", "simple-bus"));
        if (chance(3)) add(node, new Property("compatible", "unterminated".getBytes(StandardCharsets.US_ASCII)));
        if (base.startsWith("pci") && chance(60)) {
            add(node, Property.strings("device_type", "pci"));
            if (chance(50)) add(node, Property.cells("bus-range", rnd.nextInt(3), pick(new Long[] {0L, 1L, 0x1ffL})));
        }
        if (chance(3)) add(node, Property.empty("device_type"));
        if (chance(10)) add(node, Property.strings("status", chance(50) ? "disabled" : "okay"));
        if (depth < 4) {
            int kids = rnd.nextInt(depth == 1 ? 4 : 3);
            for (int i = 0; i < kids; i++) grow(node, depth + 1);
        }
        if (errorChance(Err.DUPLICATE_NODE, 10) && !node.children().isEmpty()) node.add(new Node(node.children().get(0).name())); // duplicate name
    }

    private void cellsProps(Node node) {
        if (chance(60)) {
            add(node, chance(95) ? Property.cells("#address-cells", rnd.nextInt(4)) : Property.cells("#address-cells", 1, 1));
        }
        if (chance(60)) add(node, chance(95) ? Property.cells("#size-cells", rnd.nextInt(3)) : Property.empty("#size-cells"));
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
        for (Node c : n.children()) for (Property p : c.properties()) if (p.name().startsWith("spi-")) return true;
        return !n.children().isEmpty(); // a child may get spi- properties later
    }

    private long[] randomCells(int count) {
        long[] c = new long[count];
        for (int i = 0; i < count; i++) c[i] = chance(70) ? rnd.nextInt(4) * 0x1000L : rnd.nextInt(0x100);
        return c;
    }

    private void decorate(Node node) {
        boolean safe = !busLike(node.parent());
        if (!node.isRoot() && chance(55)) {
            if (safe && chance(10)) add(node, new Property("reg", new byte[1 + rnd.nextInt(7)]));
            else if (chance(5)) add(node, Property.empty("reg"));
            else add(node, Property.cells("reg", randomCells(3 + rnd.nextInt(4))));
        }
        if (!node.isRoot() && chance(15)) {
            if (chance(40)) add(node, Property.empty("ranges"));
            else add(node, Property.cells("ranges", randomCells(chance(50) ? 6 : 9)));
        }
        if (!node.isRoot() && chance(5)) add(node, Property.cells("dma-ranges", randomCells(chance(50) ? 6 : 7)));
        if (chance(30) || node.baseName().contains("intc") || node.baseName().startsWith("interrupt")) {
            long ph = errorChance(Err.PHANDLE, 10) && nextPhandle > 1 ? nextPhandle - 1 : nextPhandle++;
            if (errorChance(Err.PHANDLE, 5)) ph = chance(50) ? 0 : 0xffffffffL;
            if (chance(3)) add(node, Property.cells("linux,phandle", (ph + (errorChance(Err.PHANDLE, 50) ? 1 : 0)) & 0xffffffffL));
            if (errorChance(Err.PHANDLE, 5)) add(node, new Property("phandle", new byte[3]));
            else add(node, Property.cells("phandle", ph));
        }
        if (node.baseName().contains("intc") || node.baseName().startsWith("interrupt") || chance(5)) {
            add(node, Property.empty(chance(85) ? "interrupt-controller" : "interrupt-map"));
            if (chance(85)) add(node, chance(97) ? Property.cells("#interrupt-cells", 1 + rnd.nextInt(3)) : Property.cells("#interrupt-cells", 1, 2));
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
        if (chance(4) || errorChance(Err.NAME_PROPERTY, 10)) add(node, Property.strings("name", errorChance(Err.NAME_PROPERTY, 50) ? "other" : node.baseName()));
        if (errorChance(Err.NAME_PROPERTY, 3)) add(node, Property.cells("name", 5));
        if (chance(4)) add(node, Property.cells("spi-max-frequency", 1000000));
        if (chance(2)) add(node, Property.empty("spi-slave"));
        if (chance(3) && !node.children().isEmpty()) {
            String child = node.children().get(0).name();
            if (errors == Err.PROPERTY_CHARS || NameChecks.span(child, NameChecks.PROP_CHARS) == child.length()) add(node, Property.empty(child));
        }
        if (errorChance(Err.PROPERTY_CHARS, 5)) add(node, Property.cells("weird$name", 1));
        if (errorChance(Err.DUPLICATE_PROPERTY, 5) && !node.properties().isEmpty()) node.append(node.properties().get(0)); // duplicate property
        if (node.depth() >= 2 && chance(15)) add(node, Property.cells("remote-endpoint", anyPhandle()));
        if (chance(3)) add(node, Property.empty("gpio-hog"));
    }

    /** Appends {@code p} unless the node has a property of that name (error trees may get duplicates). */
    private void add(Node node, Property p) {
        if (!node.has(p.name()) || errorChance(Err.DUPLICATE_PROPERTY, 30)) node.append(p);
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
                add(node, chance(90) || p[1].equals("#gpio-cells") ? Property.cells(p[1], rnd.nextInt(3)) : Property.cells(p[1], 1, 1));
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
