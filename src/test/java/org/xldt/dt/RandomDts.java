package org.xldt.dt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random DTS for comparing with dtc: names of every allowed character, labels on nodes,
 * properties and inside values, references by label and by path inside and outside cells,
 * strings with escapes, character literals, byte strings, {@code /bits/}, expressions with all
 * operators, merges by {@code / { }}, {@code &label { }} and {@code &{/path} { }}, deletions,
 * {@code /omit-if-no-ref/}, memreserves, plugins, comments and cpp line markers. Mostly valid;
 * with {@code mutate}, one deliberate error (or a token dropped or repeated) is added.
 */
final class RandomDts {
    private static final String NODE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-";
    private static final String PROP_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?-";
    private static final String LABEL_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    private static final String LABEL_CHARS = LABEL_START + "0123456789";

    /** A node of the plan: what the text defines, so that references can find something. */
    private static final class G {
        final String name;
        final G parent;
        final List<String> labels = new ArrayList<>();
        final List<String> props = new ArrayList<>();
        final Map<String, G> children = new LinkedHashMap<>();
        boolean deleted;
        boolean referenced;

        G(String name, G parent) {
            this.name = name;
            this.parent = parent;
        }

        String path() {
            if (parent == null) return "/";
            return (parent.parent == null ? "" : parent.path()) + "/" + name;
        }
    }

    private final Random r;
    private final StringBuilder out = new StringBuilder();
    private final List<String> tokens = new ArrayList<>();
    private final List<G> all = new ArrayList<>();
    private int fresh;
    private boolean plugin;
    private final int size;

    private RandomDts(long seed, int size) {
        this.r = new Random(seed);
        this.size = size;
    }

    /** A random DTS text; {@code size} (1..) scales the tree. */
    static String generate(long seed, int size, boolean mutate) {
        RandomDts g = new RandomDts(seed, size);
        g.file();
        if (mutate) g.mutate();
        return g.render();
    }

    // ---- plan and emit --------------------------------------------------------------------------

    private void file() {
        plugin = r.nextInt(8) == 0;
        if (r.nextInt(6) == 0) {
            raw("# 1 \"in.dts\"\n");
        }
        int headers = 1 + (r.nextInt(5) == 0 ? 1 : 0);
        for (int i = 0; i < headers; i++) {
            t("/dts-v1/");
            t(";");
            if (plugin) {
                t("/plugin/");
                t(";");
            }
        }
        for (int i = r.nextInt(3); i > 0; i--) memreserve();
        G root = new G("", null);
        all.add(root);
        if (plugin && r.nextInt(3) == 0) {
            // a plugin may start with a fragment for a label it does not define
            t("&" + freshLabel());
            block(new G("__overlay__", null), 1, false);
        }
        t("/");
        block(root, 0, true);
        for (int i = r.nextInt(2 + size); i > 0; i--) laterItem(root);
    }

    private void memreserve() {
        for (int i = r.nextInt(3); i > 0; i--) t(freshLabel() + ":");
        t("/memreserve/");
        t(intPrim(64));
        t(intPrim(64));
        t(";");
    }

    private void laterItem(G root) {
        int k = r.nextInt(10);
        List<G> live = liveNodes();
        G target = live.get(r.nextInt(live.size()));
        if (k < 3) {
            t("/");
            block(root, 0, false);
        } else if (k < 6) {
            String ref = refTo(target, true);
            if (ref == null) return;
            if (r.nextInt(3) == 0) {
                String l = freshLabel();
                t(l + ":");
                target.labels.add(l);
            }
            t(ref);
            if (plugin && ref.startsWith("&{")) block(new G("__overlay__", null), 1, false); // always a fragment
            else block(target, depthOf(target), false);
        } else if (k < 7 && target.parent != null && deletable(target) && refTo(target, false) != null) {
            t("/delete-node/");
            t(refTo(target, r.nextBoolean()));
            t(";");
            markDeleted(target);
        } else if (k < 8 && refTo(target, false) != null) {
            t("/omit-if-no-ref/");
            t(refTo(target, r.nextBoolean()));
            t(";");
        } else if (plugin) {
            t("&" + freshLabel());
            block(new G("__overlay__", null), 1, false);
        } else {
            t("/");
            block(root, 0, false);
        }
    }

