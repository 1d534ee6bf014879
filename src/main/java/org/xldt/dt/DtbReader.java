package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xldt.BadInputException;

/**
 * Reads a flattened device tree (FDT version 16 or 17) into a {@link DeviceTree}, checking
 * everything a hostile blob could get wrong: magic, versions, every header offset and size
 * against {@code totalsize} and the file length, block alignment and overlap, the reservation
 * map, and the token stream (names, property lengths, string offsets, nesting, {@code FDT_END}).
 *
 * <p>A bad blob gives exactly one {@link BadInputException} located {@code FILE: offset 0xNN} at
 * the byte where the problem is. The reader is a single forward pass with an explicit node stack
 * (no recursion), so it runs in linear time and cannot overflow the stack on deep trees. Bytes
 * after {@code totalsize} (QEMU pads its dumps to 1 MiB) and free space inside it are ignored.
 * Names are decoded as ISO-8859-1 (one char per byte), so any blob round-trips; duplicate
 * property names are kept, in order, for the checks to report.
 */
public final class DtbReader {
    /** Header field offsets. */
    static final int OFF_MAGIC = 0x00;
    static final int OFF_TOTALSIZE = 0x04;
    static final int OFF_DT_STRUCT = 0x08;
    static final int OFF_DT_STRINGS = 0x0c;
    static final int OFF_MEM_RSVMAP = 0x10;
    static final int OFF_VERSION = 0x14;
    static final int OFF_LAST_COMP_VERSION = 0x18;
    static final int OFF_BOOT_CPUID_PHYS = 0x1c;
    static final int OFF_SIZE_DT_STRINGS = 0x20;
    static final int OFF_SIZE_DT_STRUCT = 0x24;

    /** Header length of a version 16 blob (no {@code size_dt_struct}) and of a version 17 one. */
    static final int HEADER_SIZE_V16 = 0x24;
    static final int HEADER_SIZE_V17 = 0x28;

    private final byte[] blob;
    private final String source;
    private Node root;

    private DtbReader(byte[] blob, String source) {
        this.blob = blob;
        this.source = source == null ? "" : source;
    }

    /**
     * Parses {@code blob}; {@code sourceName} names it in error locations.
     *
     * @throws BadInputException for any malformed blob, located at the offending byte offset
     */
    public static DeviceTree read(byte[] blob, String sourceName) {
        if (blob == null) throw new IllegalArgumentException("blob");
        return new DtbReader(blob, sourceName).read();
    }

    /** True if {@code data} starts with the FDT magic number. */
    public static boolean hasMagic(byte[] data) {
        return data != null && data.length >= 4 && Property.getU32(data, 0) == DtbWriter.FDT_MAGIC;
    }

    // ---- the parse --------------------------------------------------------------------------

    private DeviceTree read() {
        Header h = header();
        List<MemReserve> reserves = new ArrayList<>();
        long rsvEnd = reserveMap(h, reserves);
        Strings strings = new Strings(h.stringsOff, h.stringsSize);
        long structEnd = structure(h, strings);
        checkOverlaps(h, rsvEnd, structEnd);

        DeviceTree tree = new DeviceTree(root);
        tree.reserves().addAll(reserves);
        tree.setBootCpuidPhys(h.bootCpuidPhys);
        return tree;
    }

    private record Header(int version, long totalsize, long structOff, long structLimit, boolean structSized,
                          long stringsOff, long stringsSize, long rsvOff, int bootCpuidPhys, int headerSize) {
    }

