package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;
import org.xldt.dt.DtCli;

/** {@code xldt dt convert} against dtc on every host DTB, plus the command's own behaviour. */
class DtConvertCommandTest {
    static final Path HOSTS = Path.of("examples/hosts");

    @TempDir
    Path dir;

    static Stream<Path> hostDtbs() throws IOException {
        try (Stream<Path> s = Files.list(HOSTS)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList();
            assertTrue(l.size() >= 16, "host DTBs present");
            return l.stream();
        }
    }

    static byte[] dtc(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Tools.dtc());
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, null);
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout();
    }

    @ParameterizedTest
    @MethodSource("hostDtbs")
    void dtsTextEqualsDtc(Path dtb) {
        byte[] expect = dtc("-q", "-I", "dtb", "-O", "dts", dtb.toString());
        DtCli.Result r = DtCli.run("dt", "convert", "-O", "dts", dtb.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(new String(expect, StandardCharsets.ISO_8859_1), r.out());
        assertArrayEquals(expect, r.stdout());
    }

    @ParameterizedTest
    @MethodSource("hostDtbs")
    void dtbBytesEqualDtc(Path dtb) throws IOException {
        byte[] expect = dtc("-q", "-I", "dtb", "-O", "dtb", dtb.toString());
        DtCli.Result r = DtCli.run("dt", "convert", "-O", "dtb", dtb.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(expect, r.stdout());
        if (Files.size(dtb) == 1 << 20) assertTrue(expect.length < 1 << 20, "QEMU padding dropped");
    }

    @ParameterizedTest
    @MethodSource("hostDtbs")
    void paddedDtbEqualsDtcDashP(Path dtb) {
        if (!dtb.getFileName().toString().startsWith("qemu-")) return;
        for (String pad : List.of("0", "3", "4096", "65536")) {
            byte[] expect = dtc("-q", "-I", "dtb", "-O", "dtb", "-p", pad, dtb.toString());
            DtCli.Result r = DtCli.run("dt", "convert", "-I", "dtb", "-O", "dtb", "-p", pad, dtb.toString());
            assertEquals(0, r.exit(), r.stderr());
            assertArrayEquals(expect, r.stdout(), "-p " + pad);
        }
    }

    @Test
    void defaultsFollowDtc() throws IOException {
        Path in = HOSTS.resolve("morello-sdp.dtb");
        byte[] dts = dtc("-q", "-I", "dtb", "-O", "dts", in.toString());
        byte[] dtb = dtc("-q", "-I", "dtb", "-O", "dtb", in.toString());
        // no -I/-O: DTB detected, DTS written
        assertArrayEquals(dts, DtCli.run("dt", "convert", in.toString()).stdout());
        // -O from the output name, written atomically
        for (String name : List.of("o.dtb", "o.DTBO", "o.dts", "o.txt")) {
            Path out = dir.resolve(name);
            DtCli.Result r = DtCli.run("dt", "convert", in.toString(), "-o", out.toString());
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(0, r.stdout().length);
            byte[] expect = name.toLowerCase().contains(".dtb") ? dtb : dts;
            assertArrayEquals(expect, Files.readAllBytes(out), name);
        }
        // a damaged blob named .dtb is read as a DTB (located error), as dtc guesses
        Path broken = dir.resolve("broken.dtb");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        DtCli.Result r = DtCli.run("dt", "convert", broken.toString());
        assertEquals(1, r.exit());
        assertEquals(broken + ": offset 0x00: error: bad magic 0x01020304 (a DTB starts with 0xd00dfeed)\n", r.stderr());
    }

    @Test
    void readsStandardInput() throws IOException {
        byte[] blob = Files.readAllBytes(HOSTS.resolve("fvp-base-revc.dtb"));
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(blob));
            DtCli.Result r = DtCli.run("dt", "convert", "-O", "dtb", "-");
            assertEquals(0, r.exit(), r.stderr());
            assertArrayEquals(blob, r.stdout());
            System.setIn(new ByteArrayInputStream(new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0}));
            r = DtCli.run("dt", "convert", "-");
            assertEquals(1, r.exit());
            assertEquals("<stdin>: offset 0x05: error: file too short for a DTB header (5 bytes)\n", r.stderr());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void dtsInputIsCompiledAndCheckedAsDtcDoes() throws IOException {
        Path in = dir.resolve("x.dts");
        Files.writeString(in, "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>; dev { reg = <1 2>; }; };\n");
        Path out = dir.resolve("x.dtb");
        DtCli.Result r = DtCli.run("dt", "convert", "-o", out.toString(), in.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(in + ": Warning (unit_address_vs_reg): /dev: node has a reg or ranges property, but no unit name\n", r.stderr());
        Tools.Result d = Tools.run(Tools.dtc(), "-I", "dts", "-O", "dtb", "-q", in.toString());
        assertArrayEquals(d.stdout(), Files.readAllBytes(out));
        r = DtCli.run("dt", "convert", "-q", "-o", out.toString(), in.toString());
        assertEquals("", r.stderr());
    }

    @Test
    void aRedundantNamePropertyIsDroppedFromDtbInputAsDtcDrops() throws IOException {
        Path dts = dir.resolve("n.dts");
        Files.writeString(dts, "/dts-v1/;\n/ { foo { name = \"foo\"; x = <1>; }; bar { name = \"baz\"; }; };\n");
        // a DTB that still holds the redundant name (dtc would drop it while compiling the DTS)
        Path dtb = dir.resolve("n.dtb");
        Files.write(dtb, Tools.run(Tools.dtc(), "-I", "dts", "-O", "dtb", "-f", "-q", dts.toString()).stdout());
        Tools.Result put = Tools.run(Tools.require("fdtput"), "-t", "s", dtb.toString(), "/foo", "name", "foo");
        assertEquals(0, put.exit(), put.stderr());
        for (String fmt : List.of("dtb", "dts")) {
            Tools.Result d = Tools.run(Tools.dtc(), "-I", "dtb", "-O", fmt, "-f", "-q", dtb.toString());
            Path out = dir.resolve("out." + fmt);
            DtCli.Result r = DtCli.run("dt", "convert", "-f", "-q", "-O", fmt, "-o", out.toString(), dtb.toString());
            assertEquals(0, r.exit(), r.stderr());
            assertArrayEquals(d.stdout(), Files.readAllBytes(out), fmt);
        }
    }

    @Test
    void checkErrorStopsTheOutputUnlessForced() throws IOException {
        Path in = dir.resolve("dup.dts");
        Files.writeString(in, "/dts-v1/;\n/ { a?b { }; };\n");
        Path out = dir.resolve("dup.dtb");
        DtCli.Result r = DtCli.run("dt", "convert", "-o", out.toString(), in.toString());
        assertEquals(1, r.exit());
        assertEquals(in + ": ERROR (node_name_chars): /a?b: Bad character '?' in node name\n"
                + "ERROR: Input tree has errors, aborting (use -f to force output)\n", r.stderr());
        assertFalse(Files.exists(out), "no output after a check ERROR");
        r = DtCli.run("dt", "convert", "-f", "-q", "-o", out.toString(), in.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(in + ": ERROR (node_name_chars): /a?b: Bad character '?' in node name\n"
                + "Warning: Input tree has errors, output forced\n", r.stderr());
        Tools.Result d = Tools.run(Tools.dtc(), "-I", "dts", "-O", "dtb", "-f", "-q", in.toString());
        assertArrayEquals(d.stdout(), Files.readAllBytes(out));
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path in = HOSTS.resolve("morello-sdp.dtb");
        for (String[] args : List.of(
                new String[] {"dt", "convert"},
                new String[] {"dt", "convert", "-I", "fs", in.toString()},
                new String[] {"dt", "convert", "-O", "asm", in.toString()},
                new String[] {"dt", "convert", "-p", "-1", in.toString()},
                new String[] {"dt", "convert", "-p", "x", in.toString()},
                new String[] {"dt", "convert", in.toString(), "-o", dir.resolve("a.yaml").toString()},
                new String[] {"dt", "convert", in.toString(), "extra"})) {
            DtCli.Result r = DtCli.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.stderr());
            assertEquals(0, r.stdout().length);
        }
        assertTrue(Files.notExists(dir.resolve("a.yaml")));
    }

    @Test
    void missingInputFile() {
        DtCli.Result r = DtCli.run("dt", "convert", dir.resolve("nope.dtb").toString());
        assertEquals(1, r.exit());
        assertEquals(dir.resolve("nope.dtb") + ": error: cannot read: no such file\n", r.stderr());
    }
}
