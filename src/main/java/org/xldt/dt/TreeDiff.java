package org.xldt.dt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A semantic diff of two device trees: nodes matched by path, properties by name, values compared
 * byte for byte and shown as dtc prints them ({@code <0x1 0x2>}, {@code "a", "b"}, {@code [01 02]}).
 * The order of nodes and properties, labels, {@code /delete-*}, and the blob's layout do not count:
 * two trees are equal when they have the same nodes, the same properties with the same bytes, the
 * same memory reservations and the same boot CPU.
 *
 * <p>Changes come in a stable order: the memory reservations, the boot CPU, then the merged tree in
 * pre-order (a node's property changes, then its children: those of the first tree in its order,
 * then the ones only the second has, in its order). An added or removed node is one change; its
 * subtree is not listed. When a node has two children (or properties) of one name, as a blob may,
 * the k-th of the first tree is matched with the k-th of the second.
 *
 * <p>Iterative: trees of any depth.
 */
public final class TreeDiff {
    private TreeDiff() {
    }

    /** One difference from the first tree to the second. */
    public sealed interface Change permits NodeAdded, NodeRemoved, PropertyAdded, PropertyRemoved, PropertyChanged,
            ReserveAdded, ReserveRemoved, BootCpuChanged {
        /** {@code +}, {@code -} or {@code ~}. */
        char op();

        /** The change as one line: {@code + /soc/dev@1000}, {@code ~ /b:reg: <0x1> → <0x2>}. */
        default String line() {
            return line(Integer.MAX_VALUE);
        }

        /** As {@link #line()}, with each value cut to about {@code limit} characters around the first difference. */
        String line(int limit);
    }

    /** A node only the second tree has (its subtree comes with it). */
    public record NodeAdded(String path) implements Change {
        public char op() {
            return '+';
        }

        public String line(int limit) {
            return "+ " + path;
        }
    }

    /** A node only the first tree has. */
    public record NodeRemoved(String path) implements Change {
        public char op() {
            return '-';
        }

        public String line(int limit) {
            return "- " + path;
        }
    }

    /** A property only the second tree's node has; {@code value} as dtc prints it, empty for an empty property. */
    public record PropertyAdded(String path, String name, String value) implements Change {
        public char op() {
            return '+';
        }

        public String line(int limit) {
            return "+ " + where(path, name) + (value.isEmpty() ? "" : " = " + clip(value, 0, limit));
        }
    }

    /** A property only the first tree's node has. */
    public record PropertyRemoved(String path, String name, String value) implements Change {
        public char op() {
            return '-';
        }

        public String line(int limit) {
            return "- " + where(path, name) + (value.isEmpty() ? "" : " = " + clip(value, 0, limit));
        }
    }

    /** A property whose bytes differ; values as dtc prints them ({@code ""} when empty). */
    public record PropertyChanged(String path, String name, String before, String after) implements Change {
        public char op() {
            return '~';
        }

        public String line(int limit) {
            int common = 0;
            int max = Math.min(before.length(), after.length());
            while (common < max && before.charAt(common) == after.charAt(common)) common++;
            return "~ " + where(path, name) + ": " + shown(before, common, limit) + " → " + shown(after, common, limit);
        }

        private static String shown(String v, int common, int limit) {
            return v.isEmpty() ? "(empty)" : clip(v, common, limit);
        }
    }

    /** A {@code /memreserve/} entry only the second tree has. */
    public record ReserveAdded(long address, long size) implements Change {
        public char op() {
            return '+';
        }

        public String line(int limit) {
            return "+ /memreserve/ " + hex(address) + " " + hex(size);
        }
    }

    /** A {@code /memreserve/} entry only the first tree has. */
    public record ReserveRemoved(long address, long size) implements Change {
        public char op() {
            return '-';
        }

        public String line(int limit) {
            return "- /memreserve/ " + hex(address) + " " + hex(size);
        }
    }

    /** The DTB header's boot CPU ID (DTS has no syntax for it: 0). */
    public record BootCpuChanged(long before, long after) implements Change {
        public char op() {
            return '~';
        }

        public String line(int limit) {
            return "~ boot_cpuid_phys: " + hex(before) + " → " + hex(after);
        }
    }

    /** Context shown before the first difference of a long value. */
    private static final int LEAD = 40;