    /**
     * {@code { props; children; };} for {@code g}. New nodes and properties get fresh names;
     * a block for an existing node also updates, deletes and merges what it has.
     */
    private void block(G g, int depth, boolean fresh) {
        t("{");
        List<String> used = new ArrayList<>();
        int nprops = r.nextInt(2 + Math.min(size, 4));
        for (int i = 0; i < nprops; i++) {
            String name;
            if (!g.props.isEmpty() && r.nextInt(3) == 0) {
                name = g.props.get(r.nextInt(g.props.size()));
                if (used.contains(name)) continue;
                if (r.nextInt(4) == 0) {
                    used.add(name);
                    t("/delete-property/");
                    t(name);
                    t(";");
                    continue;
                }
            } else {
                name = propName();
                if (used.contains(name) || g.props.contains(name)) continue;
                g.props.add(name);
            }
            used.add(name);
            property(name, g);
        }
        int nchildren = depth >= 3 + size / 4 ? 0 : r.nextInt(2 + Math.min(size, 3));
        List<String> usedNodes = new ArrayList<>();
        for (int i = 0; i < nchildren; i++) {
            boolean existing = !fresh && !g.children.isEmpty() && r.nextInt(2) == 0;
            if (existing) {
                List<G> cs = new ArrayList<>(g.children.values());
                G c = cs.get(r.nextInt(cs.size()));
                if (usedNodes.contains(c.name)) continue;
                usedNodes.add(c.name);
                if (r.nextInt(5) == 0 && !c.deleted && deletable(c)) {
                    t("/delete-node/");
                    t(c.name);
                    t(";");
                    markDeleted(c);
                    continue;
                }
                c.deleted = false;
                labelsFor(c);
                t(c.name);
                block(c, depth + 1, false);
            } else {
                String name = nodeName();
                if (usedNodes.contains(name) || g.children.containsKey(name)) continue;
                usedNodes.add(name);
                G c = new G(name, g);
                g.children.put(name, c);
                all.add(c);
                if (r.nextInt(8) == 0) t("/omit-if-no-ref/");
                labelsFor(c);
                t(name.startsWith("\\") ? name : (r.nextInt(10) == 0 ? "\\" + name : name));
                block(c, depth + 1, true);
            }
        }
        t("}");
        t(";");
    }

    private void labelsFor(G c) {
        for (int j = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0; j > 0; j--) {
            String l = freshLabel();
            c.labels.add(l);
            t(l + ":");
        }
    }

