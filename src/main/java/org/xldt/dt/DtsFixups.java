package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xldt.BadInputException;
import org.xldt.dt.LiveTree.Data;
import org.xldt.dt.LiveTree.Label;
import org.xldt.dt.LiveTree.LNode;
import org.xldt.dt.LiveTree.Loc;
import org.xldt.dt.LiveTree.Mark;
import org.xldt.dt.LiveTree.Prop;

/**
 * What dtc 1.6.1 does to a parsed tree before it writes it (its {@code dtc.c} main line and the
 * fix-up "checks" that come first in {@code checks.c}), in dtc's order: the boot CPU guessed from
 * {@code /cpus}; a redundant {@code name} property dropped; duplicate labels refused; explicit
 * phandles taken; references turned into phandles (allocated from 1 upwards, skipping used
 * values, the first time a node is referenced in a pre-order walk, property by property, the new
 * {@code phandle} property last in its node) and into paths; unreferenced
 * {@code /omit-if-no-ref/} nodes deleted; and for a {@code /plugin/}, the {@code __fixups__} and
 * {@code __local_fixups__} nodes. Then the result becomes a {@link DeviceTree}.
 *
 * <p>dtc's check for duplicate node and property names is here too (it sees deleted entries a
 * finished tree no longer shows). Its other refusing checks (characters in names, several '@')
 * are not: they are the checks' business and the reader returns such trees as written.
 */
final class DtsFixups {
    private final LiveTree tree;
    private final boolean plugin;
    /** Phandles given by "phandle" properties; allocated ones are all below nextPhandle. */
    private final Set<Integer> explicit = new HashSet<>();
    private int nextPhandle = 1;

    private DtsFixups(LiveTree tree, boolean plugin) {
        this.tree = tree;
        this.plugin = plugin;
    }

    static DeviceTree finish(DtsTreeBuilder.Result r) {
        DtsFixups f = new DtsFixups(r.tree(), r.plugin());
        int bootCpu = f.guessBootCpuid();
        f.duplicateNames();
        f.nameProperties();
        f.duplicateLabels();
        f.explicitPhandles();
        f.phandleReferences();
        f.pathReferences();
        f.omitUnusedNodes();
        if (r.plugin()) {
            f.fixupsNode();
            f.localFixupsNode();
        }
        if (r.tree().root.deleted) {
            // dtc would write a blob with no node at all, which no reader (not even dtc) accepts
            throw new BadInputException(String.valueOf(r.tree().rootDeletedAt), "the root node is deleted");
        }
        DeviceTree out = export(r.tree());
        out.reserves().addAll(r.reserves());
        out.setBootCpuidPhys(bootCpu);
        out.setPlugin(r.plugin());
        return out;
    }

    /** dtc's guess_boot_cpuid: the 4-byte "reg" of the first child of /cpus (as parsed). */
    private int guessBootCpuid() {
        LNode cpus = LiveTree.byPath(tree.root, "/cpus", 0);
        if (cpus == null || cpus.children.isEmpty()) return 0;
        Prop reg = cpus.children.get(0).liveProp("reg");
        if (reg == null || reg.val.len != 4) return 0;
        return reg.val.u32(0);
    }

    // ---- duplicates ---------------------------------------------------------------------------

    /**
     * duplicate_node_names and duplicate_property_names, as dtc sees them: a live child clashes
     * with any later sibling of its name, even a deleted one (a {@code /delete-node/} in the same
     * block); a live property only with a later live one.
     */
    private void duplicateNames() {
        tree.walkLive(n -> {
            List<LNode> cs = n.children;
            if (cs.size() > 1) {
                Set<String> live = cs.size() > 8 ? new HashSet<>() : null;
                for (int j = 0; j < cs.size(); j++) {
                    LNode c = cs.get(j);
                    boolean clash = false;
                    if (live != null) clash = live.contains(c.name);
                    else for (int i = 0; i < j && !clash; i++) clash = !cs.get(i).deleted && cs.get(i).name.equals(c.name);
                    if (clash) throw error(c.loc, n, "duplicate node name " + c.name);
                    if (live != null && !c.deleted) live.add(c.name);
                }
            }
            List<Prop> ps = n.props;
            if (ps.size() > 1) {
                Set<String> live = ps.size() > 8 ? new HashSet<>() : null;
                for (int j = 0; j < ps.size(); j++) {
                    Prop p = ps.get(j);
                    if (p.deleted) continue;
                    boolean clash = false;
                    if (live != null) clash = !live.add(p.name);
                    else for (int i = 0; i < j && !clash; i++) clash = !ps.get(i).deleted && ps.get(i).name.equals(p.name);
                    if (clash) throw error(p.loc, n, "duplicate property name " + p.name);
                }
            }
        });
    }