    /**
     * {@code v} cut to about {@code limit} characters: a window that starts a little before
     * {@code from} (the first difference) and ends with {@code …} when more follows.
     */
    public static String clip(String v, int from, int limit) {
        if (v.length() <= limit) return v;
        int start = Math.max(0, Math.min(from - LEAD, v.length() - limit));
        if (start > 0) {
            int space = v.lastIndexOf(' ', start);
            start = space < 0 ? 0 : space + 1;
        }
        int end = Math.min(v.length(), start + limit);
        return (start > 0 ? "…" : "") + v.substring(start, end) + (end < v.length() ? "… (" + v.length() + " characters)" : "");
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String where(String path, String name) {
        return path + ":" + name;
    }

    /** The changes from {@code a} to {@code b}, in the documented order; empty when they are equal. */
    public static List<Change> diff(DeviceTree a, DeviceTree b) {
        List<Change> out = new ArrayList<>();
        reserves(a.reserves(), b.reserves(), out);
        if (a.bootCpuidPhys() != b.bootCpuidPhys()) {
            out.add(new BootCpuChanged(Integer.toUnsignedLong(a.bootCpuidPhys()), Integer.toUnsignedLong(b.bootCpuidPhys())));
        }
        // Work items: a pair of matched nodes to compare, or a change to emit in its place.
        Deque<Object> work = new ArrayDeque<>();
        work.push(new Pair(a.root(), b.root(), null, ""));
        while (!work.isEmpty()) {
            Object item = work.pop();
            if (item instanceof Change c) {
                out.add(c);
                continue;
            }
            Pair p = (Pair) item;
            properties(p, out);
            List<Object> next = children(p);
            for (int i = next.size() - 1; i >= 0; i--) work.push(next.get(i));
        }
        return out;
    }

    /** Two matched nodes; the path is built only when a change names it (building every path would cost quadratic time in depth). */
    private record Pair(Node a, Node b, Pair parent, String name) {
        String path() {
            if (parent == null) return "/";
            Deque<String> names = new ArrayDeque<>();
            for (Pair q = this; q.parent != null; q = q.parent) names.push(q.name);
            StringBuilder sb = new StringBuilder();
            for (String n : names) sb.append('/').append(n);
            return sb.toString();
        }

        String child(String childName) {
            return parent == null ? "/" + childName : path() + "/" + childName;
        }
    }

    private static void reserves(List<MemReserve> a, List<MemReserve> b, List<Change> out) {
        Map<List<Long>, Integer> inB = new HashMap<>();
        for (MemReserve r : b) inB.merge(List.of(r.address(), r.size()), 1, Integer::sum);
        Map<List<Long>, Integer> inA = new HashMap<>();
        for (MemReserve r : a) inA.merge(List.of(r.address(), r.size()), 1, Integer::sum);
        for (MemReserve r : a) {
            List<Long> k = List.of(r.address(), r.size());
            if (inB.merge(k, -1, Integer::sum) < 0) out.add(new ReserveRemoved(r.address(), r.size()));
        }
        for (MemReserve r : b) {
            List<Long> k = List.of(r.address(), r.size());
            if (inA.merge(k, -1, Integer::sum) < 0) out.add(new ReserveAdded(r.address(), r.size()));
        }
    }

    private static void properties(Pair p, List<Change> out) {
        List<Property> pa = p.a.propertyList();
        List<Property> pb = p.b.propertyList();
        Map<String, Deque<Integer>> byName = new HashMap<>();
        for (int i = 0; i < pb.size(); i++) byName.computeIfAbsent(pb.get(i).name(), k -> new ArrayDeque<>()).add(i);
        boolean[] matched = new boolean[pb.size()];
        String path = null;
        for (Property x : pa) {
            Deque<Integer> q = byName.get(x.name());
            Integer j = q == null ? null : q.poll();
            if (j == null) {
                if (path == null) path = p.path();
                out.add(new PropertyRemoved(path, x.name(), DtsWriter.valueText(x)));
                continue;
            }
            matched[j] = true;
            Property y = pb.get(j);
            if (!java.util.Arrays.equals(x.rawValue(), y.rawValue())) {
                if (path == null) path = p.path();
                out.add(new PropertyChanged(path, x.name(), DtsWriter.valueText(x), DtsWriter.valueText(y)));
            }
        }
        for (int j = 0; j < pb.size(); j++) {
            if (matched[j]) continue;
            if (path == null) path = p.path();
            out.add(new PropertyAdded(path, pb.get(j).name(), DtsWriter.valueText(pb.get(j))));
        }
    }

    /** The children of a matched pair in output order: pairs to compare and added/removed nodes. */
    private static List<Object> children(Pair p) {
        List<Node> ca = p.a.childList();
        List<Node> cb = p.b.childList();
        List<Object> next = new ArrayList<>(Math.max(ca.size(), cb.size()));
        if (ca.isEmpty() && cb.isEmpty()) return next;
        Map<String, Deque<Integer>> byName = new HashMap<>();
        for (int i = 0; i < cb.size(); i++) byName.computeIfAbsent(cb.get(i).name(), k -> new ArrayDeque<>()).add(i);
        boolean[] matched = new boolean[cb.size()];
        for (Node x : ca) {
            Deque<Integer> q = byName.get(x.name());
            Integer j = q == null ? null : q.poll();
            if (j == null) {
                next.add(new NodeRemoved(p.child(x.name())));
            } else {
                matched[j] = true;
                next.add(new Pair(x, cb.get(j), p, x.name()));
            }
        }
        for (int j = 0; j < cb.size(); j++) {
            if (!matched[j]) next.add(new NodeAdded(p.child(cb.get(j).name())));
        }
        return next;
    }
}
