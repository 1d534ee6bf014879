package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xldt.Tools;

/** DtsWriter against dtc 1.6.1: DTB→DTS guessing, and DTS→DTS printing of marked values. */
class DtsWriterTest {

    static String dtcDts(byte[] dtb) {
        Tools.Result r = Tools.run(Tools.cmd(Tools.dtc(), "-q", "-f", "-I", "dtb", "-O", "dts", "-"), dtb);
        assertEquals(0, r.exit(), r.stderr());
        return new String(r.stdout(), StandardCharsets.ISO_8859_1);
    }

    static String dtcDtsFromDts(String dts) {
        Tools.Result r = Tools.run(Tools.cmd(Tools.dtc(), "-q", "-f", "-I", "dts", "-O", "dts", "-"), dts.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, r.exit(), r.stderr());
        return new String(r.stdout(), StandardCharsets.ISO_8859_1);
    }

    static byte[] b(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = (byte) bytes[i];
        return out;
    }

    /** Values that exercise every branch of dtc's guess and string escaping. */
    static List<byte[]> trickyValues() {
        List<byte[]> v = new ArrayList<>();
        for (String s : List.of("", "\0", "\0\0", "\0\0\0", "\0\0\0\0", "a\0", "a", "ab", "abc", "abcd", "ab\0\0", "a\0\0",
                "a\0b\0", "\0a\0", "a\0\0b\0", "ab\0\0cd\0", "a\0\0\0", "/\0", "okay\0", "\0\0a\0", "a\0b\0c",
                "\u0007\b\t\n\u000b\f\r\\\"'?\0", "tab\there\0", "\u0001abc\0", "\u007f\0", "\u0080\0", "\u00ff\u00fe\0",
                "\u0006\0", "\u000e\0", "x\0y\0z\0", "hello world\0second\0", "abcdefg\0", "\u001b[0m\0", "%s%d\0",
                "x\0\0\0\0\0\0\0", "12345678", "1234567\0")) {
            v.add(b(s));
        }
        v.add(b(0, 0, 0, 1));
        v.add(b(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x10, 0, 0, 0, 0xf, 0x12, 0x34, 0x56, 0x78));
        v.add(b(1, 2, 3));
        v.add(b(1, 2, 3, 4, 5));
        v.add(b(0xde, 0xad));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        v.add(all);
        byte[] odd = new byte[255];
        for (int i = 0; i < 255; i++) odd[i] = (byte) (255 - i);
        v.add(odd);
        return v;
    }

