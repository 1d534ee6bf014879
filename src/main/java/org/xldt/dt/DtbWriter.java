package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens a {@link DeviceTree} into an FDT version 17 blob laid out exactly as dtc 1.6.1 lays it
 * out with default options ({@code flattree.c}): a 40-byte header, the reservation map at offset
 * 40 with its (0,0) terminator, the structure block, then the strings block in first-use order
 * where a name that equals the tail of any earlier name reuses it. Padding only when asked.
 */
public final class DtbWriter {
    public static final int FDT_MAGIC = 0xd00dfeed;
    public static final int FDT_BEGIN_NODE = 1;
    public static final int FDT_END_NODE = 2;
    public static final int FDT_PROP = 3;
    public static final int FDT_NOP = 4;
    public static final int FDT_END = 9;
    public static final int HEADER_SIZE = 40;
    public static final int VERSION = 17;
    public static final int LAST_COMP_VERSION = 16;

    private DtbWriter() {
    }

    /** The blob dtc writes for this tree with default options. */
    public static byte[] write(DeviceTree tree) {
        return write(tree, 0);
    }

    /** As {@code dtc -p PAD}: {@code pad} zero bytes appended and counted in totalsize. */
    public static byte[] write(DeviceTree tree, int pad) {
        if (pad < 0) throw new IllegalArgumentException("negative padding");
        Buf struct = new Buf(4096);
        StringTable strings = new StringTable();
        flatten(tree.root(), struct, strings);
        struct.u32(FDT_END);

        List<MemReserve> rsv = tree.reserves();
        int reserveOff = HEADER_SIZE; // already 8-aligned
        int reserveSize = (rsv.size() + 1) * 16;
        int structOff = reserveOff + reserveSize;
        int stringsOff = structOff + struct.len;
        long total = (long) stringsOff + strings.buf.len + pad;
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("device tree too large for a blob");

        Buf out = new Buf((int) total);
        out.u32(FDT_MAGIC);
        out.u32((int) total);
        out.u32(structOff);
        out.u32(stringsOff);
        out.u32(reserveOff);
        out.u32(VERSION);
        out.u32(LAST_COMP_VERSION);
        out.u32(tree.bootCpuidPhys());
        out.u32(strings.buf.len);
        out.u32(struct.len);
        for (MemReserve r : rsv) {
            out.u64(r.address());
            out.u64(r.size());
        }
        out.u64(0);
        out.u64(0);
        out.bytes(struct.data, 0, struct.len);
        out.bytes(strings.buf.data, 0, strings.buf.len);
        out.zeros(pad);
        return out.data.length == out.len ? out.data : Arrays.copyOf(out.data, out.len);
    }

    /** Pre-order flattening without recursion, so very deep trees cannot overflow the stack. */
    private static void flatten(Node root, Buf s, StringTable strings) {
        Deque<Object> work = new ArrayDeque<>();
        work.push(root);
        while (!work.isEmpty()) {
            Object item = work.pop();
            if (item == END) {
                s.u32(FDT_END_NODE);
                continue;
            }
            Node n = (Node) item;
            s.u32(FDT_BEGIN_NODE);
            byte[] nm = n.name().getBytes(StandardCharsets.ISO_8859_1);
            s.bytes(nm, 0, nm.length);
            s.zeros(1);
            s.align4();
            for (Property p : n.propertyList()) {
                int nameoff = strings.insert(p.name());
                byte[] v = p.rawValue();
                s.u32(FDT_PROP);
                s.u32(v.length);
                s.u32(nameoff);
                s.bytes(v, 0, v.length);
                s.align4();
            }
            work.push(END);
            List<Node> cs = n.childList();
            for (int i = cs.size() - 1; i >= 0; i--) work.push(cs.get(i));
        }
    }

    private static final Object END = new Object();

    /**
     * dtc's {@code stringtable_insert}: the first offset in the block where {@code str} followed by
     * NUL already stands (any suffix of an earlier name), else appended. Indexed by every suffix.
     */
    static final class StringTable {
        final Buf buf = new Buf(512);
        private final Map<String, Integer> offsets = new HashMap<>();

        int insert(String str) {
            byte[] b = str.getBytes(StandardCharsets.ISO_8859_1);
            // Names are kept as Latin-1 (one char per byte, lossless for any blob), so
            // suffixes compare byte for byte, as dtc's strcmp does.
            String key = new String(b, StandardCharsets.ISO_8859_1);
            Integer off = offsets.get(key);
            if (off != null) return off;
            int at = buf.len;
            buf.bytes(b, 0, b.length);
            buf.zeros(1);
            // Every suffix of the new string stands at a later offset than any earlier match
            // could, so putIfAbsent keeps the smallest offset, as dtc's linear scan finds it.
            for (int i = 0; i <= b.length; i++) offsets.putIfAbsent(key.substring(i), at + i);
            return at;
        }
    }

    /** A growable big-endian byte buffer. */
    static final class Buf {
        byte[] data;
        int len;

        Buf(int cap) {
            data = new byte[Math.max(cap, 16)];
        }

        private void ensure(int extra) {
            if (len + extra > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, len + extra));
        }

        void u32(int v) {
            ensure(4);
            Property.putU32(data, len, v);
            len += 4;
        }

        void u64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void bytes(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, data, len, n);
            len += n;
        }

        void zeros(int n) {
            ensure(n);
            len += n; // new array space is already zero
        }

        void align4() {
            zeros((4 - (len & 3)) & 3);
        }
    }
}
