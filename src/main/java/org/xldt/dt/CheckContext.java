package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run of the {@link Checks} table sees and remembers: the tree, the findings so far, and
 * the per-node facts that dtc's checks compute as they go (phandles assigned by
 * {@code explicit_phandles}, {@code #address-cells}/{@code #size-cells} read by
 * {@code addr_size_cells}, the bus type set by the bridge checks). Modelling that state as dtc does
 * keeps the findings equal to dtc's even when a prerequisite fails.
 */
public final class CheckContext {
    /** Bus kinds set on a node by the bridge checks (dtc's {@code node->bus}). */
    public enum Bus { PCI, SIMPLE, I2C, SPI, GRAPH_PORT, GRAPH_PORTS }

    /** Cells value dtc uses before {@code addr_size_cells} has run (nodes are zero-allocated). */
    private static final int UNSET_CELLS = 0;

    private final DeviceTree tree;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<Long, Node> assignedPhandles = new HashMap<>();
    private final Map<Node, int[]> cells = new IdentityHashMap<>();
    private final Map<Node, Bus> buses = new IdentityHashMap<>();
    private Map<Long, Node> allPhandles;
    private Map<String, Node> labels;
    private final Map<String, Object> memos = new HashMap<>();

    private java.util.function.Predicate<String> attempted = name -> true;
    private final Set<String> shadowed = new java.util.HashSet<>();

    private Check current;
    private Check.Level currentLevel; // null: the check runs silently (disabled, run as a prerequisite)
    private boolean failed;

    CheckContext(DeviceTree tree) {
        this.tree = tree;
    }

    public DeviceTree tree() {
        return tree;
    }

    public Node root() {
        return tree.root();
    }

    private Node[] preorder;

    /**
     * Every node in pre-order (dtc's walk order), computed once per run: checks add and change
     * properties but never add or remove nodes.
     */
    Node[] nodes() {
        if (preorder == null) {
            List<Node> all = new ArrayList<>();
            DeviceTree.walk(tree.root(), all::add);
            preorder = all.toArray(new Node[0]);
        }
        return preorder;
    }

    // ---- reporting -------------------------------------------------------------------------------

    /** Tells the context which checks the run has attempted (see {@link #ensure}). */
    void attempted(java.util.function.Predicate<String> test) {
        this.attempted = test;
    }

    /**
     * Makes sure the facts a fixup check records ({@code explicit_phandles}: phandles,
     * {@code addr_size_cells}: cells) exist before a check reads them: if the run has not
     * attempted the fixup, it runs here silently. Under dtc's default switches the fixups always
     * run first, so this changes nothing; when a switch disables a fixup, dtc reads zeros instead.
     */
    private void ensure(String fixup) {
        if (attempted.test(fixup) || !shadowed.add(fixup)) return;
        Check saved = current;
        Check.Level savedLevel = currentLevel;
        boolean savedFailed = failed;
        Check c = Checks.check(fixup);
        begin(c, null);
        DeviceTree.walk(tree.root(), n -> c.fn().check(this, n));
        current = saved;
        currentLevel = savedLevel;
        failed = savedFailed;
    }

    void begin(Check check, Check.Level level) {
        current = check;
        currentLevel = level;
        failed = false;
    }

    boolean failed() {
        return failed;
    }

    List<Finding> findings() {
        return findings;
    }

    /** dtc's {@code FAIL}: the check failed at {@code node}. */
    public void fail(Node node, String message) {
        failProp(node, null, message);
    }

    /** dtc's {@code FAIL_PROP}: the check failed at a property of {@code node} ({@code prop} may be null). */
    public void failProp(Node node, Property prop, String message) {
        failed = true;
        if (currentLevel != null) {
            findings.add(new Finding(current.name(), currentLevel, node == null ? null : node.path(),
                    prop == null ? null : prop.name(), message));
        }
    }

    /** A message about the check itself, not a node ({@code Failed prerequisite ...}). */
    void note(String message) {
        if (currentLevel != null) findings.add(new Finding(current.name(), currentLevel, null, null, message));
    }

    // ---- properties (dtc's get_property) ---------------------------------------------------------------

    /** The first property of that name, or null. */
    public Property prop(Node node, String name) {
        return node.property(name);
    }

    /** The properties in order. */
    public List<Property> props(Node node) {
        return node.propertyList();
    }

    /** Deletes a property, as dtc's {@code name_properties} deletes a redundant {@code name}: later checks and the output lose it. */
    void remove(Node node, Property p) {
        node.removeExact(p);
    }

    // ---- phandles -----------------------------------------------------------------------------------

    /** Records {@code node}'s phandle as {@code explicit_phandles} does. */
    void assignPhandle(long phandle, Node node) {
        assignedPhandles.putIfAbsent(phandle, node);
    }

    /**
     * dtc's {@code get_node_by_phandle}: the node {@code explicit_phandles} gave that phandle
     * (none before it ran, as in dtc), or null.
     */
    public Node assignedPhandle(long phandle) {
        ensure("explicit_phandles");
        return assignedPhandles.get(phandle);
    }

