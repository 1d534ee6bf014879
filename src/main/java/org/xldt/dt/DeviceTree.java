package org.xldt.dt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole device tree: the root node, the memory reservation entries, the boot CPU's physical ID
 * (a DTB header field with no DTS syntax) and whether the source was a {@code /plugin/} overlay.
 */
public final class DeviceTree {
    private Node root;
    private final List<MemReserve> reserves = new ArrayList<>();
    private int bootCpuidPhys;
    private boolean plugin;

    public DeviceTree() {
        this(new Node(""));
    }

    public DeviceTree(Node root) {
        this.root = root;
    }

    public Node root() {
        return root;
    }

    public void setRoot(Node newRoot) {
        this.root = newRoot;
    }

    public List<MemReserve> reserves() {
        return reserves;
    }

    public int bootCpuidPhys() {
        return bootCpuidPhys;
    }

    public void setBootCpuidPhys(int v) {
        this.bootCpuidPhys = v;
    }

    public boolean isPlugin() {
        return plugin;
    }

    public void setPlugin(boolean plugin) {
        this.plugin = plugin;
    }

    // ---- lookup -------------------------------------------------------------------------------

    /** Exact path lookup as dtc does it ({@code /a/b@1}); null if absent. */
    public Node find(String path) {
        return lookup(path, false);
    }

    /**
     * Path lookup as libfdt ({@code fdt_path_offset}) does it: a component without a unit address
     * also matches {@code name@addr}, and a path not starting with {@code /} starts with an alias.
     */
    public Node findLoose(String path) {
        if (!path.startsWith("/")) {
            int slash = path.indexOf('/');
            String alias = slash < 0 ? path : path.substring(0, slash);
            Node aliases = root.child("aliases");
            if (aliases == null || !aliases.has(alias)) return null;
            Node base = lookup(aliases.string(alias), true);
            if (base == null || slash < 0) return base;
            return descend(base, path.substring(slash + 1), true);
        }
        return lookup(path, true);
    }

    private Node lookup(String path, boolean loose) {
        if (path == null || !path.startsWith("/")) return null;
        return descend(root, path.substring(1), loose);
    }

    private static Node descend(Node from, String rel, boolean loose) {
        Node n = from;
        for (String comp : rel.split("/", -1)) {
            if (comp.isEmpty()) continue;
            n = loose ? n.childLoose(comp) : n.child(comp);
            if (n == null) return null;
        }
        return n;
    }

    /** Map of phandle value to node, built by one walk of the tree. */
    public Map<Integer, Node> phandles() {
        Map<Integer, Node> map = new HashMap<>();
        walk(n -> {
            int ph = n.phandle();
            if (ph != 0 && ph != -1) map.putIfAbsent(ph, n);
        });
        return map;
    }

    /** The node with that phandle, or null (one walk; use {@link #phandles()} for many lookups). */
    public Node byPhandle(int phandle) {
        Node[] found = new Node[1];
        walk(n -> {
            if (found[0] == null && n.phandle() == phandle) found[0] = n;
        });
        return found[0];
    }

    /** The node carrying that label, or null. */
    public Node byLabel(String label) {
        Node[] found = new Node[1];
        walk(n -> {
            if (found[0] == null && n.labels().contains(label)) found[0] = n;
        });
        return found[0];
    }

    /** The largest phandle in use (0 if none). */
    public int maxPhandle() {
        int[] max = {0};
        walk(n -> {
            int ph = n.phandle();
            if (ph != -1 && Integer.compareUnsigned(ph, max[0]) > 0) max[0] = ph;
        });
        return max[0];
    }

    /** Visits every node in pre-order (parents before children, children in order); iterative. */
    public void walk(Consumer<Node> visitor) {
        walk(root, visitor);
    }

    public static void walk(Node start, Consumer<Node> visitor) {
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            visitor.accept(n);
            List<Node> cs = n.childList();
            for (int i = cs.size() - 1; i >= 0; i--) stack.push(cs.get(i));
        }
    }

    /** A deep copy of the whole tree. */
    public DeviceTree deepCopy() {
        DeviceTree t = new DeviceTree(root.deepCopy());
        t.reserves.addAll(reserves);
        t.bootCpuidPhys = bootCpuidPhys;
        t.plugin = plugin;
        return t;
    }
}
