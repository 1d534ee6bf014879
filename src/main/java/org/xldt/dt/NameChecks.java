package org.xldt.dt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on node and property names, duplicates and labels (dtc's structural checks). */
final class NameChecks {
    private NameChecks() {
    }

    static final boolean[] NODE_CHARS = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-@");
    static final boolean[] PROP_CHARS = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?-");
    static final boolean[] STRICT_CHARS = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-");

    /** C's {@code strspn}: the length of the prefix made only of {@code set}'s characters. */
    /** A character set as a table indexed by char (names are Latin-1: one char per byte). */
    static boolean[] chars(String set) {
        boolean[] t = new boolean[256];
        for (int i = 0; i < set.length(); i++) t[set.charAt(i)] = true;
        return t;
    }

    /** The length of the prefix of {@code s} made of characters in {@code set} (C's strspn). */
    static int span(String s, boolean[] set) {
        int i = 0;
        for (int n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= set.length || !set[c]) break;
        }
        return i;
    }

    /** For each i, the later indices j whose key equals key(i), in dtc's pair order. */
    private static <T> void laterDuplicates(List<T> items, java.util.function.Function<T, String> key,
            java.util.function.BiConsumer<T, T> onPair) {
        if (items.size() < 2) return;
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < items.size(); i++) groups.computeIfAbsent(key.apply(items.get(i)), k -> new ArrayList<>(1)).add(i);
        if (groups.size() == items.size()) return;
        for (int i = 0; i < items.size(); i++) {
            List<Integer> g = groups.get(key.apply(items.get(i)));
            if (g.size() < 2) continue;
            for (int j : g) if (j > i) onPair.accept(items.get(i), items.get(j));
        }
    }

    static void duplicateNodeNames(CheckContext ctx, Node node) {
        laterDuplicates(node.childList(), Node::name, (a, b) -> ctx.fail(b, "Duplicate node name"));
    }

    static void duplicatePropertyNames(CheckContext ctx, Node node) {
        laterDuplicates(ctx.props(node), Property::name, (a, b) -> ctx.failProp(node, a, "Duplicate property name"));
    }

    static void nodeNameChars(CheckContext ctx, Node node) {
        String name = node.name();
        int n = span(name, NODE_CHARS);
        if (n < name.length()) ctx.fail(node, "Bad character '" + name.charAt(n) + "' in node name");
    }

    static void nodeNameCharsStrict(CheckContext ctx, Node node) {
        int n = span(node.name(), STRICT_CHARS);
        if (n < node.baseName().length()) ctx.fail(node, "Character '" + node.name().charAt(n) + "' not recommended in node name");
    }

    static void nodeNameFormat(CheckContext ctx, Node node) {
        if (node.unitAddress().indexOf('@') >= 0) ctx.fail(node, "multiple '@' characters in node name");
    }

    /** xldt: a node other than the root needs a name, and a name needs something before '@'. */
    static void nodeNameNotEmpty(CheckContext ctx, Node node) {
        if (node.isRoot()) return;
        if (node.name().isEmpty()) ctx.fail(node, "node has an empty name");
        else if (node.baseName().isEmpty()) ctx.fail(node, "node name has nothing before '@'");
    }

    static void propertyNameChars(CheckContext ctx, Node node) {
        for (Property p : ctx.props(node)) {
            int n = span(p.name(), PROP_CHARS);
            if (n < p.name().length()) ctx.failProp(node, p, "Bad character '" + p.name().charAt(n) + "' in property name");
        }
    }

    static void propertyNameCharsStrict(CheckContext ctx, Node node) {
        for (Property p : ctx.props(node)) {
            String name = p.name();
            int n = span(name, STRICT_CHARS);
            if (n == name.length() || name.equals("device_type")) continue;
            // '#' is allowed at the start of the name, after an optional vendor prefix
            if (name.charAt(n) == '#' && (n == 0 || name.charAt(n - 1) == ',')) {
                name = name.substring(n + 1);
                n = span(name, STRICT_CHARS);
            }
            if (n < name.length()) ctx.failProp(node, p, "Character '" + name.charAt(n) + "' not recommended in property name");
        }
    }

    static void nameProperties(CheckContext ctx, Node node) {
        Property p = ctx.prop(node, "name");
        if (p == null) return;
        String base = node.baseName();
        boolean same = p.length() == base.length() + 1;
        for (int i = 0; same && i < base.length(); i++) same = (p.byteAt(i) & 0xff) == base.charAt(i);
        if (same) {
            ctx.remove(node, p); // correct, hence redundant: dtc deletes it (from the output too)
        } else {
            ctx.fail(node, "\"name\" property is incorrect (\"" + CheckContext.cString(p) + "\" instead of base node name)");
        }
    }

    static void nodeNameVsPropertyName(CheckContext ctx, Node node) {
        if (node.isRoot()) return;
        if (ctx.prop(node.parent(), node.name()) != null) ctx.fail(node, "node name and property name conflict");
    }

    // ---- labels -------------------------------------------------------------------------------------

    /** Where a label sits: on a node, on a property, or inside a property's value. */
    private record LabelSite(Node node, Property prop, Marker mark) {
        String describe() {
            return (mark != null ? "value of " : "") + (prop != null ? "'" + prop.name() + "' in " : "") + node.path();
        }

        boolean same(LabelSite o) {
            return node == o.node && prop == o.prop && mark == o.mark;
        }
    }

    static void duplicateLabel(CheckContext ctx, Node node) {
        Map<String, LabelSite>[] first = labelIndex(ctx);
        for (String l : node.labels()) duplicateLabel(ctx, first, l, new LabelSite(node, null, null));
        for (Property p : ctx.props(node)) {
            for (String l : p.labels()) duplicateLabel(ctx, first, l, new LabelSite(node, p, null));
            for (Marker m : p.markers()) {
                if (m.kind() == Marker.Kind.LABEL) duplicateLabel(ctx, first, m.ref(), new LabelSite(node, p, m));
            }
        }
    }

    private static void duplicateLabel(CheckContext ctx, Map<String, LabelSite>[] first, String label, LabelSite here) {
        LabelSite other = first[0].get(label);
        if (other == null) other = first[1].get(label);
        if (other == null) other = first[2].get(label);
        if (other == null || other.same(here)) return;
        ctx.fail(here.node(), "Duplicate label '" + label + "' on " + here.describe() + " and " + other.describe());
    }

    /** dtc finds a label among node labels first, then property labels, then value labels. */
    @SuppressWarnings("unchecked")
    private static Map<String, LabelSite>[] labelIndex(CheckContext ctx) {
        Map<String, LabelSite>[] idx = ctx.memo("labels", () -> {
            Map<String, LabelSite>[] m = new Map[] {new HashMap<>(), new HashMap<>(), new HashMap<>()};
            DeviceTree.walk(ctx.root(), n -> {
                for (String l : n.labels()) m[0].putIfAbsent(l, new LabelSite(n, null, null));
                for (Property p : ctx.props(n)) {
                    for (String l : p.labels()) m[1].putIfAbsent(l, new LabelSite(n, p, null));
                    for (Marker mk : p.markers()) {
                        if (mk.kind() == Marker.Kind.LABEL) m[2].putIfAbsent(mk.ref(), new LabelSite(n, p, mk));
                    }
                }
            });
            return m;
        });
        return idx;
    }
}
