package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.Tools;

/** DtbReader on valid, odd-but-valid and malformed blobs; every error names a byte offset. */
class DtbReaderTest {
    static final Path HOSTS = Path.of("examples/hosts");
    static final Pattern LOCATION = Pattern.compile("t\\.dtb: offset 0x([0-9a-f]{2,})");

    /** A small valid blob: / { compatible = "x"; n@1 { reg = <1>; }; }. */
    static BlobBuilder base() {
        return new BlobBuilder().begin("").prop("compatible", "x").begin("n@1")
                .prop("reg", new byte[] {0, 0, 0, 1}).end().end().finish();
    }

    static BadInputException bad(byte[] blob, long offset, String fragment) {
        BadInputException e = assertThrows(BadInputException.class, () -> DtbReader.read(blob, "t.dtb"));
        assertEquals(String.format("t.dtb: offset 0x%02x", offset), e.location(), e.render());
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    static long offsetOf(BadInputException e) {
        Matcher m = LOCATION.matcher(e.location());
        assertTrue(m.matches(), e.location());
        return Long.parseLong(m.group(1), 16);
    }

    static byte[] patch(byte[] blob, int off, int value) {
        byte[] b = blob.clone();
        Property.putU32(b, off, value);
        return b;
    }

    // ---- valid input --------------------------------------------------------------------------

    @Test
    void readsTheBaseBlob() {
        DeviceTree t = DtbReader.read(base().build(), "t.dtb");
        assertEquals("x", t.root().string("compatible"));
        Node n = t.find("/n@1");
        assertNotNull(n);
        assertEquals(1, n.u32("reg", -1));
    }

    @Test
    void roundTripsDtcBlobsExactly() throws IOException {
        for (String f : List.of("morello-sdp.dtb", "fvp-base-revc.dtb", "imx95-19x19-evk.dtb")) {
            byte[] blob = Files.readAllBytes(HOSTS.resolve(f));
            assertArrayEquals(blob, DtbWriter.write(DtbReader.read(blob, f)), f);
        }
    }

    @Test
    void paddedBlobAndTrailingBytesAreFine() {
        BlobBuilder b = base();
        b.pad = 4096;
        byte[] padded = b.build();
        byte[] withTail = Arrays.copyOf(padded, padded.length + 100);
        Arrays.fill(withTail, padded.length, withTail.length, (byte) 0xa5);
        byte[] expect = DtbWriter.write(DtbReader.read(base().build(), "t.dtb"));
        assertArrayEquals(expect, DtbWriter.write(DtbReader.read(padded, "t.dtb")));
        assertArrayEquals(expect, DtbWriter.write(DtbReader.read(withTail, "t.dtb")));
    }

    @Test
    void nopsAnywhereAndPropertiesAfterSubnodes() {
        byte[] blob = new BlobBuilder().nop().begin("").nop().prop("a", "1").nop().begin("c").nop().end()
                .prop("late", "2").nop().end().nop().nop().finish().build();
        DeviceTree t = DtbReader.read(blob, "t.dtb");
        assertEquals(List.of("a", "late"), t.root().properties().stream().map(Property::name).toList());
        assertEquals(1, t.root().children().size());
    }

    @Test
    void keepsDuplicatePropertiesAndNodes() {
        byte[] blob = new BlobBuilder().begin("").prop("a", "1").prop("a", "2").begin("n").end().begin("n").end().end().finish().build();
        DeviceTree t = DtbReader.read(blob, "t.dtb");
        assertEquals(2, t.root().properties().size());
        assertEquals("2", t.root().properties().get(1).string());
        assertEquals(2, t.root().children().size());
    }

    @Test
    void keepsBootCpuidAndReservations() {
        BlobBuilder b = base().reserve(0x80000000L, 0x1000).reserve(0xfffff000L, 0x1000);
        b.bootCpuid = 0x101;
        DeviceTree t = DtbReader.read(b.build(), "t.dtb");
        assertEquals(0x101, t.bootCpuidPhys());
        assertEquals(List.of(new MemReserve(0x80000000L, 0x1000), new MemReserve(0xfffff000L, 0x1000)), t.reserves());
    }

    @Test
    void namesAreLatin1() {
        byte[] blob = new BlobBuilder().begin("").prop("pr\u00e9", "v").begin("n\u00ff\u0080").end().end().finish().build();
        DeviceTree t = DtbReader.read(blob, "t.dtb");
        assertEquals("pr\u00e9", t.root().properties().get(0).name());
        assertEquals("n\u00ff\u0080", t.root().children().get(0).name());
        assertArrayEquals(blob, DtbWriter.write(t));
    }

    @Test
    void readsVersion16FromDtc() {
        String dtc = Tools.dtc();
        Tools.Result r = Tools.run(Tools.cmd(dtc, "-V", "16", "-I", "dts", "-O", "dtb", "-"), DtbWriterTest.SAMPLE_DTS.getBytes());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(16, Property.getU32(r.stdout(), 0x14));
        DeviceTree t = DtbReader.read(r.stdout(), "v16.dtb");
        assertArrayEquals(DtbWriter.write(DtbWriterTest.sample()), DtbWriter.write(t));
    }

    // ---- header -------------------------------------------------------------------------------

    @Test
    void headerErrors() {
        byte[] ok = base().build();
        int total = ok.length;
        bad(new byte[0], 0, "too short");
        bad(new byte[] {(byte) 0xd0, 0x0d}, 2, "too short");
        bad(Arrays.copyOf(ok, 0x1a), 0x1a, "too short");
        bad(Arrays.copyOf(ok, 0x26), 0x26, "too short");
        bad(patch(ok, 0x00, 0xfeedd00d), 0x00, "bad magic");
        bad(patch(ok, 0x14, 15), 0x14, "unsupported FDT version 15");
        bad(patch(ok, 0x14, 18), 0x14, "unsupported FDT version 18");
        bad(patch(ok, 0x14, 0x11000000), 0x14, "unsupported FDT version");
        bad(patch(ok, 0x18, 18), 0x18, "last compatible version 18");
        bad(patch(ok, 0x18, 0), 0x18, "last compatible version 0");
        bad(patch(ok, 0x04, total + 1), 0x04, "larger than the file");
        bad(patch(ok, 0x04, 0xffffffff), 0x04, "larger than the file");
        bad(patch(ok, 0x04, 0x20), 0x04, "smaller than the 40-byte header");
        bad(patch(ok, 0x10, 0x2c), 0x10, "not 8-byte aligned");
        bad(patch(ok, 0x10, 0x20), 0x10, "outside");
        bad(patch(ok, 0x10, total + 8), 0x10, "outside");
        bad(patch(ok, 0x08, 0x39), 0x08, "not 4-byte aligned");
        bad(patch(ok, 0x08, 0x10), 0x08, "outside");
        bad(patch(ok, 0x08, 0x80000000), 0x08, "outside");
        bad(patch(ok, 0x24, total), 0x24, "runs past totalsize");
        bad(patch(ok, 0x24, 0xfffffffc), 0x24, "runs past totalsize");
        bad(patch(ok, 0x0c, total + 1), 0x0c, "outside");
        bad(patch(ok, 0x0c, 4), 0x0c, "outside");
        bad(patch(ok, 0x20, total), 0x20, "runs past totalsize");
        bad(patch(ok, 0x20, 0xffffffff), 0x20, "runs past totalsize");
    }

    @Test
    void version16HeaderHasNoStructSize() {
        BlobBuilder b = base();
        b.version = 16;
        byte[] blob = b.build();
        Property.putU32(blob, 0x24, 0xdeadbeef); // not a v16 field: ignored
        assertEquals("x", DtbReader.read(blob, "t.dtb").root().string("compatible"));
    }

    @Test
    void reservationMapErrors() {
        bad(base().reserve(0xfffffffffffff000L, 0x2000).build(), 0x28, "wraps");
        // the map must end with a zero-size entry before totalsize
        byte[] ok = base().build();
        int rsv = (ok.length - 8) & ~7;
        bad(patch(ok, 0x10, rsv), rsv, "no terminating entry");
        // a map whose entries run into the structure block: its first entry is (1, 1), and the
        // structure block that follows reads as (0x1_00000000, 0x3_00000010) then (0, 0)
        byte[] into = new BlobBuilder().begin("").prop("z", new byte[16]).end().finish().build();
        Property.putU32(into, 0x2c, 1);
        Property.putU32(into, 0x34, 1);
        bad(into, 0x38, "memory reservation map 0x28..0x58 overlaps the structure block");
    }

    @Test
    void overlappingBlocks() {
        BlobBuilder b = base();
        byte[] blob = b.build();
        // structure block stretched over the strings block
        bad(patch(blob, 0x24, blob.length - b.structOff), b.stringsOff, "overlaps the strings block");
        // strings block starting inside the reservation map
        BlobBuilder c = new BlobBuilder().begin("").end().finish();
        byte[] noProps = c.build();
        bad(patch(patch(noProps, 0x0c, 0x28), 0x20, 8), 0x28, "overlaps the strings block");
    }

    // ---- structure block ------------------------------------------------------------------------

    @Test
    void tokenStreamErrors() {
        BlobBuilder b = new BlobBuilder().begin("");
        int at = b.structPos();
        byte[] blob = b.token(7).end().finish().build();
        bad(blob, b.structOff + at, "unknown structure token 0x00000007");

        b = new BlobBuilder().begin("").end();
        at = b.structPos();
        blob = b.end().finish().build();
        bad(blob, b.structOff + at, "FDT_END_NODE without a matching FDT_BEGIN_NODE");

        b = new BlobBuilder().begin("").begin("a");
        at = b.structPos();
        blob = b.finish().build();
        bad(blob, b.structOff + at, "FDT_END inside node '/a'");

        b = new BlobBuilder().begin("").end();
        blob = b.build();
        bad(blob, b.structOff + b.structPos(), "without FDT_END");

        b = new BlobBuilder().begin("").begin("a");
        blob = b.build();
        bad(blob, b.structOff + b.structPos(), "ends inside node '/a'");

        b = new BlobBuilder().token(DtbWriter.FDT_BEGIN_NODE);
        at = b.structPos();
        blob = b.raw("abcdefgh".getBytes()).build();
        bad(blob, b.structOff + at, "not NUL-terminated");

        b = new BlobBuilder();
        blob = b.begin("r").end().finish().build();
        bad(blob, b.structOff + 4, "root node is named 'r'");

        b = new BlobBuilder().begin("").end();
        at = b.structPos();
        blob = b.begin("").end().finish().build();
        bad(blob, b.structOff + at, "second root node");

        b = new BlobBuilder().nop();
        at = b.structPos();
        blob = b.prop("a", "b").begin("").end().finish().build();
        bad(blob, b.structOff + at, "property outside any node");

        b = new BlobBuilder().finish();
        blob = b.build();
        bad(blob, b.structOff, "no root node");

        b = new BlobBuilder().begin("");
        at = b.structPos();
        blob = b.rawProp(1000, 0, new byte[4]).end().finish().string("a").build();
        bad(blob, b.structOff + at + 4, "property length 0x3e8 runs past");

        b = new BlobBuilder().begin("");
        at = b.structPos();
        blob = b.rawProp(0x7ffffffc, 0, new byte[0]).end().finish().string("a").build();
        bad(blob, b.structOff + at + 4, "runs past");

        b = new BlobBuilder().begin("");
        at = b.structPos();
        blob = b.rawProp(0, 2, new byte[0]).end().finish().string("a").build();
        bad(blob, b.structOff + at + 8, "property name offset 0x02 is outside the strings block");

        b = new BlobBuilder().begin("");
        at = b.structPos();
        blob = b.rawProp(0, 0xffffffff, new byte[0]).end().finish().string("a").build();
        bad(blob, b.structOff + at + 8, "outside the strings block");

        b = new BlobBuilder().begin("").rawProp(0, 0, new byte[0]).end().finish().string("a");
        blob = b.build();
        blob[b.stringsOff + 1] = 'x'; // the only name loses its NUL
        bad(blob, b.stringsOff, "not NUL-terminated inside the strings block");

        b = new BlobBuilder().begin("");
        at = b.structPos();
        blob = b.token(DtbWriter.FDT_PROP).build();
        bad(blob, b.structOff + at + 4, "property header runs past");
    }

    @Test
    void deepNestingDoesNotRecurse() {
        int depth = 100_000;
        DeviceTree t = new DeviceTree();
        Node n = t.root();
        for (int i = 0; i < depth; i++) {
            n = n.addChild("n" + (i % 10));
            n.set(Property.cells("reg", i));
        }
        byte[] blob = DtbWriter.write(t);
        DeviceTree back = DtbReader.read(blob, "deep.dtb");
        assertArrayEquals(blob, DtbWriter.write(back));
        // FDT_END where the deepest node should close: reported without recursion, with a short path
        int structOff = Property.getU32(blob, 0x08);
        // root: BEGIN_NODE + empty name (8 bytes); each level: BEGIN_NODE, "nD\0" padded, reg (24 bytes)
        int firstEnd = structOff + 8 + depth * 24;
        assertEquals(DtbWriter.FDT_END_NODE, Property.getU32(blob, firstEnd));
        byte[] cut = patch(blob, firstEnd, DtbWriter.FDT_END);
        BadInputException e = assertThrows(BadInputException.class, () -> DtbReader.read(cut, "t.dtb"));
        assertTrue(e.getMessage().contains("FDT_END inside node '/.../"), e.getMessage());
        assertTrue(e.render().length() < 300, e.render());
        assertEquals(firstEnd, offsetOf(e));
    }
}
