package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import org.xldt.dt.DtCli;

/** {@code xldt batch}: the same bytes for any -j, golden checks, failures, and the progress bar. */
class BatchCommandTest {
    static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

    @TempDir
    Path dir;

    /**
     * A manifest of 30 jobs in {@code work}: the 14 dom0 golden cases of examples/dom0 (DTB and
     * DTS each) and a DTB→DTS conversion of 16 host trees; the hosts are copied beside it.
     */
    static Path manifest(Path work) throws IOException {
        Files.createDirectories(work.resolve("hosts"));
        StringBuilder m = new StringBuilder("# dom0 golden cases, then host conversions\n");
        for (String line : Files.readAllLines(EXAMPLES.resolve("dom0/cases.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            copy(EXAMPLES.resolve("hosts").resolve(f[1]), work.resolve("hosts").resolve(f[1]));
            m.append("dom0 --host hosts/").append(f[1]).append(" --xen-cmdline '").append(f[2]).append("' -o out/")
                    .append(f[0]).append(".dtb --dts out/").append(f[0]).append(".dts\n");
        }
        List<Path> hosts;
        try (Stream<Path> s = Files.list(EXAMPLES.resolve("hosts"))) {
            hosts = s.filter(p -> p.toString().endsWith(".dtb")).sorted().limit(16).toList();
        }
        for (Path h : hosts) {
            copy(h, work.resolve("hosts").resolve(h.getFileName()));
            m.append("xldt dt convert -q hosts/").append(h.getFileName()).append(" -o out/hosts/").append(h.getFileName()).append(".dts\n");
        }
        return Files.writeString(work.resolve("jobs.txt"), m);
    }

    static void copy(Path from, Path to) throws IOException {
        if (!Files.exists(to)) Files.copy(from, to);
    }

    /** Every file under {@code root/out}, by relative name. */
    static Map<String, byte[]> outputs(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        Path out = root.resolve("out");
        if (!Files.exists(out)) return m;
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(out.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void sameBytesForAnyThreadCountAndEqualToTheGoldens() throws IOException {
        Path one = dir.resolve("one");
        Path four = dir.resolve("four");
        Path jobs1 = manifest(one);
        Path jobs4 = manifest(four);
        assertTrue(Files.readAllLines(jobs1).size() >= 30);
        DtCli.Result r1 = DtCli.run("batch", "-j", "1", jobs1.toString());
        DtCli.Result r4 = DtCli.run("batch", "-j", "4", jobs4.toString());
        assertEquals(0, r1.exit(), r1.stderr());
        assertEquals(0, r4.exit(), r4.stderr());
        // the jobs' warnings, in manifest order, whatever the thread count
        assertEquals(r1.stderr(), r4.stderr());
        assertTrue(r1.stderr().contains("warning"), "dom0's warnings are printed");
        assertArrayEquals(r1.stdout(), r4.stdout());
        Map<String, byte[]> o1 = outputs(one);
        Map<String, byte[]> o4 = outputs(four);
        assertEquals(14 * 2 + 16, o1.size());
        assertEquals(o1.keySet(), o4.keySet());
        for (String k : o1.keySet()) assertArrayEquals(o1.get(k), o4.get(k), k);
        // the dom0 outputs are the golden trees (checked against dtc by Dom0GoldenTest)
        for (String k : o1.keySet()) {
            if (k.startsWith("hosts")) continue;
            assertArrayEquals(Files.readAllBytes(EXAMPLES.resolve("dom0").resolve(k)), o1.get(k), k);
        }
        // and each equals the job run on its own
        DtCli.Result alone = DtCli.run("dt", "convert", "-q", one.resolve("hosts/morello-sdp.dtb").toString());
        assertArrayEquals(alone.stdout(), o1.get("hosts/morello-sdp.dtb.dts"));
    }

    @Test
    void checkPassesThenReportsEveryDifference() throws IOException {
        Path jobs = manifest(dir);
        DtCli.Result w = DtCli.run("batch", "-q", jobs.toString());
        assertEquals(0, w.exit(), w.stderr());

        DtCli.Result ok = DtCli.run("batch", "-q", "--check", jobs.toString());
        assertEquals(0, ok.exit(), ok.stderr());
        assertEquals("xldt batch --check: all 44 outputs match (30 jobs)\n", text(ok.stdout()));
        assertEquals("", ok.stderr());

        // damage three goldens: another case's DTB, a deleted DTS, an edited DTS
        Path out = dir.resolve("out");
        Files.copy(out.resolve("qemu-virt-gicv3-smmuv3-off.dtb"), out.resolve("qemu-virt-gicv3-smmuv3-on.dtb"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(out.resolve("morello-sdp-on.dts"));
        Path edited = out.resolve("hosts/qemu-virt-gicv2.dtb.dts");
        String dts = Files.readString(edited, StandardCharsets.ISO_8859_1);
        Files.writeString(edited, dts.replace("compatible = \"linux,dummy-virt\";", "compatible = \"acme,board\";"), StandardCharsets.ISO_8859_1);
        Map<String, byte[]> before = outputs(dir);

        DtCli.Result bad = DtCli.run("batch", "-q", "--check", jobs.toString());
        assertEquals(1, bad.exit(), bad.stderr());
        String report = text(bad.stdout());
        String[] lines = report.split("\n");
        // in manifest order: the on-case DTB (line 9), the deleted DTS (line 11), the edited host (a convert line)
        assertEquals(jobs + ":9: out/qemu-virt-gicv3-smmuv3-on.dtb:", lines[0]);
        assertTrue(report.contains("    + /pcie@10000000:iommu-map = <0x00 0x"), report);
        assertTrue(report.contains("    + /smmuv3@9050000\n") || report.contains("    + /iommu@9050000\n"), report);
        assertTrue(report.contains(jobs + ":11: out/morello-sdp-on.dts:\n    missing: there is no out/morello-sdp-on.dts to compare with"), report);
        assertTrue(report.contains(":\n    ~ /:compatible: \"acme,board\" → \"linux,dummy-virt\"\n"), report);
        assertTrue(report.endsWith("xldt batch --check: 3 of 44 outputs differ\n"), report);
        assertEquals("", bad.stderr());
        // --check wrote nothing
        Map<String, byte[]> after = outputs(dir);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k);
    }

    @Test
    void failedJobsWriteNothingAndAreListedWithTheirErrors() throws IOException {
        Path src = Files.writeString(dir.resolve("t.dts"), "/dts-v1/;\n/ { model = \"t\"; };\n");
        assertTrue(Files.exists(src));
        Files.writeString(dir.resolve("bad.dts"), "/dts-v1/;\n/ { model = \"t\" };\n");
        Path jobs = Files.writeString(dir.resolve("jobs.txt"), String.join("\n",
                "dt convert t.dts -o out/a.dtb",
                "dt convert bad.dts -o out/bad.dtb",
                "dt convert t.dts -o out/b.dtb --no-such-option",
                "dt convert t.dts -o out/a.dtb",
                "dt convert - -o out/stdin.dtb",
                "dt convert out/a.dtb -o out/c.dts",
                "dt get t.dts / model",
                ""));
        DtCli.Result r = DtCli.run("batch", jobs.toString());
        assertEquals(1, r.exit());
        assertEquals("t\n", text(r.stdout()));
        assertEquals(String.join("\n",
                "xldt batch: 5 of 7 jobs failed:",
                "  " + jobs + ":2: dt convert bad.dts -o out/bad.dtb",
                "    bad.dts:2:17: error: syntax error: unexpected '}'",
                "  " + jobs + ":3: dt convert t.dts -o out/b.dtb --no-such-option",
                "    xldt: Unknown option: '--no-such-option'",
                "    Try 'xldt dt convert --help' for more information.",
                "  " + jobs + ":4: dt convert t.dts -o out/a.dtb",
                "    out/a.dtb: also written by " + jobs + ":1 (nothing of this job was written)",
                "  " + jobs + ":5: dt convert - -o out/stdin.dtb",
                "    <stdin>: error: standard input is not available to a batch job",
                "  " + jobs + ":6: dt convert out/a.dtb -o out/c.dts",
                "    reads out/a.dtb, which " + jobs + ":1 writes: jobs run in parallel, in no set order (run them in two batches)",
                ""), r.stderr());
        assertTrue(Files.exists(dir.resolve("out/a.dtb")));
        assertFalse(Files.exists(dir.resolve("out/bad.dtb")));
        assertFalse(Files.exists(dir.resolve("out/b.dtb")));
    }

    @Test
    void namesAreRelativeToTheManifestIncludesToo() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(sub.resolve("inc.dtsi"), "/ { model = \"included\"; };\n");
        Files.writeString(sub.resolve("t.dts"), "/dts-v1/;\n/include/ \"inc.dtsi\"\n/ { x = <1>; };\n");
        Path jobs = Files.writeString(sub.resolve("jobs.txt"), "dt convert t.dts -o ../out/t.dtb\n");
        DtCli.Result r = DtCli.run("batch", jobs.toString());
        assertEquals(0, r.exit(), r.stderr());
        DtCli.Result get = DtCli.run("dt", "get", dir.resolve("a/out/t.dtb").toString(), "/", "model");
        assertEquals("included\n", get.out());
    }

    @Test
    void manifestErrorsAndUsage() throws IOException {
        Path jobs = Files.writeString(dir.resolve("jobs.txt"), "dt convert a.dts\ndt convert 'b.dts\n");
        DtCli.Result r = DtCli.run("batch", jobs.toString());
        assertEquals(1, r.exit());
        assertEquals(jobs + ":2:12: error: unterminated single quote\n", r.stderr());
        assertEquals(2, DtCli.run("batch", "-j", "0", jobs.toString()).exit());
        assertEquals(2, DtCli.run("batch").exit());
        DtCli.Result missing = DtCli.run("batch", dir.resolve("none.txt").toString());
        assertEquals(1, missing.exit());
        assertEquals(dir.resolve("none.txt") + ": error: cannot read: no such file\n", missing.stderr());
    }

    /**
     * The real process on a pseudo-terminal (script(1)): the bar in auto mode on a terminal, not
     * with TERM=dumb, not when standard error is not a terminal.
     */
    @Test
    void progressBarOnATerminalOnly() throws IOException {
        Files.writeString(dir.resolve("t.dts"), "/dts-v1/;\n/ { };\n");
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 20; i++) m.append("dt convert -q t.dts -o out/t").append(i).append(".dtb\n");
        Path jobs = Files.writeString(dir.resolve("jobs.txt"), m);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = String.join(" ", java, "-Dxldt.progress.delay-ms=0", "-cp", "'" + System.getProperty("java.class.path") + "'",
                "org.xldt.cli.Main", "batch", "-j", "2", "'" + jobs + "'");
        String script = Tools.require("script");
        Tools.Result tty = Tools.run(List.of("env", "TERM=xterm", script, "-qec", cmd, "/dev/null"), new byte[0]);
        assertEquals(0, tty.exit(), tty.out() + tty.stderr());
        assertTrue(tty.out().contains("\r[==============================] 20/20 jobs, 0:"), tty.out());
        assertTrue(tty.out().endsWith("\r\033[K"), "erased at the end: " + tty.out());
        Tools.Result dumb = Tools.run(List.of("env", "TERM=dumb", script, "-qec", cmd, "/dev/null"), new byte[0]);
        assertEquals(0, dumb.exit(), dumb.out() + dumb.stderr());
        assertEquals("", dumb.out() + dumb.stderr());
        // standard error a pipe, standard output the terminal
        Tools.Result pipe = Tools.run(List.of("env", "TERM=xterm", script, "-qec", cmd + " 2>&1 | cat", "/dev/null"), new byte[0]);
        assertEquals(0, pipe.exit(), pipe.out() + pipe.stderr());
        assertEquals("", pipe.out() + pipe.stderr());
        assertEquals(20, outputs(dir).size());
    }

    @Test
    void progressBarOnlyWhenAsked() throws IOException {
        List<String> lines = new ArrayList<>();
        Files.writeString(dir.resolve("t.dts"), "/dts-v1/;\n/ { };\n");
        for (int i = 0; i < 25; i++) lines.add("dt convert -q t.dts -o out/t" + i + ".dtb");
        Path jobs = Files.writeString(dir.resolve("jobs.txt"), String.join("\n", lines) + "\n");
        // not a terminal: nothing
        DtCli.Result auto = DtCli.run("batch", jobs.toString());
        assertEquals(0, auto.exit());
        assertEquals("", auto.stderr());
        DtCli.Result never = DtCli.run("batch", "--progress=never", jobs.toString());
        assertEquals("", never.stderr());
        DtCli.Result always = DtCli.run("batch", "--progress=always", "-j", "2", jobs.toString());
        assertEquals(0, always.exit());
        String e = always.stderr();
        assertTrue(e.startsWith("\r["), e);
        assertTrue(e.contains("] 25/25 jobs, 0:"), e);
        assertTrue(e.contains("[==============================] 25/25"), e);
        // erased at the end: the terminal is left clean
        assertTrue(e.endsWith("\r\033[K"), e);
        assertEquals("", always.out());
    }
}
