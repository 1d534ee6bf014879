package org.xldt.dt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Writes a {@link DeviceTree} as DTS text exactly as dtc 1.6.1 does ({@code treesource.c}): for a
 * tree read from a DTB the text equals {@code dtc -I dtb -O dts}, and for properties that carry
 * {@link Marker}s (from DTS) it equals {@code dtc -I dts -O dts}.
 *
 * <p>The rules, taken from dtc 1.6.1's behaviour:
 * <ul>
 * <li>{@code /dts-v1/;}, a blank line, one {@code /memreserve/\t0x%016x 0x%016x;} line per entry
 *     (with its labels), then the tree; one tab per level; a blank line before every child node;
 *     an unnamed node prints as {@code /}. dtc 1.6.1 prints no {@code /plugin/;} line.</li>
 * <li>A value with no type marker is guessed whole: a string (list) when it ends in NUL, every
 *     byte is printable ASCII, NUL or one of {@code \a\b\t\n\v\f\r}, it has no more NULs than
 *     other bytes, and no label sits right after a non-NUL byte; else cells when its length is a
 *     multiple of 4 and no label is unaligned; else bytes.</li>
 * <li>Typed runs print with their delimiters ({@code "..."}, {@code <0x%02x ...>}, {@code [%02x
 *     ...]}, {@code /bits/ 16 <...>}, {@code /bits/ 64 <...>}); labels inside values print as
 *     {@code " name:"}; a reference marker only splits a run (1.6.1 prints phandles and paths as
 *     their values, not as {@code &ref}).</li>
 * <li>Strings escape {@code \a \b \t \n \v \f \r \\ \"}, an embedded NUL as {@code \0}, and other
 *     non-printable bytes as {@code \xNN}; a byte of 0x80 or more prints as {@code \xffffffNN},
 *     as dtc's signed {@code char} does on x86.</li>
 * </ul>
 * Marker lists that dtc itself could not print (it would abort on an assertion: a cell run whose
 * length is not a multiple of its width, a string run without its NUL, bytes before the first
 * type marker) are printed as if they had only their labels, with the type guessed.
 *
 * <p>Runs in time linear in the output, without recursion.
 */
public final class DtsWriter {
    private DtsWriter() {
    }

    /** The DTS text of {@code tree}. Names and labels are Latin-1 strings, one char per byte. */
    public static String write(DeviceTree tree) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("/dts-v1/;\n\n");
        for (MemReserve r : tree.reserves()) {
            for (String l : r.labels()) sb.append(l).append(": ");
            sb.append("/memreserve/\t0x").append(hex16(r.address())).append(" 0x").append(hex16(r.size())).append(";\n");
        }
        writeTree(sb, tree.root());
        return sb.toString();
    }

    private static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }

    private record Frame(Node node, int level) {
    }

    private static final Frame CLOSE = new Frame(null, -1);

    private static void writeTree(StringBuilder sb, Node root) {
        // Work items: a node to open (then its properties, children and close), or the close of
        // the node below it on the stack.
        Deque<Object> work = new ArrayDeque<>();
        work.push(new Frame(root, 0));
        Deque<Frame> open = new ArrayDeque<>();
        while (!work.isEmpty()) {
            Object item = work.pop();
            if (item == CLOSE) {
                Frame f = open.pop();
                tabs(sb, f.level);
                sb.append("};\n");
                continue;
            }
            Frame f = (Frame) item;
            Node n = f.node;
            if (f.level > 0) sb.append('\n');
            tabs(sb, f.level);
            for (String l : n.labels()) sb.append(l).append(": ");
            sb.append(n.name().isEmpty() ? "/" : n.name()).append(" {\n");
            for (Property p : n.propertyList()) {
                tabs(sb, f.level + 1);
                for (String l : p.labels()) sb.append(l).append(": ");
                sb.append(p.name());
                writeValue(sb, p.rawValue(), p.markers());
            }
            open.push(f);
            work.push(CLOSE);
            List<Node> cs = n.childList();
            for (int i = cs.size() - 1; i >= 0; i--) work.push(new Frame(cs.get(i), f.level + 1));
        }
    }

    private static void tabs(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append('\t');
    }

    // ---- values -----------------------------------------------------------------------------

    /** Appends {@code ;\n} or {@code  = VALUE;\n} for one property. */
    static void writeValue(StringBuilder sb, byte[] v, List<Marker> markers) {
        if (v.length == 0) {
            sb.append(";\n");
            return;
        }
        sb.append(" =");
        appendValue(sb, v, markers);
        sb.append(";\n");
    }

    /**
     * A property's value as dtc prints it after {@code name = } (without the {@code ;}), e.g.
     * {@code <0x1 0x2>, "a"}; the empty string for an empty property. Labels inside the value are
     * left out: this is the value, for comparisons and messages ({@link TreeDiff}).
     */
    static String valueText(Property p) {
        byte[] v = p.rawValue();
        if (v.length == 0) return "";
        List<Marker> ms = p.markers();
        if (!ms.isEmpty()) {
            List<Marker> kept = new ArrayList<>(ms.size());
            for (Marker m : ms) if (m.kind() != Marker.Kind.LABEL) kept.add(m);
            ms = kept;
        }
        StringBuilder sb = new StringBuilder(Math.min(4 * v.length + 8, 1 << 16));
        appendValue(sb, v, ms);
        return sb.substring(1); // each run starts with a space
    }

    /** Appends a non-empty value's runs, each preceded by a space: {@code  <0x1>, "a"}. */
    private static void appendValue(StringBuilder sb, byte[] v, List<Marker> markers) {
        List<Marker> ms = sorted(markers);
        int mark = sb.length();
        boolean typed = false;
        for (Marker m : ms) typed |= m.kind().isType();
        if (!typed || !render(sb, v, ms)) {
            // As dtc: a guessed type run at offset 0 ahead of the other markers. If those
            // markers do not fit the guess (dtc would abort), keep only the labels.
            List<Marker> labels = new ArrayList<>();
            List<Marker> untyped = new ArrayList<>();
            for (Marker m : ms) {
                if (m.kind().isType() || m.offset() > v.length) continue;
                untyped.add(m);
                if (m.kind() == Marker.Kind.LABEL) labels.add(m);
            }
            Marker guessed = Marker.type(0, guess(v, labels));
            sb.setLength(mark);
            if (!render(sb, v, prepend(guessed, untyped))) {
                sb.setLength(mark);
                if (!render(sb, v, prepend(guessed, labels))) throw new IllegalStateException("guessed markers must render");
            }
        }
    }

    private static List<Marker> prepend(Marker first, List<Marker> rest) {
        List<Marker> l = new ArrayList<>(rest.size() + 1);
        l.add(first);
        l.addAll(rest);
        return l;
    }

    private static List<Marker> sorted(List<Marker> markers) {
        if (markers.isEmpty()) return markers;
        for (int i = 1; i < markers.size(); i++) {
            if (markers.get(i).offset() < markers.get(i - 1).offset()) {
                List<Marker> copy = new ArrayList<>(markers);
                copy.sort(Comparator.comparingInt(Marker::offset)); // stable
                return copy;
            }
        }
        return markers;
    }

    /** dtc's guess for a value without type information. */
    static Marker.Kind guess(byte[] p, List<Marker> labels) {
        int len = p.length;
        int notString = 0;
        int nul = 0;
        for (byte b : p) {
            if (!isStringByte(b)) notString++;
            if (b == 0) nul++;
        }
        int notStringLabel = 0;
        int notCellLabel = 0;
        for (Marker m : labels) {
            if (m.offset() > 0 && p[m.offset() - 1] != 0) notStringLabel++;
            if (m.offset() % 4 != 0) notCellLabel++;
        }
        if (p[len - 1] == 0 && notString == 0 && nul <= len - nul && notStringLabel == 0) return Marker.Kind.TYPE_STRING;
        if (len % 4 == 0 && notCellLabel == 0) return Marker.Kind.TYPE_UINT32;
        return Marker.Kind.TYPE_UINT8;
    }

    /** C's {@code isprint} in the C locale, NUL, or one of {@code \a\b\t\n\v\f\r}. */
    private static boolean isStringByte(byte b) {
        int c = b & 0xff;
        return (c >= 0x20 && c < 0x7f) || c == 0 || (c >= 7 && c <= 13);
    }

    /**
     * dtc's {@code write_propval} loop over a marker list sorted by offset. Returns false (with
     * {@code sb} partly written) when dtc would fail an assertion on these markers.
     */
    private static boolean render(StringBuilder sb, byte[] v, List<Marker> ms) {
        int len = v.length;
        int n = ms.size();
        // nextType[i]: offset of the first type marker after index i, or -1.
        int[] nextType = new int[n];
        int next = -1;
        for (int i = n - 1; i >= 0; i--) {
            nextType[i] = next;
            if (ms.get(i).kind().isType()) next = ms.get(i).offset();
        }
        Marker.Kind emit = null;
        for (int i = 0; i < n; i++) {
            Marker m = ms.get(i);
            int off = m.offset();
            if (off > len) return false;
            int chunkEnd = i + 1 < n ? ms.get(i + 1).offset() : len;
            int chunk = chunkEnd - off;
            int typeLen = nextType[i] < 0 ? 0 : nextType[i] - off;
            int dataLen = typeLen != 0 ? typeLen : len - off;

            if (m.kind().isType()) {
                emit = m.kind();
                sb.append(' ').append(delimStart(emit));
            } else if (m.kind() == Marker.Kind.LABEL) {
                sb.append(' ').append(m.ref()).append(':');
            } else if (off != 0) {
                sb.append(' ');
            }
            if (emit == null) {
                if (chunk != 0) return false;
                continue;
            }
            switch (emit) {
                case TYPE_STRING -> {
                    if (!string(sb, v, off, chunk)) return false;
                }
                case TYPE_UINT8, TYPE_UINT16, TYPE_UINT32, TYPE_UINT64 -> {
                    if (!ints(sb, v, off, chunk, emit.width())) return false;
                }
                default -> throw new IllegalStateException(emit.toString());
            }
            if (chunk == dataLen) {
                sb.append(delimEnd(emit));
                if (off + chunk != len) sb.append(',');
                emit = null;
            }
        }
        return true;
    }

    private static String delimStart(Marker.Kind k) {
        return switch (k) {
            case TYPE_UINT8 -> "[";
            case TYPE_UINT16 -> "/bits/ 16 <";
            case TYPE_UINT32 -> "<";
            case TYPE_UINT64 -> "/bits/ 64 <";
            default -> "";
        };
    }

    private static String delimEnd(Marker.Kind k) {
        return switch (k) {
            case TYPE_UINT8 -> "]";
            case TYPE_UINT16, TYPE_UINT32, TYPE_UINT64 -> ">";
            default -> "";
        };
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static boolean ints(StringBuilder sb, byte[] v, int off, int len, int width) {
        if (len % width != 0) return false;
        int end = off + len;
        for (int p = off; p < end; p += width) {
            if (width == 1) {
                int b = v[p] & 0xff;
                sb.append(HEX[b >> 4]).append(HEX[b & 15]);
            } else {
                long x = 0;
                for (int i = 0; i < width; i++) x = (x << 8) | (v[p + i] & 0xff);
                sb.append("0x");
                if (Long.compareUnsigned(x, 16) < 0) sb.append('0');
                sb.append(Long.toHexString(x));
            }
            if (p + width < end) sb.append(' ');
        }
        return true;
    }

    private static boolean string(StringBuilder sb, byte[] v, int off, int len) {
        if (len == 0) return true;
        int end = off + len - 1;
        if (v[end] != 0) return false;
        sb.append('"');
        for (int i = off; i < end; i++) {
            int c = v[i] & 0xff;
            switch (c) {
                case 7 -> sb.append("\\a");
                case 8 -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case 11 -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case 0 -> sb.append("\\0");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        // dtc prints a signed char with %02x: bytes >= 0x80 sign-extend.
                        sb.append("\\x");
                        if (c >= 0x80) sb.append("ffffff");
                        sb.append(HEX[c >> 4]).append(HEX[c & 15]);
                    }
                }
            }
        }
        sb.append('"');
        return true;
    }
}
