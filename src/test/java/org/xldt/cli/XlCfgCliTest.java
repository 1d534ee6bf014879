package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xldt cfg dump} and {@code xldt check} from the command line. */
class XlCfgCliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, byte[] bytes, String err) {
    }

    static Run xldt(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, out, new PrintWriter(err));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), out.toByteArray(), err.toString());
    }

    Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void checkCleanFile() throws Exception {
        Path f = file("ok.cfg", "name = \"g\"\nkernel = \"/k\"\nviommu = \"smmuv3\"\ndtdev = [\"/soc/a\"]\n");
        Run r = xldt("check", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(f + ": ok\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void checkReportsEveryErrorWithLocationsAndExits1() throws Exception {
        Path f = file("bad.cfg", "name = \"g\"\nkernel = \"/k\"\nviommu = \"smmu\"\nmemroy = 5\nvcpus = 0\n");
        Run r = xldt("check", f.toString());
        assertEquals(1, r.exit());
        String[] lines = r.err().split("\n");
        assertEquals(f + ":3:10: error: Unknown vIOMMU type \"smmu\" specified", lines[0]);
        assertTrue(r.err().contains(f + ":4:1: warning: unknown setting 'memroy' (xl ignores it)\n  hint: did you mean 'memory'?"), r.err());
        assertTrue(r.err().contains(f + ":5:9: error: 'vcpus' must be between 1 and 128"), r.err());
        assertTrue(r.err().endsWith(f + ": 2 errors, 1 warning\n"), r.err());
        // not a terminal here: no caret lines
        assertFalse(r.err().contains("^"), r.err());
    }

    @Test
    void caretLinesOnRequest() throws Exception {
        Path f = file("c.cfg", "name = \"g\"\nkernel = \"/k\"\n\tmemory = \"x\"\n");
        Run r = xldt("check", "--caret=always", f.toString());
        // a tab shows as one space
        assertTrue(r.err().contains(f + ":3:11: error: parameter 'memory' is not a valid number\n     memory = \"x\"\n              ^\n"), r.err());
    }

    @Test
    void checkStopsAtSyntaxErrorsButReportsThemAll() throws Exception {
        Path f = file("s.cfg", "name = \"g\nMemory = 1\nvcpus = 1 2\n");
        Run r = xldt("check", f.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(f + ":1:8: error: unterminated string"), r.err());
        assertTrue(r.err().contains(f + ":2:1: error: upper-case letter in the name 'Memory'"), r.err());
        assertTrue(r.err().contains(f + ":3:11: error: expected the end of the statement"), r.err());
        assertTrue(r.err().contains(": 3 errors"), r.err());
    }

    @Test
    void overridesAreStatementsAfterTheFile() throws Exception {
        Path f = file("o.cfg", "name = \"g\"\nkernel = \"/k\"\nmemory = 64");
        Run r = xldt("cfg", "dump", "--json", f.toString(), "memory=128", "extra=\"quiet\"");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"ok\":true,\"settings\":{\"name\":\"g\",\"kernel\":\"/k\",\"memory\":\"128\",\"extra\":\"quiet\"}}\n", r.out());
        Run bad = xldt("check", f.toString(), "vcpus=x y");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("<command line: vcpus=x y>:1:7: error: expected a value (a string, a number or a list), found the name 'x'"), bad.err());
    }

    @Test
    void argumentsMustBeSettings() throws Exception {
        Path f = file("a.cfg", "name = \"g\"\n");
        Run r = xldt("cfg", "dump", f.toString(), "other.cfg");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a KEY=VALUE setting: 'other.cfg'"), r.err());
    }

    @Test
    void dumpTextReadsBack() throws Exception {
        Path f = file("d.cfg", "a = [1, \"x\\ty\", [\"q\\\"\"]]\nb = 'it''s'\n".replace("''", "\\'") + "c = \"\\101z\"\nd = 0x1f\n");
        Run r = xldt("cfg", "dump", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("a = [1, \"x\\ty\", [\"q\\\"\"]]\nb = \"it's\"\nc = \"z\"\nd = 0x1f\n", r.out());
        assertTrue(r.err().contains("octal escape '\\101' is dropped"), r.err());
        Path back = file("back.cfg", r.out());
        assertEquals(xldt("cfg", "dump", "--json", f.toString()).out(), xldt("cfg", "dump", "--json", back.toString()).out());
    }

    @Test
    void dumpJsonOnFailure() throws Exception {
        Path f = file("f.cfg", "a = -1\n");
        Run r = xldt("cfg", "dump", "--json", f.toString());
        assertEquals(1, r.exit());
        assertEquals("{\"ok\":false,\"rc\":22}\n", r.out());
        assertTrue(r.err().startsWith(f + ":1:5: error: '-' cannot start a value"), r.err());
        Run text = xldt("cfg", "dump", f.toString());
        assertEquals(1, text.exit());
        assertEquals("", text.out());
    }

    @Test
    void unreadableFiles() {
        Run missing = xldt("cfg", "dump", "--json", dir.resolve("none.cfg").toString());
        assertEquals(1, missing.exit());
        assertEquals("{\"ok\":false,\"rc\":2}\n", missing.out());
        assertEquals(dir.resolve("none.cfg") + ": error: cannot read: no such file\n", missing.err());
        Run directory = xldt("cfg", "dump", "--json", dir.toString());
        assertEquals("{\"ok\":false,\"rc\":21}\n", directory.out());
        Run check = xldt("check", dir.resolve("none.cfg").toString());
        assertEquals(1, check.exit());
        assertEquals(dir.resolve("none.cfg") + ": error: cannot read: no such file\n", check.err());
    }

    @Test
    void rawBytesAreKept() throws Exception {
        Path f = dir.resolve("b.cfg");
        Files.write(f, new byte[] {'a', '=', '"', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '"', '\n'});
        Run r = xldt("cfg", "dump", "--json", f.toString());
        byte[] want = new byte[] {'{', '"', 'o', 'k', '"', ':', 't', 'r', 'u', 'e', ',', '"', 's', 'e', 't', 't', 'i', 'n', 'g', 's', '"', ':', '{',
            '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '"', '}', '}', '\n'};
        assertEquals(new String(want, StandardCharsets.ISO_8859_1), new String(r.bytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void helpListsTheCommands() {
        Run r = xldt("--help");
        assertTrue(r.out().contains("cfg") && r.out().contains("check"), r.out());
        assertEquals(2, xldt("cfg").exit());
    }
}
