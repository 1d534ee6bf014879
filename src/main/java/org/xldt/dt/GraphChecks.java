package org.xldt.dt;

/** Checks on OF graphs: ports, endpoints and their {@code remote-endpoint} links. */
final class GraphChecks {
    private GraphChecks() {
    }

    static void graphNodes(CheckContext ctx, Node node) {
        for (Node child : node.childList()) {
            if (!child.baseName().equals("endpoint") && ctx.prop(child, "remote-endpoint") == null) continue;
            ctx.setBus(node, CheckContext.Bus.GRAPH_PORT);
            // the parent of 'port' nodes is either 'ports' or a device
            Node parent = node.parent();
            if (parent != null && ctx.bus(parent) == null
                    && (parent.name().equals("ports") || ctx.prop(node, "reg") != null)) {
                ctx.setBus(parent, CheckContext.Bus.GRAPH_PORTS);
            }
            break;
        }
    }

    static void graphChildAddress(CheckContext ctx, Node node) {
        CheckContext.Bus bus = ctx.bus(node);
        if (bus != CheckContext.Bus.GRAPH_PORTS && bus != CheckContext.Bus.GRAPH_PORT) return;
        int count = 0;
        for (Node child : node.childList()) {
            Property reg = ctx.prop(child, "reg");
            if (reg != null && CheckContext.cellOr0(reg, 0) != 0) return; // a non-zero unit address
            count++;
        }
        if (count == 1 && ctx.addrCellsRaw(node) != -1) {
            ctx.fail(node, "graph node has single child node '" + node.childList().get(0).name()
                    + "', #address-cells/#size-cells are not necessary");
        }
    }

    private static void graphReg(CheckContext ctx, Node node) {
        Property reg = ctx.prop(node, "reg");
        if (reg == null) return;
        if (reg.length() != 4) {
            ctx.fail(node, "graph node malformed 'reg' property");
            return;
        }
        String expected = Long.toHexString(reg.cell(0));
        if (!node.unitAddress().equals(expected)) ctx.fail(node, "graph node unit address error, expected \"" + expected + "\"");
        int ac = ctx.addrCellsRaw(node.parent());
        int sc = ctx.sizeCellsRaw(node.parent());
        // dtc names this node's own #address-cells/#size-cells property, if any
        if (ac != 1) ctx.failProp(node, ctx.prop(node, "#address-cells"), "graph node '#address-cells' is " + ac + ", must be 1");
        if (sc != 0) ctx.failProp(node, ctx.prop(node, "#size-cells"), "graph node '#size-cells' is " + sc + ", must be 0");
    }

    static void graphPort(CheckContext ctx, Node node) {
        if (ctx.bus(node) != CheckContext.Bus.GRAPH_PORT) return;
        if (!node.baseName().equals("port")) ctx.fail(node, "graph port node name should be 'port'");
        graphReg(ctx, node);
    }

    private static Node remoteEndpoint(CheckContext ctx, Node endpoint) {
        Property p = ctx.prop(endpoint, "remote-endpoint");
        if (p == null || p.length() != 4) return null;
        long ph = p.cell(0);
        if (!CheckContext.isValidPhandle(ph)) return null; // an overlay's external reference
        Node n = ctx.assignedPhandle(ph);
        if (n == null) ctx.failProp(endpoint, p, "graph phandle is not valid");
        return n;
    }

    static void graphEndpoint(CheckContext ctx, Node node) {
        if (node.isRoot() || ctx.bus(node.parent()) != CheckContext.Bus.GRAPH_PORT) return;
        if (!node.baseName().equals("endpoint")) ctx.fail(node, "graph endpoint node name should be 'endpoint'");
        graphReg(ctx, node);
        Node remote = remoteEndpoint(ctx, node);
        if (remote == null) return;
        if (remoteEndpoint(ctx, remote) != node) {
            ctx.fail(node, "graph connection to node '" + remote.path() + "' is not bidirectional");
        }
    }
}