    // ---- name ---------------------------------------------------------------------------------

    /** name_is_string and name_properties: a "name" equal to the node's base name is dropped. */
    private void nameProperties() {
        tree.walkLive(n -> {
            Prop p = n.liveProp("name");
            if (p != null && !p.val.isOneString()) throw error(p.loc, n, "\"name\" property is not a string");
        });
        tree.walkLive(n -> {
            Prop p = null;
            for (Prop x : n.props) {
                if (!x.removed && x.name.equals("name")) {
                    p = x;
                    break;
                }
            }
            if (p == null) return;
            int base = n.name.indexOf('@');
            if (base < 0) base = n.name.length();
            boolean same = p.val.len == base + 1;
            for (int i = 0; same && i < base; i++) same = (p.val.buf[i] & 0xff) == n.name.charAt(i);
            if (!same) throw error(p.loc, n, "\"name\" property is incorrect (it is not the base node name)");
            p.removed = true;
        });
    }

    // ---- labels -------------------------------------------------------------------------------

    /** A label on a node (kind 0), a property (1) or in a value (2). */
    private record Occurrence(String label, int kind, Loc loc, LNode node, Prop prop) {
        String what() {
            return switch (kind) {
                case 0 -> node.fullpath();
                case 1 -> "'" + prop.name + "' in " + node.fullpath();
                default -> "value of '" + prop.name + "' in " + node.fullpath();
            };
        }
    }

    /** duplicate_label: each label on one node, property or place in a value only. */
    private void duplicateLabels() {
        List<Occurrence> occ = new ArrayList<>();
        Map<String, Integer> count = new HashMap<>();
        tree.walkLive(n -> {
            for (Label l : n.labels) if (!l.deleted) occ.add(new Occurrence(l.name, 0, l.loc, n, null));
            for (Prop p : n.props) {
                if (!p.live()) continue;
                for (Label l : p.labels) {
                    if (!l.deleted) occ.add(new Occurrence(l.name, 1, l.loc, n, p));
                }
                for (Mark m : p.val.marks) {
                    if (m.kind == Marker.Kind.LABEL) {
                        occ.add(new Occurrence(m.ref, 2, m.loc, n, p));
                    }
                }
            }
        });
        boolean any = false;
        for (Occurrence o : occ) any |= count.merge(o.label, 1, Integer::sum) > 1;
        if (!any) return;
        // dtc compares each occurrence with the one its label lookup finds first: nodes, then
        // properties, then values, each in walk order; the first other one is the error.
        Map<String, Occurrence> found = new HashMap<>();
        for (Occurrence o : occ) {
            Occurrence f = found.get(o.label);
            if (f == null || o.kind < f.kind) found.put(o.label, o);
        }
        for (Occurrence o : occ) {
            Occurrence f = found.get(o.label);
            if (f != o) {
                throw new BadInputException(String.valueOf(o.loc), "duplicate label '" + o.label + "' on " + o.what() + " and " + f.what());
            }
        }
    }

    // ---- phandles -----------------------------------------------------------------------------

    private static boolean validPhandle(int ph) {
        return ph != 0 && ph != -1;
    }

    /** check_phandle_prop: a fixed phandle value, or 0 (none, or a reference to itself). */
    private int phandleProp(LNode n, String name) {
        Prop p = n.liveProp(name);
        if (p == null) return 0;
        if (p.val.len != 4) throw error(p.loc, n, "bad length (" + p.val.len + ") " + name + " property");
        for (Mark m : p.val.marks) {
            if (m.kind != Marker.Kind.REF_PHANDLE) continue;
            if (tree.byRef(m.ref) != n) throw error(p.loc, n, name + " is a reference to another node");
            return 0;
        }
        int ph = p.val.u32(0);
        if (!validPhandle(ph)) throw error(p.loc, n, "bad value (0x" + Integer.toHexString(ph) + ") in " + name + " property");
        return ph;
    }