    @Test
    void trickyValuesAsDtcGuessesThem() {
        DeviceTree t = new DeviceTree();
        List<byte[]> values = trickyValues();
        for (int i = 0; i < values.size(); i++) t.root().append(new Property("p" + i, values.get(i)));
        byte[] dtb = DtbWriter.write(t);
        assertEquals(dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, "t.dtb")));
    }

    @Test
    void oddNamesReservesDuplicatesAndLayout() {
        DeviceTree t = new DeviceTree();
        t.reserves().add(new MemReserve(0, 0x1000));
        t.reserves().add(new MemReserve(0xffffffffffff0000L, 0xffff));
        Node r = t.root();
        r.append(Property.empty("flag"));
        r.append(new Property("dup", b("1\0")));
        r.append(new Property("dup", b("2\0")));
        r.append(new Property("caf\u00e9,n\u00ffme", b(0, 0, 0, 2)));
        Node a = r.addChild("a@1");
        a.addChild("deeper").addChild("deepest").append(Property.empty("x"));
        r.addChild("a@1");
        r.addChild("");
        r.addChild("h\u00e9\u0080");
        r.addChild("empty");
        byte[] dtb = DtbWriter.write(t);
        assertEquals(dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, "t.dtb")));
    }

    @Test
    void hostBlobsMatchDtcText() throws Exception {
        for (String f : List.of("hip07-d05.dtb", "rk3588-rock-5b.dtb", "qemu-virt-gicv3-smmuv3.dtb")) {
            byte[] dtb = java.nio.file.Files.readAllBytes(DtbReaderTest.HOSTS.resolve(f));
            assertEquals(dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, f)), f);
        }
    }

    // ---- values with markers (as the DTS reader will produce them) ------------------------------

    static Marker m(int off, Marker.Kind k) {
        return new Marker(off, k, null);
    }

    static Marker lbl(int off, String name) {
        return new Marker(off, Marker.Kind.LABEL, name);
    }

    static Marker ref(int off, Marker.Kind k, String target) {
        return new Marker(off, k, target);
    }

    static Property p(String name, byte[] v, Marker... ms) {
        return new Property(name, v, List.of(), List.of(ms));
    }

    static final Marker.Kind U8 = Marker.Kind.TYPE_UINT8;
    static final Marker.Kind U16 = Marker.Kind.TYPE_UINT16;
    static final Marker.Kind U32 = Marker.Kind.TYPE_UINT32;
    static final Marker.Kind U64 = Marker.Kind.TYPE_UINT64;
    static final Marker.Kind STR = Marker.Kind.TYPE_STRING;
    static final Marker.Kind PH = Marker.Kind.REF_PHANDLE;
    static final Marker.Kind PATH = Marker.Kind.REF_PATH;

    static final String MARKED_DTS = """
            /dts-v1/;
            /memreserve/ 0x1000 0x2000;
            l0: l00: /memreserve/ 0x3000 0x10;
            / {
            	p1 = <1 &n1 2>;
            	p2 = &n1;
            	p3 = "a", &n1, <5>;
            	p4 = la: <1 lb: 2 lc:>;
            	p5 = /bits/ 16 <1 l16: 2 3>, /bits/ 8 <4>, /bits/ 64 <5 0xffffffffffffffff>;
            	p6 = [01 02 lx: 03], [0a0b], "s";
            	p7 = "x\\x80y", "\\x01\\t\\"\\\\";
            	lp: lq: p8 = l1: "s" l2:;
            	p9 = <&n1>;
            	p10 = <&{/n1} 0x10 0xabcdef>;
            	e1 = "";
            	e2 = "", "";
            	e3 = <>;
            	e5 = <>, "x";
            	e6 = "x", <>;
            	e7 = /bits/ 8 <>;
            	e8 = lab: <>;
            	c2 = <'a' 0xffffffff>;
            	mix = <1>, [02], "three", /bits/ 16 <4>;
            	n1: n2: n1 { };
            };
            """;

    static DeviceTree markedTree() {
        DeviceTree t = new DeviceTree();
        t.reserves().add(new MemReserve(0x1000, 0x2000));
        t.reserves().add(new MemReserve(0x3000, 0x10, List.of("l0", "l00")));
        Node r = t.root();
        r.append(p("p1", b(0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2), m(0, U32), ref(4, PH, "n1")));
        r.append(p("p2", b("/n1\0"), m(0, STR), ref(0, PATH, "n1")));
        r.append(p("p3", b('a', 0, '/', 'n', '1', 0, 0, 0, 0, 5), m(0, STR), m(2, STR), ref(2, PATH, "n1"), m(6, U32)));
        r.append(p("p4", b(0, 0, 0, 1, 0, 0, 0, 2), lbl(0, "la"), m(0, U32), lbl(4, "lb"), lbl(8, "lc")));
        r.append(p("p5", b(0, 1, 0, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
                m(0, U16), lbl(2, "l16"), m(6, U8), m(7, U64)));
        r.append(p("p6", b(1, 2, 3, 10, 11, 's', 0), m(0, U8), lbl(2, "lx"), m(3, U8), m(5, STR)));
        r.append(p("p7", b('x', 0x80, 'y', 0, 1, '\t', '"', '\\', 0), m(0, STR), m(4, STR)));
        r.append(new Property("p8", b("s\0"), List.of("lp", "lq"), List.of(lbl(0, "l1"), m(0, STR), lbl(2, "l2"))));
        r.append(p("p9", b(0, 0, 0, 1), m(0, U32), ref(0, PH, "n1")));
        r.append(p("p10", b(0, 0, 0, 1, 0, 0, 0, 0x10, 0, 0xab, 0xcd, 0xef), m(0, U32), ref(0, PH, "/n1")));
        r.append(p("e1", b(0), m(0, STR)));
        r.append(p("e2", b(0, 0), m(0, STR), m(1, STR)));
        r.append(p("e3", b(), m(0, U32)));
        r.append(p("e5", b('x', 0), m(0, U32), m(0, STR)));
        r.append(p("e6", b('x', 0), m(0, STR), m(2, U32)));
        r.append(p("e7", b(), m(0, U8)));
        r.append(p("e8", b(), lbl(0, "lab"), m(0, U32)));
        r.append(p("c2", b(0, 0, 0, 'a', 0xff, 0xff, 0xff, 0xff), m(0, U32)));
        r.append(p("mix", b(0, 0, 0, 1, 2, 't', 'h', 'r', 'e', 'e', 0, 0, 4), m(0, U32), m(4, U8), m(5, STR), m(11, U16)));
        Node n1 = r.addChild("n1");
        n1.addLabel("n1");
        n1.addLabel("n2");
        n1.append(new Property("phandle", b(0, 0, 0, 1))); // dtc adds it, without markers
        return t;
    }

    @Test
    void markedValuesPrintAsDtcPrintsDts() {
        assertEquals(dtcDtsFromDts(MARKED_DTS), DtsWriter.write(markedTree()));
    }

    @Test
    void markersDtcCannotPrintFallBackToTheGuess() {
        // dtc 1.6.1 aborts on these (a cell run of 5 bytes, a string run without NUL, bytes
        // before the first type marker); xldt prints the value as guessed, keeping labels.
        byte[] five = b(0, 0, 0, 1, 'a');
        StringBuilder a = new StringBuilder();
        DtsWriter.writeValue(a, five, List.of(m(0, U32)));
        StringBuilder g = new StringBuilder();
        DtsWriter.writeValue(g, five, List.of());
        assertEquals(" = [00 00 00 01 61];\n", g.toString());
        assertEquals(g.toString(), a.toString());

        StringBuilder s = new StringBuilder();
        DtsWriter.writeValue(s, b("ab\0cd"), List.of(m(0, STR), lbl(3, "l")));
        assertEquals(" = [61 62 00 l:63 64];\n", s.toString());

        StringBuilder late = new StringBuilder();
        DtsWriter.writeValue(late, b(0, 0, 0, 1, 0, 0, 0, 2), List.of(lbl(0, "x"), m(4, U32)));
        // as dtc with no type information: the guessed run starts first, the label follows it
        assertEquals(" = < x:0x01 0x02>;\n", late.toString());
    }

    // ---- scale (correctness only; no recursion) -------------------------------------------------

    static DeviceTree buses(int buses, int perBus) {
        DeviceTree t = new DeviceTree();
        Node root = t.root();
        root.set(Property.cells("#address-cells", 1)).set(Property.cells("#size-cells", 1));
        for (int b = 0; b < buses; b++) {
            Node bus = root.addChild(String.format("bus@%x", 0x10000000L + b * 0x100000L));
            bus.set(Property.strings("compatible", "simple-bus")).set(Property.empty("ranges"));
            bus.set(Property.cells("#address-cells", 1)).set(Property.cells("#size-cells", 1));
            for (int d = 0; d < perBus; d++) {
                long addr = 0x10000000L + b * 0x100000L + d * 0x100L;
                Node dev = bus.addChild(String.format("device@%x", addr));
                dev.set(Property.strings("compatible", "xldt,dev", "generic"));
                dev.set(Property.cells("reg", addr, 0x100));
                dev.set(Property.cells("interrupts", 0, d, 4));
            }
        }
        return t;
    }

    /** 10,000 devices under 10 buses: DTB→tree→DTS equals dtc's text. */
    @Test
    void tenThousandNodesMatchDtc() {
        byte[] dtb = DtbWriter.write(buses(10, 1000));
        assertEquals(dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, "big.dtb")));
    }

    /** 100,000 devices: DTB→tree→DTB is the same blob, and DTS comes out whole (no recursion). */
    @Test
    void hundredThousandNodesRoundTrip() {
        byte[] dtb = DtbWriter.write(buses(100, 1000));
        DeviceTree back = DtbReader.read(dtb, "big.dtb");
        org.junit.jupiter.api.Assertions.assertArrayEquals(dtb, DtbWriter.write(back));
        String dts = DtsWriter.write(back);
        assertEquals(100_000, dts.split("\tdevice@", -1).length - 1);
        org.junit.jupiter.api.Assertions.assertTrue(dts.endsWith("\t};\n};\n"));
    }

    /** A 3,000-level chain (dtc itself recurses; deeper chains are tested on the DTB side). */
    @Test
    void deepChainMatchesDtc() {
        DeviceTree t = new DeviceTree();
        Node n = t.root();
        for (int i = 0; i < 3000; i++) n = n.addChild("n@" + Integer.toHexString(i)).append(new Property("v", b(i >> 8, i, 0)));
        byte[] dtb = DtbWriter.write(t);
        assertEquals(dtcDts(dtb), DtsWriter.write(DtbReader.read(dtb, "deep.dtb")));
    }
}
