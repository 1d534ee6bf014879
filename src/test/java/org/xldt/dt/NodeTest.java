package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

class NodeTest {
    /** A chain {@code depth} levels deep under the root, every node named "a". */
    private static Node chain(int depth) {
        Node root = new Node("");
        Node n = root;
        for (int i = 0; i < depth; i++) {
            Node c = new Node("a");
            c.set(Property.cells("x", i));
            n.add(c);
            n = c;
        }
        return root;
    }

    private static Node deepest(Node root) {
        Node n = root;
        while (!n.children().isEmpty()) n = n.children().get(0);
        return n;
    }

    @Test
    void pathsAndCopiesOfVeryDeepTreesDoNotOverflowTheStack() {
        int depth = 300_000;
        Node root = chain(depth);
        Node leaf = deepest(root);
        String path = leaf.path();
        assertEquals(depth * 2, path.length());
        assertEquals(depth, leaf.depth());
        Node copy = root.deepCopy();
        Node copyLeaf = deepest(copy);
        assertNotSame(leaf, copyLeaf);
        assertEquals(path, copyLeaf.path());
        assertEquals(depth - 1, copyLeaf.property("x").cell(0));
        DeviceTree t = new DeviceTree(root);
        assertArrayEquals(DtbWriter.write(t), DtbWriter.write(new DeviceTree(copy)));
        assertArrayEquals(DtbWriter.write(t), DtbWriter.write(DtbReader.read(DtbWriter.write(t), "deep.dtb")));
    }

    @Test
    void copyKeepsOrderLabelsAndProperties() {
        Node root = new Node("");
        Node a = root.add(new Node("a@1"));
        a.addLabel("la");
        a.set(Property.strings("compatible", "x,y"));
        root.add(new Node("b"));
        a.add(new Node("c"));
        Node copy = root.deepCopy();
        assertEquals("a@1", copy.children().get(0).name());
        assertEquals("b", copy.children().get(1).name());
        assertEquals("/a@1/c", copy.children().get(0).children().get(0).path());
        assertEquals(java.util.List.of("la"), copy.children().get(0).labels());
        assertEquals("x,y", copy.children().get(0).string("compatible"));
    }
}