    /** explicit_phandles: "phandle" and "linux,phandle" values are taken first. */
    private void explicitPhandles() {
        Map<Integer, LNode> seen = new HashMap<>();
        tree.walkLive(n -> {
            int ph = phandleProp(n, "phandle");
            int linux = phandleProp(n, "linux,phandle");
            if (ph == 0 && linux == 0) return;
            if (linux != 0 && ph != 0 && ph != linux) {
                throw error(n.liveProp("linux,phandle").loc, n, "mismatching 'phandle' and 'linux,phandle' properties");
            }
            if (ph == 0) ph = linux;
            LNode other = seen.get(ph);
            if (other != null && other != n) {
                Prop p = n.liveProp("phandle") != null ? n.liveProp("phandle") : n.liveProp("linux,phandle");
                throw error(p.loc, n, "duplicated phandle 0x" + Integer.toHexString(ph) + " (seen before at " + other.fullpath() + ")");
            }
            seen.put(ph, n);
            n.phandle = ph;
            explicit.add(ph);
        });
    }

    /** dtc's get_node_phandle: the node's phandle, allocated now if it has none. */
    private int phandleOf(LNode n) {
        if (validPhandle(n.phandle)) return n.phandle;
        // dtc counts up from 1 past values in use; the counter never goes back
        while (!explicit.isEmpty() && explicit.contains(nextPhandle)) nextPhandle++;
        n.phandle = nextPhandle++;
        if (n.liveProp("phandle") == null) {
            Data d = new Data();
            d.addMark(Marker.Kind.TYPE_UINT32, null, null);
            d.appendInteger(n.phandle & 0xffffffffL, 32);
            n.addProp(new Prop("phandle", d, null));
        }
        return n.phandle;
    }

    /** A marker of one kind in a live property: its node, property and index. */
    private interface MarkVisitor {
        void visit(LNode n, Prop p, int index, Mark m);
    }

    /** Visits the markers of a kind, in walk and property order (properties may grow meanwhile). */
    private void marks(Marker.Kind kind, MarkVisitor v) {
        tree.walkLive(n -> {
            for (int i = 0; i < n.props.size(); i++) {
                Prop p = n.props.get(i);
                if (!p.live()) continue;
                List<Mark> marks = p.val.marks;
                for (int j = 0; j < marks.size(); j++) {
                    if (marks.get(j).kind == kind) v.visit(n, p, j, marks.get(j));
                }
            }
        });
    }

    /** phandle_references: every {@code <&ref>} cell gets its node's phandle. */
    private void phandleReferences() {
        marks(Marker.Kind.REF_PHANDLE, (n, p, j, m) -> {
            LNode target = tree.byRef(m.ref);
            if (target == null) {
                if (!plugin) throw error(m.loc, n, "reference to non-existent node or label \"" + m.ref + "\"");
                p.val.putU32(m.offset, -1);
                return;
            }
            p.val.putU32(m.offset, phandleOf(target));
            target.referenced = true;
        });
    }

    /** path_references: every {@code &ref} outside cells becomes the node's full path. */
    private void pathReferences() {
        marks(Marker.Kind.REF_PATH, (n, p, j, m) -> {
            LNode target = tree.byRef(m.ref);
            if (target == null) throw error(m.loc, n, "reference to non-existent node or label \"" + m.ref + "\"");
            byte[] path = target.fullpath().getBytes(StandardCharsets.ISO_8859_1);
            p.val.insertAt(j, java.util.Arrays.copyOf(path, path.length + 1));
            target.referenced = true;
        });
    }

    /** omit_unused_nodes. */
    private void omitUnusedNodes() {
        tree.walkLive(n -> {
            if (n.omitIfUnused && !n.referenced) LiveTree.deleteNode(n);
        });
    }

    // ---- overlays -----------------------------------------------------------------------------

    /** A phandle reference in the tree: the node, the property, the marker. */
    private interface RefVisitor {
        void visit(LNode n, Prop p, Mark m);
    }

    /** Visits the phandle references that resolve (or do not), in walk order. */
    private void phandleRefs(boolean resolved, RefVisitor v) {
        marks(Marker.Kind.REF_PHANDLE, (n, p, j, m) -> {
            if ((tree.byRef(m.ref) != null) == resolved) v.visit(n, p, m);
        });
    }