    /**
     * The node with that phandle for xldt's own checks: the first node in pre-order whose valid
     * {@code phandle} (else {@code linux,phandle}) has that value, independent of check order.
     */
    public Node nodeByPhandle(long phandle) {
        if (allPhandles == null) {
            allPhandles = new HashMap<>();
            DeviceTree.walk(tree.root(), n -> {
                long ph = validPhandle(n);
                if (ph != 0) allPhandles.putIfAbsent(ph, n);
            });
        }
        return allPhandles.get(phandle);
    }

    /** The node's phandle as dtc reads it ({@code phandle}, else {@code linux,phandle}), or 0. */
    long validPhandle(Node n) {
        Property p = prop(n, "phandle");
        long ph = p != null && p.length() == 4 ? p.cell(0) : 0;
        if (!isValidPhandle(ph)) {
            Property lp = prop(n, "linux,phandle");
            ph = lp != null && lp.length() == 4 ? lp.cell(0) : 0;
        }
        return isValidPhandle(ph) ? ph : 0;
    }

    /** Neither 0 nor 0xffffffff (dtc's {@code phandle_is_valid}). */
    public static boolean isValidPhandle(long ph) {
        return ph != 0 && ph != 0xffffffffL;
    }

    /** dtc's {@code get_node_by_ref}: a path when it starts with {@code /}, else a label. */
    public Node nodeByRef(String ref) {
        if (ref == null) return null;
        String r = ref;
        if (r.startsWith("{") && r.endsWith("}")) r = r.substring(1, r.length() - 1);
        if (r.startsWith("/")) return tree.find(r);
        if (labels == null) {
            labels = new HashMap<>();
            DeviceTree.walk(tree.root(), n -> {
                for (String l : n.labels()) labels.putIfAbsent(l, n);
            });
        }
        return labels.get(r);
    }

    // ---- #address-cells / #size-cells ----------------------------------------------------------------

    void setCells(Node n, int addr, int size) {
        cells.put(n, new int[] {addr, size});
    }

    /** {@code #address-cells} as recorded by {@code addr_size_cells}: -1 when absent. */
    public int addrCellsRaw(Node n) {
        ensure("addr_size_cells");
        int[] c = cells.get(n);
        return c == null ? UNSET_CELLS : c[0];
    }

    /** {@code #size-cells} as recorded by {@code addr_size_cells}: -1 when absent. */
    public int sizeCellsRaw(Node n) {
        ensure("addr_size_cells");
        int[] c = cells.get(n);
        return c == null ? UNSET_CELLS : c[1];
    }

    /** dtc's {@code node_addr_cells}: the recorded value, 2 when absent. */
    public int addrCells(Node n) {
        int v = addrCellsRaw(n);
        return v == -1 ? 2 : v;
    }

    /** dtc's {@code node_size_cells}: the recorded value, 1 when absent. */
    public int sizeCells(Node n) {
        int v = sizeCellsRaw(n);
        return v == -1 ? 1 : v;
    }

    // ---- buses ---------------------------------------------------------------------------------------

    public Bus bus(Node n) {
        return n == null ? null : buses.get(n);
    }

    void setBus(Node n, Bus b) {
        buses.put(n, b);
    }

    /** A value computed once per run (indexes a check builds over the whole tree). */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, java.util.function.Supplier<T> compute) {
        Object v = memos.get(key);
        if (v == null) {
            v = compute.get();
            memos.put(key, v);
        }
        return (T) v;
    }

    // ---- value helpers -------------------------------------------------------------------------------

    /** The bytes up to the first NUL, one char per byte (what C's {@code %s} prints). */
    public static String cString(Property p) {
        int end = 0;
        while (end < p.length() && p.byteAt(end) != 0) end++;
        byte[] b = new byte[end];
        for (int i = 0; i < end; i++) b[i] = p.byteAt(i);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** dtc's {@code data_is_one_string}: non-empty, one NUL, at the end. */
    public static boolean isOneString(Property p) {
        int len = p.length();
        if (len == 0) return false;
        for (int i = 0; i < len - 1; i++) if (p.byteAt(i) == 0) return false;
        return p.byteAt(len - 1) == 0;
    }

    /** dtc's string-list test: every string NUL-terminated (empty value and empty strings allowed). */
    public static boolean isStringList(Property p) {
        return p.length() == 0 || p.byteAt(p.length() - 1) == 0;
    }

    /** Cell {@code i}, or 0 past the end of the value (dtc reads past the end there). */
    public static long cellOr0(Property p, int i) {
        return p != null && (long) i * 4 + 4 <= p.length() ? p.cell(i) : 0;
    }

    /** True when {@code len} is a multiple of {@code divisor}; for 0, when {@code len} is 0. */
    public static boolean isMultipleOf(long len, long divisor) {
        return divisor == 0 ? len == 0 : len % divisor == 0;
    }
}