    private Header header() {
        if (blob.length < 4) throw bad(blob.length, "file too short for a DTB header (" + blob.length + " bytes)");
        int magic = u32(OFF_MAGIC);
        if (magic != DtbWriter.FDT_MAGIC) {
            throw bad(OFF_MAGIC, String.format("bad magic 0x%08x (a DTB starts with 0xd00dfeed)", magic));
        }
        if (blob.length < OFF_LAST_COMP_VERSION + 4) throw truncatedHeader();
        long version = u32u(OFF_VERSION);
        if (version != 16 && version != 17) {
            throw bad(OFF_VERSION, "unsupported FDT version " + version + " (only 16 and 17 are read)");
        }
        int hs = version == 17 ? HEADER_SIZE_V17 : HEADER_SIZE_V16;
        if (blob.length < hs) throw truncatedHeader();
        long lastComp = u32u(OFF_LAST_COMP_VERSION);
        if (lastComp > version || lastComp < 1) {
            throw bad(OFF_LAST_COMP_VERSION, "last compatible version " + lastComp + " does not fit version " + version);
        }
        long total = u32u(OFF_TOTALSIZE);
        if (total < hs) throw bad(OFF_TOTALSIZE, "totalsize " + hex(total) + " is smaller than the " + hs + "-byte header");
        if (total > blob.length) {
            throw bad(OFF_TOTALSIZE, "totalsize " + hex(total) + " is larger than the file (" + hex(blob.length) + " bytes): truncated blob");
        }

        long rsvOff = u32u(OFF_MEM_RSVMAP);
        if (rsvOff < hs || rsvOff > total) {
            throw bad(OFF_MEM_RSVMAP, "memory reservation map offset " + hex(rsvOff) + " is outside " + hex(hs) + ".." + hex(total));
        }
        if ((rsvOff & 7) != 0) throw bad(OFF_MEM_RSVMAP, "memory reservation map offset " + hex(rsvOff) + " is not 8-byte aligned");

        long structOff = u32u(OFF_DT_STRUCT);
        if (structOff < hs || structOff > total) {
            throw bad(OFF_DT_STRUCT, "structure block offset " + hex(structOff) + " is outside " + hex(hs) + ".." + hex(total));
        }
        if ((structOff & 3) != 0) throw bad(OFF_DT_STRUCT, "structure block offset " + hex(structOff) + " is not 4-byte aligned");
        long structLimit = total;
        if (version >= 17) {
            long size = u32u(OFF_SIZE_DT_STRUCT);
            if (structOff + size > total) {
                throw bad(OFF_SIZE_DT_STRUCT, "structure block " + range(structOff, size) + " runs past totalsize " + hex(total));
            }
            structLimit = structOff + size;
        }

        long stringsOff = u32u(OFF_DT_STRINGS);
        if (stringsOff < hs || stringsOff > total) {
            throw bad(OFF_DT_STRINGS, "strings block offset " + hex(stringsOff) + " is outside " + hex(hs) + ".." + hex(total));
        }
        long stringsSize = u32u(OFF_SIZE_DT_STRINGS);
        if (stringsOff + stringsSize > total) {
            throw bad(OFF_SIZE_DT_STRINGS, "strings block " + range(stringsOff, stringsSize) + " runs past totalsize " + hex(total));
        }
        return new Header((int) version, total, structOff, structLimit, version >= 17, stringsOff, stringsSize, rsvOff,
                u32(OFF_BOOT_CPUID_PHYS), hs);
    }

    private BadInputException truncatedHeader() {
        return bad(blob.length, "file too short for a DTB header (" + blob.length + " bytes)");
    }

    /**
     * Reads the reservation entries up to the terminator (an entry whose size is 0, as dtc and
     * libfdt take it) and returns the offset just past the terminator.
     */
    private long reserveMap(Header h, List<MemReserve> out) {
        long at = h.rsvOff;
        while (true) {
            if (at + 16 > h.totalsize) {
                throw bad(at, "memory reservation map has no terminating entry before totalsize " + hex(h.totalsize));
            }
            long address = u64((int) at);
            long size = u64((int) at + 8);
            if (size == 0) return at + 16;
            if (Long.compareUnsigned(address + size - 1, address) < 0) {
                throw bad(at, String.format("memory reservation 0x%x + 0x%x wraps past the end of the address space", address, size));
            }
            out.add(new MemReserve(address, size));
            at += 16;
        }
    }

    // ---- structure block ----------------------------------------------------------------------

