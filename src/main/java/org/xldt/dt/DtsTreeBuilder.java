package org.xldt.dt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.xldt.BadInputException;
import org.xldt.dt.DtsTokenSource.DtsToken;
import org.xldt.dt.LiveTree.Data;
import org.xldt.dt.LiveTree.LNode;
import org.xldt.dt.LiveTree.Loc;
import org.xldt.dt.LiveTree.Prop;

/**
 * Builds the tree while {@link DtsParser} parses, doing what dtc's parser actions do
 * ({@code dtc-parser.y}), in the same order: each node block becomes a new node; repeated
 * {@code / { }}, {@code &label { }} and {@code &{/path} { }} blocks merge into the tree at once;
 * {@code /delete-node/} and {@code /omit-if-no-ref/} at the top level act on the tree so far;
 * in a {@code /plugin/}, {@code &{/path} { }} and blocks for unknown labels become
 * {@code fragment@N} overlay nodes. Semantic errors are raised as dtc raises them, in source
 * order. Finished parse-tree pieces are dropped as soon as they are used, so memory stays
 * proportional to the tree, not to the text.
 */
final class DtsTreeBuilder implements ParseTreeListener {
    /** What the parse produced, before references are resolved. */
    record Result(LiveTree tree, List<MemReserve> reserves, boolean plugin) {
    }

    private static final long MAX_VALUE_BYTES = Integer.MAX_VALUE - 64;
    /** Nodes in nodes (dtc's parser gives up at about 3,300). */
    static final int MAX_NODE_DEPTH = 4096;

    private final LiveTree tree = new LiveTree();
    private final List<MemReserve> reserves = new ArrayList<>();
    private final List<int[]> headerFlags = new ArrayList<>();
    private final List<Loc> headerLocs = new ArrayList<>();
    private boolean headersChecked;
    private boolean plugin;
    private int fragments;

    private final java.util.HashMap<String, String> names = new java.util.HashMap<>();
    private final Deque<LNode> open = new ArrayDeque<>();
    private final Deque<Boolean> sawSubnode = new ArrayDeque<>();
    private LNode lastBody;
    private Data propData;
    private Data value;
    private boolean aborted;

    Result result() {
        return new Result(tree, reserves, plugin);
    }

    /** After an error nothing more is built (the parser still unwinds through listeners). */
    void abort() {
        aborted = true;
    }

    // ---- listener plumbing --------------------------------------------------------------------

    @Override
    public void enterEveryRule(ParserRuleContext ctx) {
        if (aborted) return;
        try {
            if (ctx instanceof DtsParser.NodeBodyContext) {
                if (open.size() >= MAX_NODE_DEPTH) throw new BadInputException(loc(ctx.getStart()).toString(), "nesting too deep");
                open.push(new LNode(null, loc(ctx.getStart())));
                sawSubnode.push(Boolean.FALSE);
            } else if (ctx instanceof DtsParser.MemReserveContext || ctx instanceof DtsParser.FirstItemContext) {
                checkHeaders();
            }
        } catch (RuntimeException e) {
            aborted = true;
            throw e;
        }
    }

    @Override
    public void exitEveryRule(ParserRuleContext ctx) {
        if (aborted) return;
        try {
            exit(ctx);
        } catch (RuntimeException e) {
            aborted = true;
            throw e;
        }
    }

    @Override
    public void visitTerminal(TerminalNode node) {
    }

    @Override
    public void visitErrorNode(ErrorNode node) {
    }

