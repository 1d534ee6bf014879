package org.xldt.dt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A device-tree node: its name ({@code iommu@4040000}; empty for the root), labels, ordered
 * properties and ordered children. Mutable, so builders can edit a tree in place. Child lookup by
 * name is indexed once a node has many children, so trees with 100,000 siblings stay linear.
 */
public final class Node {
    private static final int INDEX_THRESHOLD = 16;

    private String name;
    private final List<String> labels = new ArrayList<>(1);
    private final List<Property> properties = new ArrayList<>();
    private final List<Node> children = new ArrayList<>();
    private Node parent;
    private Map<String, Node> childIndex; // first child of each name; built lazily
    /**
     * One bit per property name hash (a one-word Bloom filter): a lookup of a name whose bit is
     * clear is answered without a scan. Bits are only added (removals leave them set, which costs a
     * scan, never a wrong answer).
     */
    private long nameMask;

    private static long bit(String propName) {
        int h = propName.hashCode();
        return 1L << ((h ^ (h >>> 6) ^ (h >>> 12)) & 63);
    }

    /** False when this node certainly has no property of that name. */
    boolean mayHave(String propName) {
        return (nameMask & bit(propName)) != 0;
    }

    public Node(String name) {
        if (name == null) throw new IllegalArgumentException("node name");
        this.name = name;
    }

    // ---- names ------------------------------------------------------------------------------

    /** Full name including unit address, e.g. {@code cpu@0}; empty for the root. */
    public String name() {
        return name;
    }

    public void rename(String newName) {
        if (parent != null) parent.childIndex = null;
        this.name = newName;
        this.baseName = null;
    }

    /** {@link #baseName()}, computed once per name (the checks ask for it many times per node). */
    private String baseName;

    /** The name before {@code @}. */
    public String baseName() {
        String b = baseName;
        if (b == null) {
            int at = name.indexOf('@');
            baseName = b = at < 0 ? name : name.substring(0, at);
        }
        return b;
    }

    /** The unit address after {@code @}, or empty. */
    public String unitAddress() {
        int at = name.indexOf('@');
        return at < 0 ? "" : name.substring(at + 1);
    }

    public boolean isRoot() {
        return parent == null;
    }

    public Node parent() {
        return parent;
    }

    /** Absolute path: {@code /} for the root, {@code /soc/serial@1000} otherwise. */
    public String path() {
        if (parent == null) return "/";
        java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
        int length = 0;
        for (Node n = this; n.parent != null; n = n.parent) {
            names.push(n.name);
            length += n.name.length() + 1;
        }
        StringBuilder sb = new StringBuilder(length);
        for (String n : names) sb.append('/').append(n);
        return sb.toString();
    }

    public int depth() {
        int d = 0;
        for (Node n = parent; n != null; n = n.parent) d++;
        return d;
    }

    // ---- labels -----------------------------------------------------------------------------

    public List<String> labels() {
        return Collections.unmodifiableList(labels);
    }

    public void addLabel(String label) {
        if (!labels.contains(label)) labels.add(label);
    }

    public void removeLabel(String label) {
        labels.remove(label);
    }

    // ---- properties -------------------------------------------------------------------------

    public List<Property> properties() {
        return Collections.unmodifiableList(properties);
    }

    /** The live property list, for this package's hot paths (checks, writers); never modify it. */
    List<Property> propertyList() {
        return properties;
    }

    /** The live child list, for this package's hot paths; never modify it. */
    List<Node> childList() {
        return children;
    }

    public Property property(String propName) {
        if (!mayHave(propName)) return null;
        for (int i = 0, n = properties.size(); i < n; i++) {
            Property p = properties.get(i);
            if (p.name().equals(propName)) return p;
        }
        return null;
    }

    public boolean has(String propName) {
        return property(propName) != null;
    }

