package org.xldt.dt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-assembles FDT blobs token by token for reader tests, including ones dtc would never
 * write (NOPs, properties after subnodes, bad tokens). Layout as dtc's: 40-byte header,
 * reservation map at 0x28, structure block, strings block (no name sharing).
 */
final class BlobBuilder {
    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final List<long[]> reserves = new ArrayList<>();
    int version = 17;
    int lastComp = 16;
    int bootCpuid;
    int pad;

    /** Offsets of the layout produced by the last {@link #build()}. */
    int structOff;
    int stringsOff;

    BlobBuilder begin(String name) {
        u32(DtbWriter.FDT_BEGIN_NODE);
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        struct.writeBytes(b);
        struct.write(0);
        align();
        return this;
    }

    BlobBuilder end() {
        return token(DtbWriter.FDT_END_NODE);
    }

    BlobBuilder nop() {
        return token(DtbWriter.FDT_NOP);
    }

    BlobBuilder finish() {
        return token(DtbWriter.FDT_END);
    }

    BlobBuilder token(int t) {
        u32(t);
        return this;
    }

    /** A property whose name is appended to the strings block. */
    BlobBuilder prop(String name, byte[] value) {
        int off = strings.size();
        strings.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        strings.write(0);
        return rawProp(value.length, off, value);
    }

    BlobBuilder prop(String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = new byte[v.length + 1];
        System.arraycopy(v, 0, z, 0, v.length);
        return prop(name, z);
    }

    /** FDT_PROP with arbitrary length and name offset fields. */
    BlobBuilder rawProp(int len, int nameoff, byte[] value) {
        u32(DtbWriter.FDT_PROP);
        u32(len);
        u32(nameoff);
        struct.writeBytes(value);
        align();
        return this;
    }

    BlobBuilder raw(byte[] bytes) {
        struct.writeBytes(bytes);
        return this;
    }

    BlobBuilder string(String s) {
        strings.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        strings.write(0);
        return this;
    }

    BlobBuilder reserve(long address, long size) {
        reserves.add(new long[] {address, size});
        return this;
    }

    /** Offset (inside the structure block) where the next token goes. */
    int structPos() {
        return struct.size();
    }

    byte[] build() {
        int rsvOff = 40;
        structOff = rsvOff + (reserves.size() + 1) * 16;
        stringsOff = structOff + struct.size();
        int total = stringsOff + strings.size() + pad;
        byte[] b = new byte[total];
        put(b, 0x00, DtbWriter.FDT_MAGIC);
        put(b, 0x04, total);
        put(b, 0x08, structOff);
        put(b, 0x0c, stringsOff);
        put(b, 0x10, rsvOff);
        put(b, 0x14, version);
        put(b, 0x18, lastComp);
        put(b, 0x1c, bootCpuid);
        put(b, 0x20, strings.size());
        put(b, 0x24, version >= 17 ? struct.size() : 0);
        int at = rsvOff;
        for (long[] r : reserves) {
            put(b, at, (int) (r[0] >>> 32));
            put(b, at + 4, (int) r[0]);
            put(b, at + 8, (int) (r[1] >>> 32));
            put(b, at + 12, (int) r[1]);
            at += 16;
        }
        System.arraycopy(struct.toByteArray(), 0, b, structOff, struct.size());
        System.arraycopy(strings.toByteArray(), 0, b, stringsOff, strings.size());
        return b;
    }

    static void put(byte[] b, int off, int v) {
        Property.putU32(b, off, v);
    }

    private void u32(int v) {
        struct.write(v >>> 24);
        struct.write(v >>> 16);
        struct.write(v >>> 8);
        struct.write(v);
    }

    private void align() {
        while (struct.size() % 4 != 0) struct.write(0);
    }
}
