package org.xldt.dt;

/**
 * Checks on the form of standard property values (single cells, strings, string lists) and on
 * {@code /aliases} and {@code /chosen}.
 */
final class ValueChecks {
    private ValueChecks() {
    }

    static Check.Fn isCell(String propName) {
        return (ctx, node) -> {
            Property p = ctx.prop(node, propName);
            if (p != null && p.length() != 4) ctx.failProp(node, p, "property is not a single cell");
        };
    }

    static Check.Fn isString(String propName) {
        return (ctx, node) -> checkString(ctx, node, ctx.prop(node, propName));
    }

    private static void checkString(CheckContext ctx, Node node, Property p) {
        if (p != null && !CheckContext.isOneString(p)) ctx.failProp(node, p, "property is not a string");
    }

    static Check.Fn isStringList(String propName) {
        return (ctx, node) -> checkStringList(ctx, node, ctx.prop(node, propName));
    }

    private static void checkStringList(CheckContext ctx, Node node, Property p) {
        if (p != null && !CheckContext.isStringList(p)) ctx.failProp(node, p, "property is not a string list");
    }

    static void namesIsStringList(CheckContext ctx, Node node) {
        for (Property p : ctx.props(node)) {
            // dtc checks the first property of that name
            if (p.name().endsWith("-names")) checkStringList(ctx, node, ctx.prop(node, p.name()));
        }
    }

    static void alwaysFail(CheckContext ctx, Node node) {
        ctx.fail(node, "always_fail check");
    }

    // ---- aliases and chosen ------------------------------------------------------------------------

    /**
     * dtc's {@code get_node_by_path}: leading slashes are skipped, each component must equal a
     * child's full name, and the empty path is {@code tree} itself.
     */
    static Node nodeByPath(Node tree, String path) {
        Node n = tree;
        String rest = path;
        while (true) {
            if (rest.isEmpty()) return n;
            int i = 0;
            while (i < rest.length() && rest.charAt(i) == '/') i++;
            rest = rest.substring(i);
            int slash = rest.indexOf('/');
            String comp = slash < 0 ? rest : rest.substring(0, slash);
            Node next = null;
            for (Node c : n.childList()) {
                if (c.name().equals(comp)) {
                    next = c;
                    break;
                }
            }
            if (next == null) return null;
            if (slash < 0) return next;
            n = next;
            rest = rest.substring(slash + 1);
        }
    }

    private static final boolean[] ALIAS_CHARS = NameChecks.chars("abcdefghijklmnopqrstuvwxyz0123456789-");

    static void aliasPaths(CheckContext ctx, Node node) {
        if (!node.name().equals("aliases")) return;
        for (Property p : ctx.props(node)) {
            if (p.name().equals("phandle") || p.name().equals("linux,phandle")) continue;
            String path = p.length() == 0 ? null : CheckContext.cString(p);
            if (path == null || nodeByPath(ctx.root(), path) == null) {
                ctx.failProp(node, p, "aliases property is not a valid node (" + (path == null ? "(null)" : path) + ")");
                continue;
            }
            if (NameChecks.span(p.name(), ALIAS_CHARS) != p.name().length()) {
                ctx.fail(node, "aliases property name must include only lowercase and '-'");
            }
        }
    }

    static void obsoleteChosenInterruptController(CheckContext ctx, Node node) {
        if (!node.isRoot()) return;
        Node chosen = nodeByPath(node, "/chosen");
        if (chosen == null) return;
        Property p = ctx.prop(chosen, "interrupt-controller");
        if (p != null) ctx.failProp(node, p, "/chosen has obsolete \"interrupt-controller\" property");
    }

    static void chosenNodeIsRoot(CheckContext ctx, Node node) {
        if (node.name().equals("chosen") && node.parent() != ctx.root()) ctx.fail(node, "chosen node must be at root node");
    }

    static void chosenNodeBootargs(CheckContext ctx, Node node) {
        if (node.name().equals("chosen")) checkString(ctx, node, ctx.prop(node, "bootargs"));
    }

    static void chosenNodeStdoutPath(CheckContext ctx, Node node) {
        if (!node.name().equals("chosen")) return;
        Property p = ctx.prop(node, "stdout-path");
        if (p == null) {
            p = ctx.prop(node, "linux,stdout-path");
            if (p == null) return;
            ctx.failProp(node, p, "Use 'stdout-path' instead");
        }
        checkString(ctx, node, p);
    }
}
