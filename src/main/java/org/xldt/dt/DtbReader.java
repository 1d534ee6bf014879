package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import org.xldt.BadInputException;

/**
 * TEMPORARY: replaced at merge by the dt-binary branch.
 *
 * <p>A minimal FDT reader so that {@code xldt dt check} and the check tests can load DTBs in the
 * dt-checks branch. It bounds-checks what it reads but does not validate everything the real
 * reader does.
 */
public final class DtbReader {
    private DtbReader() {
    }

    private static final int MAGIC = 0xd00dfeed;

    public static DeviceTree read(byte[] blob, String sourceName) {
        if (blob.length < 40 || u32(blob, 0) != MAGIC) throw bad(sourceName, 0, "not a DTB (bad magic)");
        int total = u32(blob, 4);
        int structOff = u32(blob, 8);
        int stringsOff = u32(blob, 12);
        int rsvOff = u32(blob, 16);
        int stringsSize = u32(blob, 32);
        int structSize = u32(blob, 36);
        if (total < 40 || total > blob.length) throw bad(sourceName, 4, "totalsize exceeds the file");
        if (structOff < 0 || structSize < 0 || (long) structOff + structSize > total) throw bad(sourceName, 8, "structure block out of bounds");
        if (stringsOff < 0 || stringsSize < 0 || (long) stringsOff + stringsSize > total) throw bad(sourceName, 12, "strings block out of bounds");
        DeviceTree tree = new DeviceTree();
        tree.setBootCpuidPhys(u32(blob, 28));
        for (int off = rsvOff; ; off += 16) {
            if (off < 0 || off + 16 > total) throw bad(sourceName, off, "memory reservation block out of bounds");
            long addr = ((long) u32(blob, off) << 32) | (u32(blob, off + 4) & 0xffffffffL);
            long size = ((long) u32(blob, off + 8) << 32) | (u32(blob, off + 12) & 0xffffffffL);
            if (addr == 0 && size == 0) break;
            tree.reserves().add(new MemReserve(addr, size));
        }
        int end = structOff + structSize;
        int p = structOff;
        Node node = null;
        boolean done = false;
        while (!done) {
            if (p + 4 > end) throw bad(sourceName, p, "structure block ends without FDT_END");
            int token = u32(blob, p);
            int at = p;
            p += 4;
            switch (token) {
                case 1 -> { // FDT_BEGIN_NODE
                    int z = p;
                    while (z < end && blob[z] != 0) z++;
                    if (z >= end) throw bad(sourceName, at, "unterminated node name");
                    String name = new String(blob, p, z - p, StandardCharsets.ISO_8859_1);
                    p = align(z + 1);
                    if (node == null) {
                        if (tree.root().name().length() != 0 || !tree.root().children().isEmpty()) throw bad(sourceName, at, "second root node");
                        node = tree.root();
                        if (!name.isEmpty()) node.rename(name);
                    } else {
                        node = node.add(new Node(name));
                    }
                }
                case 2 -> { // FDT_END_NODE
                    if (node == null) throw bad(sourceName, at, "FDT_END_NODE outside a node");
                    node = node.isRoot() ? null : node.parent();
                }
                case 3 -> { // FDT_PROP
                    if (node == null || p + 8 > end) throw bad(sourceName, at, "property outside a node");
                    int len = u32(blob, p);
                    int nameOff = u32(blob, p + 4);
                    p += 8;
                    if (len < 0 || p + len > end) throw bad(sourceName, at, "property value out of bounds");
                    if (nameOff < 0 || nameOff >= stringsSize) throw bad(sourceName, at + 8, "string offset out of bounds");
                    int s = stringsOff + nameOff;
                    int z = s;
                    while (z < stringsOff + stringsSize && blob[z] != 0) z++;
                    if (z >= stringsOff + stringsSize) throw bad(sourceName, at + 8, "unterminated property name");
                    byte[] value = new byte[len];
                    System.arraycopy(blob, p, value, 0, len);
                    node.append(new Property(new String(blob, s, z - s, StandardCharsets.ISO_8859_1), value));
                    p = align(p + len);
                }
                case 4 -> { } // FDT_NOP
                case 9 -> done = true; // FDT_END
                default -> throw bad(sourceName, at, "bad token 0x" + Integer.toHexString(token));
            }
        }
        if (node != null) throw bad(sourceName, p, "FDT_END inside a node");
        return tree;
    }

    private static int align(int off) {
        return (off + 3) & ~3;
    }

    private static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static BadInputException bad(String source, int offset, String message) {
        return new BadInputException(source + ": offset 0x" + Integer.toHexString(offset), message);
    }
}