    /** Parses the token stream; returns the offset just past {@code FDT_END}. */
    private long structure(Header h, Strings strings) {
        final int end = (int) h.structLimit;
        int pos = (int) h.structOff;
        List<Node> stack = new ArrayList<>();
        List<Integer> openedAt = new ArrayList<>();
        while (true) {
            if (pos + 4 > end) {
                pos = Math.min(pos, end); // name or value padding may reach past the end
                if (!stack.isEmpty()) {
                    throw bad(pos, "structure block ends inside node '" + pathOf(stack) + "' (opened at "
                            + hex(openedAt.get(openedAt.size() - 1)) + ") without FDT_END_NODE");
                }
                throw bad(pos, "structure block ends without FDT_END");
            }
            int tokenAt = pos;
            int token = u32(pos);
            pos += 4;
            switch (token) {
                case DtbWriter.FDT_BEGIN_NODE -> {
                    int nameStart = pos;
                    int nul = indexOfNul(pos, end);
                    if (nul < 0) throw bad(nameStart, "node name is not NUL-terminated inside the structure block");
                    String name = new String(blob, nameStart, nul - nameStart, StandardCharsets.ISO_8859_1);
                    pos = align4(nul + 1);
                    Node n = new Node(name);
                    if (stack.isEmpty()) {
                        if (root != null) throw bad(tokenAt, "second root node (FDT_BEGIN_NODE after the root was closed)");
                        if (!name.isEmpty()) throw bad(nameStart, "root node is named '" + printable(name) + "' (must be empty)");
                        root = n;
                    } else {
                        stack.get(stack.size() - 1).add(n);
                    }
                    stack.add(n);
                    openedAt.add(tokenAt);
                }
                case DtbWriter.FDT_END_NODE -> {
                    if (stack.isEmpty()) throw bad(tokenAt, "FDT_END_NODE without a matching FDT_BEGIN_NODE");
                    stack.remove(stack.size() - 1);
                    openedAt.remove(openedAt.size() - 1);
                }
                case DtbWriter.FDT_PROP -> {
                    if (pos + 8 > end) throw bad(pos, "property header runs past the end of the structure block");
                    long len = u32u(pos);
                    int nameoffAt = pos + 4;
                    long nameoff = u32u(nameoffAt);
                    int valueAt = pos + 8;
                    if (stack.isEmpty()) throw bad(tokenAt, "property outside any node");
                    if (valueAt + len > end) {
                        throw bad(pos, "property length " + hex(len) + " runs past the end of the structure block at " + hex(end));
                    }
                    String name = strings.name(nameoff, nameoffAt);
                    byte[] value = Arrays.copyOfRange(blob, valueAt, valueAt + (int) len);
                    stack.get(stack.size() - 1).append(new Property(name, value));
                    pos = align4(valueAt + (int) len);
                }
                case DtbWriter.FDT_NOP -> {
                    // ignored anywhere
                }
                case DtbWriter.FDT_END -> {
                    if (!stack.isEmpty()) {
                        throw bad(tokenAt, "FDT_END inside node '" + pathOf(stack) + "' (opened at "
                                + hex(openedAt.get(openedAt.size() - 1)) + ")");
                    }
                    if (root == null) throw bad(tokenAt, "FDT_END before any node: the blob has no root node");
                    return pos;
                }
                default -> throw bad(tokenAt, String.format("unknown structure token 0x%08x", token));
            }
        }
    }

    /** The path of the innermost open node, shortened to its last components when long. */
    private static String pathOf(List<Node> stack) {
        if (stack.size() == 1) return "/";
        StringBuilder sb = new StringBuilder();
        for (int i = stack.size() - 1; i >= 1; i--) {
            String name = stack.get(i).name();
            if (sb.length() + name.length() > 120) {
                sb.insert(0, "/...");
                break;
            }
            sb.insert(0, name).insert(0, '/');
        }
        return printable(sb.toString());
    }