    private void exit(ParserRuleContext ctx) {
        if (ctx instanceof DtsParser.HeaderContext h) {
            headerFlags.add(new int[] {h.PLUGIN() != null ? 1 : 0});
            headerLocs.add(loc(h.getStart()));
        } else if (ctx instanceof DtsParser.MemReserveContext m) {
            memReserve(m);
            prune(ctx);
        } else if (ctx instanceof DtsParser.NodeBodyContext) {
            lastBody = open.pop();
            sawSubnode.pop();
        } else if (ctx instanceof DtsParser.PropDefContext p) {
            propDef(p);
            prune(ctx);
        } else if (ctx instanceof DtsParser.SubNodeContext s) {
            subNode(s);
            prune(ctx);
        } else if (ctx instanceof DtsParser.PropValueContext v) {
            propValue(v);
        } else if (ctx instanceof DtsParser.CellArrayContext a) {
            value = cellArray(a);
        } else if (ctx instanceof DtsParser.ByteStringContext b) {
            value = byteString(b);
        } else if (ctx instanceof DtsParser.IncbinContext i) {
            value = incbin(i);
        } else if (ctx instanceof DtsParser.FirstItemContext || ctx instanceof DtsParser.LaterItemContext) {
            topItem(ctx);
            prune(ctx);
        }
    }

    /** Drops a finished piece of the parse tree (it is always its parent's last child). */
    private static void prune(ParserRuleContext ctx) {
        ParserRuleContext parent = ctx.getParent();
        if (parent != null && parent.children != null && !parent.children.isEmpty()
                && parent.children.get(parent.children.size() - 1) == ctx) {
            parent.removeLastChild();
        }
        ctx.children = null;
    }

    // ---- headers and memreserves --------------------------------------------------------------

    /** dtc compares each header's flags with the next one's, from the last pair back. */
    private void checkHeaders() {
        if (headersChecked) return;
        headersChecked = true;
        for (int i = headerFlags.size() - 2; i >= 0; i--) {
            if (headerFlags.get(i)[0] != headerFlags.get(i + 1)[0]) {
                throw new BadInputException(headerLocs.get(i + 1).toString(), "header flags don't match earlier ones");
            }
        }
        plugin = !headerFlags.isEmpty() && headerFlags.get(0)[0] == 1;
    }

    private void memReserve(DtsParser.MemReserveContext m) {
        long addr = DtsValues.intPrim(m.intPrim(0));
        long size = DtsValues.intPrim(m.intPrim(1));
        List<LiveTree.Label> labels = List.of();
        List<TerminalNode> ls = m.LABEL();
        for (int i = ls.size() - 1; i >= 0; i--) {
            DtsToken t = DtsValues.token(ls.get(i));
            labels = LiveTree.withLabel(labels, labelName(t), t.loc());
        }
        List<String> names = new ArrayList<>(labels.size());
        for (LiveTree.Label l : labels) names.add(l.name);
        reserves.add(new MemReserve(addr, size, names));
    }

    // ---- node contents ------------------------------------------------------------------------

    private void propDef(DtsParser.PropDefContext p) {
        LNode node = open.peek();
        if (sawSubnode.peek()) {
            throw new BadInputException(loc(p.getStart()).toString(), "properties must precede subnodes");
        }
        // children: LABEL* then PROPNODENAME [= values] ; or /delete-property/ PROPNODENAME ;
        List<ParseTree> cs = p.children;
        int i = 0;
        while (((TerminalNode) cs.get(i)).getSymbol().getType() == DtsLexer.LABEL) i++;
        boolean delete = ((TerminalNode) cs.get(i)).getSymbol().getType() == DtsLexer.DEL_PROP;
        DtsToken nameTok = DtsValues.token((TerminalNode) cs.get(delete ? i + 1 : i));
        Data val = propData != null ? propData : new Data();
        propData = null;
        Prop prop = new Prop(propName(nameTok), val, nameTok.loc());
        prop.deleted = delete;
        for (int j = i - 1; j >= 0; j--) {
            DtsToken t = DtsValues.token((TerminalNode) cs.get(j));
            prop.labels = LiveTree.withLabel(prop.labels, labelName(t), t.loc());
        }
        node.addProp(prop);
    }

