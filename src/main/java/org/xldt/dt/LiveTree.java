package org.xldt.dt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * The tree as dtc holds it while it reads DTS ({@code livetree.c}), with the quirks that decide
 * its output: deleted nodes, properties and labels stay in their lists, flagged, and come back
 * in place when a later definition of the same name merges into them; labels are kept newest
 * first; children and properties are found by name through indexes, so 100,000 siblings and
 * 100,000 labels stay linear. Only {@link DtsTreeBuilder} and {@link DtsFixups} use it.
 */
final class LiveTree {
    /** A property value would not fit in a blob. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("property value too large", null, false, false);
        }
    }

    /** A source location, printed {@code FILE:LINE:COL}. */
    record Loc(String file, int line, int col) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + col;
        }
    }

    static final class Label {
        final String name;
        final Loc loc;
        boolean deleted;

        Label(String name, Loc loc) {
            this.name = name;
            this.loc = loc;
        }
    }

    /** A dtc marker: a type run, a label inside a value, or a reference. */
    static final class Mark {
        int offset;
        final Marker.Kind kind;
        final String ref;
        final Loc loc;

        Mark(int offset, Marker.Kind kind, String ref, Loc loc) {
            this.offset = offset;
            this.kind = kind;
            this.ref = ref;
            this.loc = loc;
        }
    }

    /** A property value under construction (dtc's {@code struct data}). */
    static final class Data {
        private static final byte[] NONE = new byte[0];
        byte[] buf = NONE;
        int len;
        final ArrayList<Mark> marks = new ArrayList<>(2);

        void ensure(int extra) {
            long need = (long) len + extra;
            if (need > Integer.MAX_VALUE - 64) throw new TooLarge();
            if (need > buf.length) buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, Math.max(16L, buf.length * 2L))));
        }

        void addMark(Marker.Kind kind, String ref, Loc loc) {
            marks.add(new Mark(len, kind, ref, loc));
        }

        void appendByte(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void append(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        /** The low {@code bits} bits of {@code v}, big-endian. */
        void appendInteger(long v, int bits) {
            for (int shift = bits - 8; shift >= 0; shift -= 8) appendByte((int) (v >>> shift));
        }

        void putU32(int off, int v) {
            buf[off] = (byte) (v >>> 24);
            buf[off + 1] = (byte) (v >>> 16);
            buf[off + 2] = (byte) (v >>> 8);
            buf[off + 3] = (byte) v;
        }

        int u32(int off) {
            return ((buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        }

        /** dtc's data_merge: appends {@code d}'s bytes and its markers, shifted. */
        void merge(Data d) {
            int base = len;
            append(d.buf, 0, d.len);
            for (Mark m : d.marks) {
                m.offset += base;
                marks.add(m);
            }
        }

        /** dtc's data_insert_at_marker: inserts at marker {@code i}; later markers move. */
        void insertAt(int i, byte[] p) {
            int at = marks.get(i).offset;
            ensure(p.length);
            System.arraycopy(buf, at, buf, at + p.length, len - at);
            System.arraycopy(p, 0, buf, at, p.length);
            len += p.length;
            for (int j = i + 1; j < marks.size(); j++) marks.get(j).offset += p.length;
        }

        boolean isOneString() {
            if (len == 0 || buf[len - 1] != 0) return false;
            for (int i = 0; i < len - 1; i++) if (buf[i] == 0) return false;
            return true;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }
    }

    static final class Prop {
        final String name;
        Data val;
        List<Label> labels = List.of();
        boolean deleted;
        /** Taken out of the list altogether (dtc frees a redundant "name" property). */
        boolean removed;
        Loc loc;

        Prop(String name, Data val, Loc loc) {
            this.name = name;
            this.val = val;
            this.loc = loc;
        }

        boolean live() {
            return !deleted && !removed;
        }
    }

    static final class LNode {
        private static final int INDEX_AT = 8;

        String name;
        List<Label> labels = List.of();
        final ArrayList<Prop> props = new ArrayList<>(4);
        final ArrayList<LNode> children = new ArrayList<>(2);
        LNode parent;
        /** Position among the parent's children; children are only ever appended. */
        int index;
        boolean deleted;
        boolean omitIfUnused;
        boolean referenced;
        /** Part of the tree being built (under its root); set once, never cleared. */
        boolean attached;
        /** Merged into another node and gone. */
        boolean discarded;
        int phandle;
        Loc loc;
        private String fullpath;
        private HashMap<String, Object> childIndex;
        private HashMap<String, Object> propIndex;

        LNode(String name, Loc loc) {
            this.name = name;
            this.loc = loc;
        }

        // ---- children ---------------------------------------------------------------------

        /** dtc's add_child (or building a node from its block): appended at the end. */
        void addChild(LNode c) {
            c.parent = this;
            c.index = children.size();
            children.add(c);
            childIndex = index(children, childIndex, c, c.name, x -> x.name);
        }

        /** The first child of that name, deleted or not (for_each_child_withdel). */
        LNode childWithDel(String n) {
            return first(children, childIndex, n, c -> c.name, c -> true);
        }

        /** The first live child of that name (get_subnode). */
        LNode liveChild(String n) {
            return first(children, childIndex, n, c -> c.name, c -> !c.deleted);
        }

        // ---- properties -------------------------------------------------------------------

        void addProp(Prop p) {
            props.add(p);
            propIndex = index(props, propIndex, p, p.name, x -> x.name);
        }

        /** The name index after {@code added} joined {@code all}; built once the list is long. */
        private static <T> HashMap<String, Object> index(List<T> all, HashMap<String, Object> idx, T added, String name,
                                                         java.util.function.Function<T, String> nameOf) {
            if (idx != null) {
                indexPut(idx, name, added);
            } else if (all.size() > INDEX_AT) {
                idx = new HashMap<>();
                for (T x : all) indexPut(idx, nameOf.apply(x), x);
            }
            return idx;
        }

        /** The first property of that name, deleted or not. */
        Prop propWithDel(String n) {
            return first(props, propIndex, n, p -> p.name, p -> !p.removed);
        }

        /** The first live property of that name (get_property). */
        Prop liveProp(String n) {
            return first(props, propIndex, n, p -> p.name, Prop::live);
        }

        /** The first of {@code all} named {@code n} that is {@code ok}, through the index if any. */
        @SuppressWarnings("unchecked")
        private static <T> T first(List<T> all, HashMap<String, Object> index, String n,
                                   java.util.function.Function<T, String> nameOf, java.util.function.Predicate<T> ok) {
            if (index == null) {
                for (T x : all) if (ok.test(x) && nameOf.apply(x).equals(n)) return x;
                return null;
            }
            Object o = index.get(n);
            if (o == null) return null;
            if (!(o instanceof ArrayList<?>)) return ok.test((T) o) ? (T) o : null;
            for (T x : (List<T>) o) if (ok.test(x)) return x;
            return null;
        }

        // ---- labels -----------------------------------------------------------------------

        boolean hasLiveLabel(String n) {
            for (Label l : labels) if (!l.deleted && l.name.equals(n)) return true;
            return false;
        }

        String fullpath() {
            if (fullpath == null) {
                if (parent == null) fullpath = "/";
                else if (parent.parent == null) fullpath = "/" + name;
                else fullpath = parent.fullpath() + "/" + name;
            }
            return fullpath;
        }

        @SuppressWarnings("unchecked")
        private static <T> void indexPut(HashMap<String, Object> idx, String key, T v) {
            Object o = idx.get(key);
            if (o == null) idx.put(key, v);
            else if (o instanceof ArrayList<?> l) ((ArrayList<T>) l).add(v);
            else {
                ArrayList<Object> l = new ArrayList<>(2);
                l.add(o);
                l.add(v);
                idx.put(key, l);
            }
        }



    }

    // ---- the tree -----------------------------------------------------------------------------

    LNode root;
    /** Where the root node was last deleted or marked /omit-if-no-ref/ (dtc allows it). */
    Loc rootDeletedAt;
    /** Every node that ever got a label, by label; stale entries are dropped on lookup. */
    private final HashMap<String, ArrayList<LNode>> nodesByLabel = new HashMap<>();

    /** Makes {@code r} the root of the tree. */
    void setRoot(LNode r) {
        r.name = "";
        root = r;
        attach(r);
    }

    /** dtc's add_label: an existing label (even deleted) comes back; a new one goes first. */
    void addLabel(LNode n, String label, Loc loc) {
        int before = n.labels.size();
        n.labels = withLabel(n.labels, label, loc);
        if (n.labels.size() != before) {
            nodesByLabel.computeIfAbsent(label, k -> new ArrayList<>(1)).add(n);
        }
    }

    /**
     * dtc's add_label on a list: an existing label (even deleted) comes back, a new one goes
     * first. Returns the list to keep (a new one replaces the shared empty list).
     */
    static List<Label> withLabel(List<Label> labels, String label, Loc loc) {
        for (Label l : labels) {
            if (l.name.equals(label)) {
                l.deleted = false;
                return labels;
            }
        }
        ArrayList<Label> out = labels.isEmpty() ? new ArrayList<>(2) : (ArrayList<Label>) labels;
        out.add(0, new Label(label, loc));
        return out;
    }

    /** dtc's add_child onto a node of the tree: the new subtree joins the tree. */
    void addChild(LNode parent, LNode child) {
        parent.addChild(child);
        if (parent.attached) attach(child);
    }

    private static void attach(LNode top) {
        Deque<LNode> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            LNode n = stack.pop();
            n.attached = true;
            for (LNode c : n.children) stack.push(c);
        }
    }

    /**
     * dtc's merge_nodes: {@code nu}'s labels, properties and children go into {@code old};
     * equal names merge (in place, even into deleted ones), new ones are appended.
     */
    void merge(LNode old, LNode nu) {
        old.deleted = false;
        for (Label l : nu.labels) addLabel(old, l.name, l.loc);
        for (Prop p : nu.props) {
            if (p.deleted) {
                deletePropByName(old, p.name);
                continue;
            }
            Prop o = old.propWithDel(p.name);
            if (o != null) {
                for (Label l : p.labels) o.labels = withLabel(o.labels, l.name, l.loc);
                o.val = p.val;
                o.deleted = false;
                o.loc = p.loc;
            } else {
                old.addProp(p);
            }
        }
        for (LNode c : nu.children) {
            if (c.deleted) {
                deleteNodeByName(old, c.name);
                c.discarded = true;
                continue;
            }
            LNode o = old.childWithDel(c.name);
            if (o != null) merge(o, c);
            else addChild(old, c);
        }
        nu.discarded = true;
    }

    static void deletePropByName(LNode n, String name) {
        Prop p = n.propWithDel(name);
        if (p != null) deleteProp(p);
    }

    static void deleteProp(Prop p) {
        p.deleted = true;
        for (Label l : p.labels) l.deleted = true;
    }

    static void deleteNodeByName(LNode parent, String name) {
        LNode c = parent.childWithDel(name);
        if (c != null) deleteNode(c);
    }

    /** dtc's delete_node: the node, its live subtree, their properties and labels. */
    static void deleteNode(LNode top) {
        Deque<LNode> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            LNode n = stack.pop();
            n.deleted = true;
            for (Prop p : n.props) if (p.live()) deleteProp(p);
            for (Label l : n.labels) l.deleted = true;
            for (LNode c : n.children) if (!c.deleted) stack.push(c);
        }
    }

    // ---- lookups --------------------------------------------------------------------------

    /** dtc's get_node_by_ref: "/" is the root, "/..." a path, anything else a label. */
    LNode byRef(String ref) {
        if (root == null) return null;
        if (ref.equals("/")) return root;
        if (ref.startsWith("/")) return byPath(root, ref, 0);
        return byLabel(ref);
    }

    /** dtc's get_node_by_path, component by component over live children. */
    static LNode byPath(LNode tree, String path, int from) {
        LNode n = tree;
        int i = from;
        while (true) {
            if (i >= path.length()) return n.deleted ? null : n;
            while (i < path.length() && path.charAt(i) == '/') i++;
            int slash = path.indexOf('/', i);
            String comp = slash < 0 ? path.substring(i) : path.substring(i, slash);
            LNode c = n.liveChild(comp);
            if (c == null) return null;
            if (slash < 0) return c;
            n = c;
            i = slash + 1;
        }
    }

    /** dtc's get_node_by_label: the first node of the tree in pre-order with that live label. */
    LNode byLabel(String label) {
        ArrayList<LNode> cands = nodesByLabel.get(label);
        if (cands == null) return null;
        LNode best = null;
        for (Iterator<LNode> it = cands.iterator(); it.hasNext(); ) {
            LNode n = it.next();
            if (n.discarded) {
                it.remove();
                continue;
            }
            if (!n.attached || n.deleted || !n.hasLiveLabel(label)) continue;
            if (best == null || preorderBefore(n, best)) best = n;
        }
        return best;
    }

    /** True if {@code a} comes before {@code b} in a pre-order walk (both in the tree). */
    static boolean preorderBefore(LNode a, LNode b) {
        List<LNode> pa = chain(a);
        List<LNode> pb = chain(b);
        int i = 0;
        while (i < pa.size() && i < pb.size() && pa.get(i) == pb.get(i)) i++;
        if (i == pa.size()) return true; // a is an ancestor of b
        if (i == pb.size()) return false;
        return pa.get(i).index < pb.get(i).index;
    }

    private static List<LNode> chain(LNode n) {
        ArrayList<LNode> l = new ArrayList<>();
        for (LNode x = n; x != null; x = x.parent) l.add(x);
        java.util.Collections.reverse(l);
        return l;
    }

    /** Visits the live nodes in pre-order; a node deleted by the visitor is not descended. */
    void walkLive(java.util.function.Consumer<LNode> visitor) {
        Deque<LNode> stack = new ArrayDeque<>();
        stack.push(root);
        boolean first = true;
        while (!stack.isEmpty()) {
            LNode n = stack.pop();
            if (n.deleted && !first) continue;
            first = false;
            visitor.accept(n);
            List<LNode> cs = n.children;
            for (int i = cs.size() - 1; i >= 0; i--) {
                LNode c = cs.get(i);
                if (!c.deleted) stack.push(c);
            }
        }
    }
}
