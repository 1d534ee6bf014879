package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.Tools;

/** Manifest lines split into words as a shell splits a simple command, and what is refused. */
class ManifestTest {
    static final Path DIR = Path.of("/m");

    static List<List<String>> words(String text) {
        return Manifest.parse("m.txt", text, DIR).stream().map(Manifest.Job::args).toList();
    }

    static String error(String text) {
        return assertThrows(BadInputException.class, () -> Manifest.parse("m.txt", text, DIR)).render();
    }

    @Test
    void wordsCommentsAndLines() {
        List<Manifest.Job> jobs = Manifest.parse("m.txt", """
                # a comment

                create a.cfg -o out/a.dtb   # trailing comment
                xldt dom0 --host h.dtb\t-o d.dtb
                  dt   convert x#y.dts
                """, DIR);
        assertEquals(List.of(List.of("create", "a.cfg", "-o", "out/a.dtb"), List.of("dom0", "--host", "h.dtb", "-o", "d.dtb"),
                List.of("dt", "convert", "x#y.dts")), jobs.stream().map(Manifest.Job::args).toList());
        assertEquals(List.of(3, 4, 5), jobs.stream().map(Manifest.Job::line).toList());
        assertEquals("m.txt:4", jobs.get(1).where());
        assertEquals(DIR, jobs.get(0).dir());
    }

    @Test
    void quotesAndBackslashes() {
        assertEquals(List.of(List.of("dom0", "--xen-cmdline", "dom0_mem=1G viommu=smmuv3", "it's", "a\\b", "")),
                words("dom0 --xen-cmdline 'dom0_mem=1G viommu=smmuv3' \"it's\" 'a\\b' ''\n"));
        assertEquals(List.of(List.of("a\"b$c`d\\e\\f", "x y", "ab'cd'ef", "#not-a-comment")),
                words("\"a\\\"b\\$c\\`d\\\\e\\f\" x\\ y ab\"'cd'\"ef '#not-a-comment'"));
        // backslash-newline joins lines, also inside double quotes; the job keeps its first line
        List<Manifest.Job> jobs = Manifest.parse("m.txt", "check \\\n  a.cfg \"x\\\ny\"\ncheck b.cfg\n", DIR);
        assertEquals(List.of("check", "a.cfg", "xy"), jobs.get(0).args());
        assertEquals(1, jobs.get(0).line());
        assertEquals(4, jobs.get(1).line());
        // a newline inside single quotes is part of the word
        assertEquals(List.of(List.of("a", "x\ny"), List.of("b")), words("a 'x\ny'\nb\n"));
        // CR-LF lines
        assertEquals(List.of(List.of("a", "b"), List.of("c")), words("a b\r\nc\r\n"));
        // the same words as bash gives
        String line = "create 'a b.cfg' x\\ y \"q\\\"\\\\\" 'it'\\''s' a=\"[1, 2]\" x~ -o=@%+,:";
        Tools.Result r = Tools.run(List.of("bash", "-c", "printf '%s\\n' " + line), null);
        assertEquals(0, r.exit());
        assertEquals(List.of(r.out().split("\n", -1)).subList(0, 8), words(line).get(0));
    }

    @Test
    void shellSyntaxIsRefusedWithItsLocation() {
        assertEquals("m.txt:2:7: error: '|' is shell syntax a manifest does not support (quote it for a literal |)", error("check a\ncheck | b\n"));
        assertEquals("m.txt:1:14: error: '$': a manifest has no variables nor command substitution", error("create a.cfg $OUT"));
        assertEquals("m.txt:1:10: error: '$': a manifest has no variables nor command substitution (write \\$)", error("create \"a$b\""));
        assertEquals("m.txt:1:7: error: '~' at the start of a word: a manifest does not expand it (write the path)", error("check ~/a.cfg"));
        assertEquals("m.txt:1:8: error: '*' is shell syntax a manifest does not support (quote it for a literal *)", error("check g*.cfg"));
        assertEquals("m.txt:1:3: error: '>' is shell syntax a manifest does not support (quote it for a literal >)", error("a > b"));
        assertEquals("m.txt:2:3: error: unterminated single quote", error("ok\na 'b\n\n"));
        assertEquals("m.txt:1:3: error: unterminated double quote", error("a \"b"));
        assertEquals("m.txt:3:1: error: a batch job cannot run 'batch'", error("a\n\nxldt batch m.txt\n"));
        assertEquals("m.txt:1:1: error: no command after 'xldt'", error("xldt # nothing\n"));
        // quoted, they are literal
        assertEquals(List.of(List.of("a", "|", "$X", "*", "~")), words("a '|' '$X' \\* '~'"));
    }

    @Test
    void commandIsQuotedForMessages() {
        Manifest.Job j = Manifest.parse("m.txt", "dom0 --xen-cmdline 'a b' x=\"it's\"\n", DIR).get(0);
        assertEquals("dom0 --xen-cmdline 'a b' 'x=it'\\''s'", j.command());
    }
}
