package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;

/** How --check describes an output that differs from its golden file. */
class GoldenCheckTest {
    @TempDir
    Path dir;

    Workspace.Output out(String name, byte[] data) {
        return new Workspace.Output(name, dir.resolve(name), data);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void equalMissingTextAndBinary() throws Exception {
        Files.write(dir.resolve("same.txt"), utf8("a\n"));
        assertEquals(List.of(), GoldenCheck.compare(out("same.txt", utf8("a\n"))));
        assertEquals(List.of("missing: there is no new.txt to compare with (run without --check to write it)"),
                GoldenCheck.compare(out("new.txt", utf8("x"))));
        Files.write(dir.resolve("t.json"), utf8("{\n  \"a\": 1,\n  \"b\": 2\n}\n"));
        assertEquals(List.of("line 3: \"  \"b\": 2\" → \"  \"b\": 3\""), GoldenCheck.compare(out("t.json", utf8("{\n  \"a\": 1,\n  \"b\": 3\n}\n"))));
        assertEquals(List.of("line 5: \"\" → (end of file)"), GoldenCheck.compare(out("t.json", utf8("{\n  \"a\": 1,\n  \"b\": 2\n}"))));
        Files.write(dir.resolve("b.bin"), new byte[] {1, 0, 2, 3});
        assertEquals(List.of("bytes differ from offset 0x2 (4 → 3 bytes)"), GoldenCheck.compare(out("b.bin", new byte[] {1, 0, 9})));
        // devices and other non-regular files are not compared
        assertEquals(List.of(), GoldenCheck.compare(new Workspace.Output("/dev/null", Path.of("/dev/null"), new byte[] {1})));
    }

    @Test
    void treesAreDiffedGoldenToNew() throws Exception {
        byte[] golden = DtbWriter.write(DtsReader.read("g.dts", utf8("/dts-v1/; / { a = <1>; b { }; };"), dir));
        Files.write(dir.resolve("g.dtb"), golden);
        assertEquals(List.of("~ /:a: <0x01> → <0x02>", "- /b"),
                GoldenCheck.compare(out("g.dtb", DtbWriter.write(DtsReader.read("n.dts", utf8("/dts-v1/; / { a = <2>; };"), dir)))));
        // the same tree in other bytes
        List<String> padded = GoldenCheck.compare(out("g.dtb", DtbWriter.write(DtsReader.read("n.dts", utf8("/dts-v1/; / { a = <1>; b { }; };"), dir), 64)));
        assertEquals(1, padded.size());
        assertTrue(padded.get(0).startsWith("same tree, other bytes ("), padded.get(0));
        // a damaged golden file
        Files.write(dir.resolve("bad.dtb"), new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed});
        List<String> bad = GoldenCheck.compare(out("bad.dtb", golden));
        assertTrue(bad.get(0).startsWith("the golden file is not a device tree xldt can read: bad.dtb: offset 0x"), bad.get(0));
        // many changes are cut to 20 lines
        StringBuilder many = new StringBuilder("/dts-v1/; / {");
        for (int i = 0; i < 30; i++) many.append(" n").append(i).append(" { };");
        Files.writeString(dir.resolve("m.dts"), "/dts-v1/;\n/ { };\n");
        List<String> lines = GoldenCheck.compare(out("m.dts", utf8(many + " };")));
        assertEquals(21, lines.size());
        assertEquals("+ /n0", lines.get(0));
        assertEquals("… and 10 more changes (xldt dt diff for all)", lines.get(20));
    }
}
