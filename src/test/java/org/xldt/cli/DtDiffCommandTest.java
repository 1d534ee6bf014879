package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.dt.DtCli;

/** {@code xldt dt diff}: output, JSON, and diff(1)'s exit statuses. */
class DtDiffCommandTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
    }

    static String utf8(DtCli.Result r) {
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void differentTreesPrintOneLinePerChangeAndExit1() throws Exception {
        Path a = write("a.dts", "/dts-v1/;\n/ {\n\tmodel = \"x\";\n\tdev@1 { reg = <1 2>; };\n\told { };\n};\n");
        Path b = write("b.dts", "/dts-v1/;\n/ {\n\tmodel = \"x\";\n\tdev@1 { reg = <1 3>; status = \"okay\"; };\n\tnew { };\n};\n");
        // B as a DTB: a DTS and a DTB compare by meaning
        DtCli.Result conv = DtCli.run("dt", "convert", "-q", b.toString(), "-o", dir.resolve("b.dtb").toString());
        assertEquals(0, conv.exit(), conv.stderr());
        DtCli.Result r = DtCli.run("dt", "diff", a.toString(), dir.resolve("b.dtb").toString());
        assertEquals(1, r.exit(), r.stderr());
        assertEquals("", r.stderr());
        assertEquals("~ /dev@1:reg: <0x01 0x02> → <0x01 0x03>\n+ /dev@1:status = \"okay\"\n- /old\n+ /new\n", utf8(r));
    }

    @Test
    void equalTreesPrintNothingAndExit0() throws Exception {
        Path a = write("a.dts", "/dts-v1/;\n/ { p = <1>; q = \"s\"; };\n");
        Path b = write("b.dts", "/dts-v1/;\n/ { q = \"s\"; l: p = <0x1>; };\n");
        DtCli.Result r = DtCli.run("dt", "diff", a.toString(), b.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", utf8(r) + r.stderr());
        DtCli.Result j = DtCli.run("dt", "diff", "--json", a.toString(), b.toString());
        assertEquals(0, j.exit());
        assertEquals("{\n  \"equal\" : true,\n  \"changes\" : [ ]\n}\n", utf8(j));
    }

    @Test
    void json() throws Exception {
        Path a = write("a.dts", "/dts-v1/;\n/memreserve/ 0x1000 0x2000;\n/ { p = <1>; gone { }; };\n");
        Path b = write("b.dts", "/dts-v1/;\n/ { p = <2>; extra = \"e\"; };\n");
        DtCli.Result r = DtCli.run("dt", "diff", "--json", a.toString(), b.toString());
        assertEquals(1, r.exit(), r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals(false, j.get("equal").asBoolean());
        JsonNode c = j.get("changes");
        assertEquals(4, c.size());
        assertEquals("{\"op\":\"-\",\"kind\":\"memreserve\",\"address\":\"0x1000\",\"size\":\"0x2000\"}", c.get(0).toString());
        assertEquals("{\"op\":\"~\",\"kind\":\"property\",\"path\":\"/\",\"name\":\"p\",\"before\":\"<0x01>\",\"after\":\"<0x02>\"}", c.get(1).toString());
        assertEquals("{\"op\":\"+\",\"kind\":\"property\",\"path\":\"/\",\"name\":\"extra\",\"value\":\"\\\"e\\\"\"}", c.get(2).toString());
        assertEquals("{\"op\":\"-\",\"kind\":\"node\",\"path\":\"/gone\"}", c.get(3).toString());
    }

    @Test
    void troubleIsExit2WithOneLocatedLine() throws Exception {
        Path a = write("a.dts", "/dts-v1/;\n/ { };\n");
        Path bad = write("bad.dts", "/dts-v1/;\n/ { p = <1; };\n");
        DtCli.Result r = DtCli.run("dt", "diff", a.toString(), bad.toString());
        assertEquals(2, r.exit());
        assertEquals("", utf8(r));
        assertTrue(r.stderr().startsWith(bad + ":2:"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());

        DtCli.Result missing = DtCli.run("dt", "diff", dir.resolve("none.dtb").toString(), a.toString());
        assertEquals(2, missing.exit());
        assertEquals(dir.resolve("none.dtb") + ": error: cannot read: no such file\n", missing.stderr());

        Path blob = Files.write(dir.resolve("broken.dtb"), new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 8});
        DtCli.Result broken = DtCli.run("dt", "diff", a.toString(), blob.toString());
        assertEquals(2, broken.exit());
        assertTrue(broken.stderr().matches("(?s)\\Q" + blob + "\\E: offset 0x[0-9a-f]+: error: .*\n"), broken.stderr());

        // usage errors are 2 as everywhere
        assertEquals(2, DtCli.run("dt", "diff", a.toString()).exit());
        assertEquals(2, DtCli.run("dt", "diff", "-", "-").exit());
    }
}