    private boolean anyRef(boolean resolved) {
        boolean[] any = {false};
        phandleRefs(resolved, (n, p, m) -> any[0] = true);
        return any[0];
    }

    /** build_root_node: the live child of that name, or a new one at the end. */
    private LNode childOrNew(LNode parent, String name) {
        LNode c = parent.liveChild(name);
        if (c == null) {
            c = new LNode(name, null);
            tree.addChild(parent, c);
        }
        return c;
    }

    /** __fixups__: for each unresolved label, where its phandle cells are ("path:prop:offset"). */
    private void fixupsNode() {
        if (!anyRef(false)) return;
        LNode fn = childOrNew(tree.root, "__fixups__");
        phandleRefs(false, (n, p, m) -> {
            String entry = n.fullpath() + ":" + p.name + ":" + Integer.toUnsignedString(m.offset) + "\0";
            appendToProperty(fn, m.ref, Marker.Kind.TYPE_STRING, entry.getBytes(StandardCharsets.ISO_8859_1));
        });
    }

    /** __local_fixups__: a mirror of the tree listing the offsets of resolved phandle cells. */
    private void localFixupsNode() {
        if (!anyRef(true)) return;
        LNode lfn = childOrNew(tree.root, "__local_fixups__");
        phandleRefs(true, (n, p, m) -> {
            Deque<String> names = new ArrayDeque<>();
            for (LNode x = n; x.parent != null; x = x.parent) names.push(x.name);
            LNode wn = lfn;
            for (String name : names) wn = childOrNew(wn, name);
            byte[] off = {(byte) (m.offset >>> 24), (byte) (m.offset >>> 16), (byte) (m.offset >>> 8), (byte) m.offset};
            appendToProperty(wn, p.name, Marker.Kind.TYPE_UINT32, off);
        });
    }

    /** dtc's append_to_property: a typed run appended to the property, created at the end if missing. */
    private static void appendToProperty(LNode n, String name, Marker.Kind kind, byte[] bytes) {
        Prop p = n.liveProp(name);
        if (p == null) {
            p = new Prop(name, new Data(), null);
            n.addProp(p);
        }
        p.val.addMark(kind, null, null);
        p.val.append(bytes, 0, bytes.length);
    }

    // ---- result -------------------------------------------------------------------------------

    /** The live part of the tree as a {@link DeviceTree} (the root is always there). */
    private static DeviceTree export(LiveTree t) {
        Deque<Object[]> work = new ArrayDeque<>();
        Node root = convert(t.root);
        work.push(new Object[] {t.root, root});
        while (!work.isEmpty()) {
            Object[] w = work.pop();
            LNode ln = (LNode) w[0];
            Node n = (Node) w[1];
            for (LNode c : ln.children) {
                if (c.deleted) continue;
                Node nc = n.add(convert(c));
                work.push(new Object[] {c, nc});
            }
        }
        return new DeviceTree(root);
    }

    private static Node convert(LNode ln) {
        Node n = new Node(ln.name);
        for (Label l : ln.labels) if (!l.deleted) n.addLabel(l.name);
        for (Prop p : ln.props) {
            if (!p.live()) continue;
            List<String> labels = List.of();
            if (!p.labels.isEmpty()) {
                labels = new ArrayList<>(p.labels.size());
                for (Label l : p.labels) if (!l.deleted) labels.add(l.name);
            }
            List<Mark> ms = p.val.marks;
            List<Marker> marks;
            if (ms.size() == 1 && ms.get(0).offset == 0 && ms.get(0).kind.startsRun()) {
                marks = Marker.whole(ms.get(0).kind); // shared: most properties
            } else {
                marks = new ArrayList<>(ms.size());
                for (Mark m : ms) marks.add(new Marker(m.offset, m.kind, m.kind.startsRun() ? null : m.ref));
            }
            n.append(new Property(p.name, p.val.bytes(), labels, marks));
        }
        return n;
    }

    private static BadInputException error(Loc loc, LNode n, String message) {
        String where = loc != null ? loc.toString() : n.loc != null ? n.loc.toString() : "";
        return new BadInputException(where, n.fullpath() + ": " + message);
    }
}