    private void property(String name, G g) {
        if (r.nextInt(6) == 0) t(freshLabel() + ":");
        t(name.startsWith("\\") || r.nextInt(12) != 0 ? name : "\\" + name);
        if (name.equals("name")) {
            t("=");
            t("\"" + baseName(g.name) + "\"");
            t(";");
            return;
        }
        if (r.nextInt(7) == 0) {
            t(";");
            return;
        }
        t("=");
        int pieces = 1 + r.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            if (i > 0) t(",");
            if (r.nextInt(8) == 0) t(freshLabel() + ":");
            piece();
            if (r.nextInt(10) == 0) t(freshLabel() + ":");
        }
        t(";");
    }

    private static String baseName(String n) {
        String s = n.startsWith("\\") ? n.substring(1) : n;
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }

    private void piece() {
        switch (r.nextInt(9)) {
            case 0, 1 -> t(string());
            case 2 -> bytes();
            case 3 -> {
                String ref = refTo(randomNode(), r.nextBoolean());
                t(ref == null ? string() : ref);
            }
            default -> cells();
        }
    }

    private void cells() {
        int bits = switch (r.nextInt(8)) {
            case 0 -> 8;
            case 1 -> 16;
            case 2 -> 64;
            default -> 32;
        };
        if (bits != 32 || r.nextInt(10) == 0) {
            t("/bits/");
            t(String.valueOf(bits));
        }
        t("<");
        for (int i = r.nextInt(5); i > 0; i--) {
            int k = r.nextInt(10);
            if (k == 0) {
                t(freshLabel() + ":");
            } else if (k < 3 && bits == 32) {
                String ref = refTo(randomNode(), r.nextBoolean());
                t(ref != null ? ref : "0");
            } else {
                t(intPrim(bits));
            }
        }
        t(">");
    }

    private void bytes() {
        t("[");
        boolean compact = r.nextBoolean();
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            if (r.nextInt(8) == 0) {
                if (b.length() > 0) t(b.toString());
                b.setLength(0);
                t(freshLabel() + ":");
            }
            b.append(String.format(r.nextBoolean() ? "%02x" : "%02X", r.nextInt(256)));
            if (!compact) {
                t(b.toString());
                b.setLength(0);
            }
        }
        if (b.length() > 0) t(b.toString());
        t("]");
    }

    // ---- integers -----------------------------------------------------------------------------

    /** An integer_prim whose value fits {@code bits} (or is a negative number that does). */
    private String intPrim(int bits) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        return switch (r.nextInt(6)) {
            case 0 -> charLiteral();
            case 1, 2 -> "(" + expr(2) + (bits == 64 ? "" : " & " + hex(mask)) + ")";
            case 3 -> bits == 64 ? "(-" + literal(mask) + ")" : "(" + (r.nextBoolean() ? "-" : "~") + literal(mask >>> 1) + ")";
            default -> literal(mask);
        };
    }

    private String literal(long max) {
        long v = r.nextInt(4) == 0 ? max : (r.nextBoolean() ? r.nextInt(16) : r.nextLong() & max);
        String suffix = switch (r.nextInt(12)) {
            case 0 -> "U";
            case 1 -> "L";
            case 2 -> "UL";
            case 3 -> "LL";
            case 4 -> "ULL";
            default -> "";
        };
        return switch (r.nextInt(4)) {
            case 0 -> Long.toUnsignedString(v) + suffix;
            case 1 -> "0" + Long.toOctalString(v) + suffix;
            case 2 -> (r.nextBoolean() ? "0x" : "0X") + Long.toHexString(v) + suffix;
            default -> hex(v);
        };
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private String expr(int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return r.nextInt(4) == 0 ? charLiteral() : literal(r.nextBoolean() ? 0xff : -1L);
        }
        String a = expr(depth - 1);
        String b = expr(depth - 1);
        return switch (r.nextInt(22)) {
            case 0 -> "(" + a + " + " + b + ")";
            case 1 -> "(" + a + " - " + b + ")";
            case 2 -> "(" + a + " * " + b + ")";
            case 3 -> "(" + a + " / " + (1 + r.nextInt(9)) + ")";
            case 4 -> "(" + a + " % " + (1 + r.nextInt(9)) + ")";
            case 5 -> "(" + a + " << " + r.nextInt(70) + ")";
            case 6 -> "(" + a + " >> " + r.nextInt(70) + ")";
            case 7 -> "(" + a + " < " + b + ")";
            case 8 -> "(" + a + " > " + b + ")";
            case 9 -> "(" + a + " <= " + b + ")";
            case 10 -> "(" + a + " >= " + b + ")";
            case 11 -> "(" + a + " == " + b + ")";
            case 12 -> "(" + a + " != " + b + ")";
            case 13 -> "(" + a + " & " + b + ")";
            case 14 -> "(" + a + " ^ " + b + ")";
            case 15 -> "(" + a + " | " + b + ")";
            case 16 -> "(" + a + " && " + b + ")";
            case 17 -> "(" + a + " || " + b + ")";
            case 18 -> "(" + a + " ? " + b + " : " + expr(depth - 1) + ")";
            case 19 -> "-" + a;
            case 20 -> "~" + a;
            default -> "!" + a;
        };
    }

    private String charLiteral() {
        String[] escapes = {"\\n", "\\t", "\\'", "\\\"", "\\x41", "\\x7", "\\101", "\\0", "\\377", "\\r", "\\a", "\\q"};
        if (r.nextInt(3) == 0) return "'" + escapes[r.nextInt(escapes.length)] + "'";
        char c;
        do {
            c = (char) (0x20 + r.nextInt(0x5f));
        } while (c == '\'' || c == '\\');
        return "'" + c + "'";
    }

    private String string() {
        StringBuilder b = new StringBuilder("\"");
        for (int i = r.nextInt(8); i > 0; i--) {
            int k = r.nextInt(20);
            if (k < 12) {
                char c;
                do {
                    c = (char) (0x20 + r.nextInt(0x5f));
                } while (c == '"' || c == '\\');
                b.append(c);
            } else if (k < 17) {
                String[] e = {"\\n", "\\t", "\\\\", "\\\"", "\\'", "\\r", "\\a", "\\b", "\\v", "\\f", "\\q", "\\8",
                    "\\x4f", "\\xA", "\\x 1", "\\x-1", "\\x0x", "\\0", "\\12", "\\123", "\\1234", "\\777"};
                b.append(e[r.nextInt(e.length)]);
            } else if (k < 19) {
                b.append((char) (0xa0 + r.nextInt(0x5f))); // non-ASCII (written as UTF-8)
            } else {
                b.append('\n');
            }
        }
        return b.append('"').toString();
    }

    // ---- names, labels, references ------------------------------------------------------------

    private String name(String chars, int maxLen) {
        StringBuilder b = new StringBuilder();
        for (int i = 1 + r.nextInt(maxLen); i > 0; i--) b.append(chars.charAt(r.nextInt(chars.length())));
        return b.toString();
    }

    private String nodeName() {
        String n = name(NODE_CHARS, 6);
        if (r.nextInt(3) == 0) n += "@" + (r.nextBoolean() ? Integer.toHexString(r.nextInt(0x10000)) : name(NODE_CHARS, 4));
        return n;
    }

    private String propName() {
        return switch (r.nextInt(25)) {
            case 0 -> "name";
            case 1 -> "#address-cells";
            case 2 -> "compatible";
            default -> name(PROP_CHARS, 8);
        };
    }

    private String freshLabel() {
        return LABEL_START.charAt(r.nextInt(LABEL_START.length())) + name(LABEL_CHARS, 4) + "_" + (fresh++);
    }

    private G randomNode() {
        List<G> live = liveNodes();
        return live.get(r.nextInt(live.size()));
    }

    private List<G> liveNodes() {
        List<G> l = new ArrayList<>();
        for (G g : all) if (!g.deleted && g.name.indexOf('_') != 0) l.add(g);
        return l;
    }

    /** {@code &label} or {@code &{/path}}, or null when neither is possible. */
    private String refTo(G g, boolean byLabel) {
        if (g.parent == null && !g.path().equals("/")) return null; // a fragment's body
        String ref = null;
        if (byLabel && !g.labels.isEmpty()) {
            ref = "&" + g.labels.get(r.nextInt(g.labels.size()));
        } else {
            for (G x = g; x != null; x = x.parent) if (x.name.startsWith("__")) return null;
            ref = "&{" + g.path() + "}";
        }
        for (G x = g; x != null; x = x.parent) x.referenced = true;
        return ref;
    }

    /** Deletes a node if nothing refers to it so far (mostly; sometimes anyway). */
    private boolean deletable(G g) {
        return r.nextInt(10) == 0 || !anyReferenced(g);
    }

    private static boolean anyReferenced(G g) {
        if (g.referenced) return true;
        for (G c : g.children.values()) if (anyReferenced(c)) return true;
        return false;
    }

    private void markDeleted(G g) {
        g.deleted = true;
        g.labels.clear(); // deleted with the node, even if the node comes back
        for (G c : g.children.values()) markDeleted(c);
    }

    private int depthOf(G g) {
        int d = 0;
        for (G x = g.parent; x != null; x = x.parent) d++;
        return d;
    }

    // ---- mutations ------------------------------------------------------------------------------

    /** One deliberate error, or a token lost or doubled (which may or may not be an error). */
    private void mutate() {
        int at = r.nextInt(tokens.size());
        switch (r.nextInt(9)) {
            case 0 -> tokens.remove(at);
            case 1 -> tokens.add(at, tokens.get(at));
            case 2 -> tokens.add(at, new String[] {"=", ";", "{", "}", "<", ">", "$", "&", "(", ":", "/"}[r.nextInt(11)]);
            case 3 -> tokens.add(indexAfter("="), "<&undefined_label>,");
            case 4 -> tokens.add(indexAfter("="), "&{/no/such/node},");
            case 5 -> tokens.add("&no_such_label");
            case 6 -> {
                // a label used twice
                for (String t : tokens) {
                    if (t.endsWith(":") && !t.equals(":")) {
                        tokens.add(indexAfter("{"), t);
                        break;
                    }
                }
                tokens.add(indexAfter("{"), "dup_label:");
                tokens.add(indexAfter("{"), "dup_label:");
            }
            case 7 -> tokens.add(indexAfter("="), "<(1 / 0)>,");
            default -> tokens.add(indexAfter("="), "/bits/ 8 <256>,");
        }
        if (tokens.get(tokens.size() - 1).startsWith("&")) tokens.add("{ };");
    }

    private int indexAfter(String tok) {
        List<Integer> is = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) if (tokens.get(i).equals(tok)) is.add(i + 1);
        return is.isEmpty() ? tokens.size() : is.get(r.nextInt(is.size()));
    }

    // ---- text -----------------------------------------------------------------------------------

    private void t(String tok) {
        if (tok == null) throw new IllegalStateException("no token");
        tokens.add(tok);
    }

    private void raw(String s) {
        tokens.add("\u0000" + s);
    }

    private String render() {
        for (String tok : tokens) {
            if (tok.startsWith("\u0000")) {
                out.append(tok, 1, tok.length());
                continue;
            }
            out.append(tok);
            out.append(switch (r.nextInt(24)) {
                case 0 -> "\n";
                case 1 -> "\t";
                case 2 -> " /* c */ ";
                case 3 -> " // line\n";
                case 4 -> "\n\n  ";
                default -> " ";
            });
        }
        return out.toString();
    }
}