    /** A name for a one-line message: bytes outside printable ASCII as {@code \xNN}. */
    static String printable(String latin1) {
        StringBuilder sb = new StringBuilder(latin1.length());
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') sb.append(c);
            else sb.append(String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    private int indexOfNul(int from, int end) {
        for (int i = from; i < end; i++) if (blob[i] == 0) return i;
        return -1;
    }

    private static int align4(int x) {
        return (x + 3) & ~3;
    }

    /** The three blocks (reservation map up to its terminator, structure, strings) must not overlap. */
    private void checkOverlaps(Header h, long rsvEnd, long structEnd) {
        long[][] blocks = {
            {h.rsvOff, rsvEnd},
            {h.structOff, h.structSized ? h.structLimit : structEnd},
            {h.stringsOff, h.stringsOff + h.stringsSize},
        };
        String[] names = {"memory reservation map", "structure block", "strings block"};
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                long[] a = blocks[i];
                long[] b = blocks[j];
                if (a[0] == a[1] || b[0] == b[1]) continue;
                long lo = Math.max(a[0], b[0]);
                long hi = Math.min(a[1], b[1]);
                if (lo < hi) {
                    throw bad(lo, "the " + names[i] + " " + hex(a[0]) + ".." + hex(a[1]) + " overlaps the " + names[j] + " "
                            + hex(b[0]) + ".." + hex(b[1]));
                }
            }
        }
    }

    // ---- strings block ------------------------------------------------------------------------

    /**
     * Property names by offset into the strings block, each decoded once. The total decoded
     * length is bounded so that a small hostile blob whose name offsets all point into one long
     * string (every suffix a different name) cannot make the reader use quadratic memory.
     */
    private final class Strings {
        private final int start;
        private final int size;
        private final Map<Long, String> byOffset = new HashMap<>();
        private int[] nulAfter; // nulAfter[i]: index (relative) of the first NUL at or after i, or -1
        private long decoded;
        private final long budget;

        Strings(long start, long size) {
            this.start = (int) start;
            this.size = (int) size;
            this.budget = 8L * size + 65536;
        }

        String name(long nameoff, int fieldAt) {
            String s = byOffset.get(nameoff);
            if (s != null) return s;
            if (nameoff >= size) {
                throw bad(fieldAt, "property name offset " + hex(nameoff) + " is outside the strings block (size " + hex(size) + ")");
            }
            int rel = (int) nameoff;
            int nul = nulAt(rel);
            if (nul < 0) throw bad(start + rel, "property name at strings offset " + hex(nameoff) + " is not NUL-terminated inside the strings block");
            decoded += nul - rel;
            if (decoded > budget) {
                throw bad(fieldAt, "property names overlap excessively in the strings block (over " + budget + " bytes of names)");
            }
            s = new String(blob, start + rel, nul - rel, StandardCharsets.ISO_8859_1);
            byOffset.put(nameoff, s);
            return s;
        }

        private int nulAt(int rel) {
            if (nulAfter == null) {
                nulAfter = new int[size];
                int next = -1;
                for (int i = size - 1; i >= 0; i--) {
                    if (blob[start + i] == 0) next = i;
                    nulAfter[i] = next;
                }
            }
            return nulAfter[rel];
        }
    }

    // ---- bytes and errors ----------------------------------------------------------------------

    private int u32(int off) {
        return Property.getU32(blob, off);
    }

    private long u32u(int off) {
        return u32(off) & 0xffffffffL;
    }

    private long u64(int off) {
        return ((long) u32(off) << 32) | u32u(off + 4);
    }

    private BadInputException bad(long offset, String message) {
        return new BadInputException(location(source, offset), message);
    }

    /** {@code FILE: offset 0xNN}, the location format of every DTB error. */
    public static String location(String source, long offset) {
        return (source == null || source.isEmpty() ? "" : source + ": ") + "offset " + hex(offset);
    }

    private static String hex(long v) {
        return String.format("0x%02x", v);
    }

    private static String range(long off, long size) {
        return hex(off) + ".." + hex(off + size);
    }
}