    /** One piece of a value with its labels, appended to the property's value so far. */
    private void propValue(DtsParser.PropValueContext v) {
        Data piece = null;
        boolean before = true;
        for (ParseTree c : v.children) {
            if (c instanceof TerminalNode t) {
                DtsToken tok = DtsValues.token(t);
                switch (tok.getType()) {
                    case DtsLexer.LABEL -> {
                        if (propData == null) propData = new Data();
                        if (!before) mergeValue(propData, piece);
                        before = true;
                        piece = null;
                        propData.addMark(Marker.Kind.LABEL, labelName(tok), tok.loc());
                        continue;
                    }
                    case DtsLexer.STRING -> piece = DtsValues.string(tok);
                    default -> { // a reference outside cells: the path, later
                        piece = new Data();
                        piece.addMark(Marker.Kind.TYPE_STRING, null, null);
                        piece.addMark(Marker.Kind.REF_PATH, refName(tok), tok.loc());
                    }
                }
            } else {
                piece = value; // set when the cell array, byte string or /incbin/ ended
            }
            before = false;
        }
        if (piece != null) {
            if (propData == null) propData = piece; // the first piece, no label before it
            else mergeValue(propData, piece);
        }
    }

    private void subNode(DtsParser.SubNodeContext s) {
        LNode parent = open.peek();
        sawSubnode.pop();
        sawSubnode.push(Boolean.TRUE);
        DtsToken nameTok = DtsValues.token(s.PROPNODENAME());
        LNode node;
        if (s.DEL_NODE() != null) {
            node = new LNode(nodeName(nameTok), loc(s.DEL_NODE().getSymbol()));
            node.deleted = true;
        } else {
            node = lastBody;
            node.name = nodeName(nameTok);
            node.loc = nameTok.loc();
        }
        // "a: /omit-if-no-ref/ b: name { }" applies from the right, as dtc's right recursion does
        for (int i = s.children.size() - 1; i >= 0; i--) {
            ParseTree c = s.children.get(i);
            if (!(c instanceof TerminalNode t)) continue;
            int type = t.getSymbol().getType();
            if (type == DtsLexer.LABEL) tree.addLabel(node, labelName(DtsValues.token(t)), DtsValues.token(t).loc());
            else if (type == DtsLexer.OMIT) node.omitIfUnused = true;
        }
        parent.addChild(node);
    }

    // ---- values -------------------------------------------------------------------------------

    private static void mergeValue(Data into, Data v) {
        into.merge(v);
    }

    private Data cellArray(DtsParser.CellArrayContext a) {
        int bits = 32;
        Marker.Kind kind = Marker.Kind.TYPE_UINT32;
        List<ParseTree> cs = a.children;
        boolean hasBits = ((TerminalNode) cs.get(0)).getSymbol().getType() == DtsLexer.BITS;
        if (hasBits) {
            DtsToken lit = DtsValues.token((TerminalNode) cs.get(1));
            long b = lit.number;
            if (b == 8) kind = Marker.Kind.TYPE_UINT8;
            else if (b == 16) kind = Marker.Kind.TYPE_UINT16;
            else if (b == 64) kind = Marker.Kind.TYPE_UINT64;
            else if (b != 32) throw new BadInputException(lit.loc().toString(), "array elements must be 8, 16, 32 or 64-bits");
            bits = (int) b;
        }
        Data d = new Data();
        d.addMark(kind, null, null);
        for (int i = hasBits ? 3 : 1; i < cs.size() - 1; i++) {
            ParseTree c = cs.get(i);
            DtsToken tok = DtsValues.token((TerminalNode) c);
            switch (tok.getType()) {
                case DtsLexer.LITERAL, DtsLexer.CHAR_LITERAL, DtsLexer.LPAREN -> {
                    long v = tok.getType() == DtsLexer.LPAREN ? DtsValues.expr((DtsParser.ExprContext) cs.get(i + 1)) : tok.number;
                    if (bits < 64) {
                        long mask = (1L << bits) - 1;
                        if (Long.compareUnsigned(v, mask) > 0 && (v | mask) != -1L) {
                            throw new BadInputException(tok.loc().toString(), "value out of range for " + bits + "-bit array element");
                        }
                    }
                    d.appendInteger(v, bits);
                    if (tok.getType() == DtsLexer.LPAREN) i += 2;
                }
                case DtsLexer.LABEL_REF, DtsLexer.PATH_REF -> {
                    if (bits != 32) {
                        throw new BadInputException(tok.loc().toString(), "references are only allowed in arrays with 32-bit elements");
                    }
                    d.addMark(Marker.Kind.REF_PHANDLE, refName(tok), tok.loc());
                    d.appendInteger(-1L, 32);
                }
                default -> d.addMark(Marker.Kind.LABEL, labelName(tok), tok.loc());
            }
        }
        return d;
    }