    /** Replaces the property of the same name where it stands, or appends it. */
    public Node set(Property p) {
        if (mayHave(p.name())) for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i).name().equals(p.name())) {
                properties.set(i, p);
                return this;
            }
        }
        properties.add(p);
        nameMask |= bit(p.name());
        return this;
    }

    /** Appends without checking for an existing property of that name (readers keep duplicates for checks). */
    public Node append(Property p) {
        properties.add(p);
        nameMask |= bit(p.name());
        return this;
    }

    /** Inserts at a position (libfdt inserts new properties first). */
    public Node insert(int index, Property p) {
        properties.add(index, p);
        nameMask |= bit(p.name());
        return this;
    }

    public Property removeProperty(String propName) {
        for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i).name().equals(propName)) return properties.remove(i);
        }
        return null;
    }

    /** Removes this very property object (not another of the same name); true if it was here. */
    public boolean removeExact(Property p) {
        for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i) == p) {
                properties.remove(i);
                return true;
            }
        }
        return false;
    }

    public void clearProperties() {
        properties.clear();
        nameMask = 0;
    }

    // ---- children ---------------------------------------------------------------------------

    public List<Node> children() {
        return Collections.unmodifiableList(children);
    }

    /** The first child with exactly this name, or null. */
    public Node child(String childName) {
        if (children.size() < INDEX_THRESHOLD) {
            for (Node c : children) if (c.name.equals(childName)) return c;
            return null;
        }
        if (childIndex == null) {
            childIndex = new HashMap<>(children.size() * 2);
            for (Node c : children) childIndex.putIfAbsent(c.name, c);
        }
        return childIndex.get(childName);
    }

    /**
     * libfdt's matching: the first child whose full name equals {@code component}, or, when
     * {@code component} has no unit address, whose base name does.
     */
    public Node childLoose(String component) {
        boolean hasAt = component.indexOf('@') >= 0;
        if (hasAt) return child(component);
        for (Node c : children) {
            if (c.name.equals(component) || c.baseName().equals(component)) return c;
        }
        return null;
    }

    /** Appends a child (which must not have a parent) and returns it. */
    public Node add(Node child) {
        return add(children.size(), child);
    }

    public Node add(int index, Node child) {
        if (child.parent != null) throw new IllegalStateException(child.name + " already has a parent");
        child.parent = this;
        children.add(index, child);
        if (childIndex != null) {
            if (index == children.size() - 1) childIndex.putIfAbsent(child.name, child);
            else childIndex = null;
        }
        return child;
    }

    /** Creates and appends a child named {@code childName}. */
    public Node addChild(String childName) {
        return add(new Node(childName));
    }

    /** The child of that name, created at the end if missing. */
    public Node childOrCreate(String childName) {
        Node c = child(childName);
        return c != null ? c : addChild(childName);
    }

    public boolean removeChild(Node child) {
        if (child.parent != this) return false;
        children.remove(child);
        child.parent = null;
        childIndex = null;
        return true;
    }

    /** Detaches this node from its parent. */
    public void detach() {
        if (parent != null) parent.removeChild(this);
    }

    public int indexOf(Node child) {
        return children.indexOf(child);
    }

    // ---- typed property helpers ---------------------------------------------------------------

    /** The first cell of a property, or {@code dflt} when absent or shorter than a cell. */
    public long u32(String propName, long dflt) {
        Property p = property(propName);
        return p == null || p.length() < 4 ? dflt : p.cell(0);
    }

    /** The first string of a property, or null. */
    public String string(String propName) {
        Property p = property(propName);
        return p == null ? null : p.string();
    }

    /** The strings of a property, or an empty list. */
    public List<String> strings(String propName) {
        Property p = property(propName);
        return p == null ? List.of() : p.stringList();
    }

    /** True if {@code compatible} lists {@code compat}. */
    public boolean isCompatible(String compat) {
        return strings("compatible").contains(compat);
    }

    /** The {@code phandle} (or legacy {@code linux,phandle}) value, or 0. */
    public int phandle() {
        Property p = property("phandle");
        if (p == null) p = property("linux,phandle");
        return p == null || p.length() != 4 ? 0 : (int) p.cell(0);
    }

    /** {@code status} absent, {@code "okay"} or {@code "ok"}. */
    public boolean isEnabled() {
        String s = string("status");
        return s == null || s.equals("okay") || s.equals("ok");
    }

    // ---- copying ------------------------------------------------------------------------------

    /** A deep copy of this node and its subtree, detached from any parent. */
    public Node deepCopy() {
        // Iterative: trees read from hostile blobs can be hundreds of thousands of levels deep.
        Node top = shallowCopy();
        java.util.ArrayDeque<Node[]> work = new java.util.ArrayDeque<>();
        work.push(new Node[] {this, top});
        while (!work.isEmpty()) {
            Node[] pair = work.pop();
            for (Node c : pair[0].children) {
                Node cc = c.shallowCopy();
                pair[1].add(cc);
                work.push(new Node[] {c, cc});
            }
        }
        return top;
    }

    private Node shallowCopy() {
        Node copy = new Node(name);
        copy.labels.addAll(labels);
        copy.properties.addAll(properties);
        copy.nameMask = nameMask;
        return copy;
    }

    @Override
    public String toString() {
        return path();
    }
}