    private Data byteString(DtsParser.ByteStringContext b) {
        Data d = new Data();
        d.addMark(Marker.Kind.TYPE_UINT8, null, null);
        for (ParseTree c : b.children) {
            if (!(c instanceof TerminalNode t)) continue;
            DtsToken tok = DtsValues.token(t);
            if (tok.getType() == DtsLexer.BYTE) {
                String s = tok.source.text;
                int i = tok.getStartIndex();
                d.appendByte(Character.digit(s.charAt(i), 16) * 16 + Character.digit(s.charAt(i + 1), 16));
            } else if (tok.getType() == DtsLexer.LABEL) {
                d.addMark(Marker.Kind.LABEL, labelName(tok), tok.loc());
            }
        }
        return d;
    }

    /** {@code /incbin/("file"[, offset, length])}: the file's bytes, relative to the includer. */
    private static Data incbin(DtsParser.IncbinContext i) {
        DtsToken nameTok = DtsValues.token(i.STRING());
        String where = DtsValues.token(i.INCBIN()).loc().toString();
        long offset = 0;
        long length = -1;
        if (i.intPrim().size() == 2) {
            offset = DtsValues.intPrim(i.intPrim(0));
            length = DtsValues.intPrim(i.intPrim(1));
        }
        String name = DtsTokenSource.fileName(DtsValues.stringAsCString(nameTok));
        String shown = DtsValues.printable(name);
        Path path;
        try {
            path = name.startsWith("/") ? Path.of(name) : nameTok.source.dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new BadInputException(where, "cannot open \"" + shown + "\": invalid file name");
        }
        if (!Files.isRegularFile(path)) {
            throw new BadInputException(where, "cannot open \"" + shown + "\": " + (Files.exists(path) ? "not a regular file" : "no such file"));
        }
        if (offset < 0) throw new BadInputException(where, "cannot seek to offset " + Long.toUnsignedString(offset) + " in \"" + shown + "\"");
        Data d = new Data();
        d.addMark(Marker.Kind.TYPE_NONE, null, null);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long avail = Math.max(0, size - offset);
            long n = length < 0 ? avail : Math.min(avail, length);
            if (n > MAX_VALUE_BYTES) throw new BadInputException(where, "\"" + shown + "\" is too large to include");
            byte[] b = new byte[(int) n];
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
            long pos = offset;
            while (bb.hasRemaining()) {
                int r = ch.read(bb, pos);
                if (r < 0) break;
                pos += r;
            }
            d.append(b, 0, bb.position());
        } catch (IOException | SecurityException e) {
            throw new BadInputException(where, "cannot read \"" + shown + "\": " + DtsValues.printable(String.valueOf(e.getMessage())));
        }
        return d;
    }

    // ---- top-level items ----------------------------------------------------------------------

    private void topItem(ParserRuleContext ctx) {
        if (ctx instanceof DtsParser.FirstRootContext) {
            tree.setRoot(lastBody);
        } else if (ctx instanceof DtsParser.FirstRefContext f) {
            DtsToken r = refToken(f.ref());
            if (!plugin) {
                throw new BadInputException(loc(f.nodeBody().getStart()).toString(), "label or path " + refName(r) + " not found");
            }
            LNode root = new LNode("", null);
            tree.setRoot(root);
            addOrphan(root, lastBody, refName(r));
        } else if (ctx instanceof DtsParser.RootMergeContext) {
            tree.merge(tree.root, lastBody);
        } else if (ctx instanceof DtsParser.LabelRefMergeContext m) {
            DtsToken r = refToken(m.ref());
            LNode target = tree.byRef(refName(r));
            if (target == null) throw notFound(r);
            DtsToken l = DtsValues.token(m.LABEL());
            tree.addLabel(target, labelName(l), l.loc());
            tree.merge(target, lastBody);
        } else if (ctx instanceof DtsParser.RefMergeContext m) {
            DtsToken r = refToken(m.ref());
            String ref = refName(r);
            if (plugin && r.getType() == DtsLexer.PATH_REF) {
                addOrphan(tree.root, lastBody, ref);
            } else {
                LNode target = tree.byRef(ref);
                if (target != null) tree.merge(target, lastBody);
                else if (plugin) addOrphan(tree.root, lastBody, ref);
                else throw notFound(r);
            }
        } else if (ctx instanceof DtsParser.DeleteRefContext d) {
            DtsToken r = refToken(d.ref());
            LNode target = tree.byRef(refName(r));
            if (target == null) throw notFound(r);
            LiveTree.deleteNode(target);
            if (target == tree.root) tree.rootDeletedAt = r.loc();
        } else if (ctx instanceof DtsParser.OmitRefContext o) {
            DtsToken r = refToken(o.ref());
            LNode target = tree.byRef(refName(r));
            if (target == null) throw notFound(r);
            target.omitIfUnused = true;
            if (target == tree.root) tree.rootDeletedAt = r.loc();
        }
    }

    /** dtc's add_orphan_node: {@code fragment@N { target...; __overlay__ { body } }}. */
    private void addOrphan(LNode root, LNode body, String ref) {
        Data d = new Data();
        Prop p;
        if (ref.startsWith("/")) {
            d.addMark(Marker.Kind.TYPE_STRING, null, null);
            byte[] b = ref.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            d.append(b, 0, b.length);
            d.appendByte(0);
            p = new Prop("target-path", d, null);
        } else {
            d.addMark(Marker.Kind.REF_PHANDLE, ref, null);
            d.appendInteger(0xffffffffL, 32);
            p = new Prop("target", d, null);
        }
        body.name = "__overlay__";
        LNode frag = new LNode("fragment@" + Integer.toUnsignedString(fragments++), null);
        frag.addProp(p);
        frag.addChild(body);
        tree.addChild(root, frag);
    }

    private BadInputException notFound(DtsToken r) {
        return new BadInputException(r.loc().toString(), "label or path " + refName(r) + " not found");
    }

    // ---- tokens -------------------------------------------------------------------------------

    private static Loc loc(Token t) {
        return ((DtsToken) t).loc();
    }

    private static DtsToken refToken(DtsParser.RefContext r) {
        return (DtsToken) r.getStart();
    }

    /** One String object for each distinct name: trees repeat the same names a lot. */
    private String intern(String s) {
        String x = names.putIfAbsent(s, s);
        return x == null ? s : x;
    }

    /** "&name" is a label, "&{/path}" a path. */
    private String refName(DtsToken t) {
        String s = t.source.text;
        if (t.getType() == DtsLexer.LABEL_REF) return s.substring(t.getStartIndex() + 1, t.getStopIndex() + 1);
        return s.substring(t.getStartIndex() + 2, t.getStopIndex());
    }

    /** "name:" */
    private String labelName(DtsToken t) {
        return t.source.text.substring(t.getStartIndex(), t.getStopIndex());
    }

    /** A property name (one String per distinct name), without dtc's optional leading backslash. */
    private String propName(DtsToken t) {
        return intern(nodeName(t));
    }

    /** A node name, without dtc's optional leading backslash. */
    private static String nodeName(DtsToken t) {
        String s = t.source.text;
        int from = t.getStartIndex();
        if (s.charAt(from) == '\\') from++;
        return s.substring(from, t.getStopIndex() + 1);
    }
}
