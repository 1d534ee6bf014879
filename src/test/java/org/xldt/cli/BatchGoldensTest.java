package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.dt.DtCli;

/**
 * {@code examples/goldens.txt}: every golden output of {@code create}, {@code dom0} and
 * {@code dom0less} as one batch manifest. {@code batch --check} passes on the checkout, fails with a
 * readable summary on damaged goldens, and a batch run rewrites the goldens byte for byte with any -j.
 */
class BatchGoldensTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MANIFEST = ROOT.resolve("examples/goldens.txt");
    static final Pattern ALL_MATCH = Pattern.compile("xldt batch --check: all (\\d+) outputs match \\((\\d+) jobs\\)\n");

    @TempDir
    Path dir;

    static List<Manifest.Job> jobs() throws IOException {
        return Manifest.parse("goldens.txt", Files.readString(MANIFEST), ROOT);
    }

    /** The values of {@code option} in the jobs of {@code command}. */
    static Set<String> values(List<Manifest.Job> jobs, String command, String option) {
        Set<String> s = new TreeSet<>();
        for (Manifest.Job j : jobs) {
            List<String> a = j.args();
            if (!a.get(0).equals(command)) continue;
            for (int i = 1; i + 1 < a.size(); i++) if (a.get(i).equals(option)) s.add(a.get(i + 1));
        }
        return s;
    }

    static List<String> listed(String dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            return s.map(p -> ROOT.relativize(p).toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void theManifestCoversEveryGolden() throws IOException {
        List<Manifest.Job> jobs = jobs();
        // every guest configuration, to its two goldens
        Set<String> guestDtbs = new TreeSet<>();
        for (String cfg : listed("examples/guests", ".cfg")) guestDtbs.add(cfg.replaceAll("\\.cfg$", ".guest.dtb"));
        assertEquals(guestDtbs, values(jobs, "create", "-o"));
        assertEquals(listed("examples/guests", ".guest.dts"), List.copyOf(values(jobs, "create", "--dts")));
        // every case of examples/dom0/cases.tsv
        Set<String> dom0 = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("examples/dom0/cases.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) dom0.add("examples/dom0/" + line.split("\t")[0] + ".dtb");
        }
        assertEquals(dom0, values(jobs, "dom0", "-o"));
        assertEquals(new TreeSet<>(listed("examples/dom0", ".dtb")), dom0);
        // every dom0less system
        Set<String> systems = new TreeSet<>();
        for (String d : listed("examples/dom0less", "")) if (Files.exists(ROOT.resolve(d).resolve("system.cfg"))) systems.add(d + "/expected/boot.dtb");
        assertEquals(3, systems.size());
        assertEquals(systems, values(jobs, "dom0less", "-o"));
    }

    @Test
    void checkPassesOnTheCheckout() throws IOException {
        DtCli.Result r = DtCli.run("batch", "-q", "-C", ROOT.toString(), "--check", MANIFEST.toString());
        assertEquals(0, r.exit(), r.stderr() + r.out());
        assertEquals("", r.stderr());
        Matcher m = ALL_MATCH.matcher(r.out());
        assertTrue(m.matches(), r.out());
        assertEquals(jobs().size(), Integer.parseInt(m.group(2)));
        // create: DTB and DTS; dom0: DTB and DTS; dom0less: host DTB, partials, domU DTB+DTS, script
        assertTrue(Integer.parseInt(m.group(1)) >= 2 * jobs().size() + 3 * 2, r.out());
    }

    @Test
    void checkFailsOnDamagedGoldensWithASummary() throws IOException {
        Path root = copyOfExamples();
        Path ex = root.resolve("examples");
        Files.copy(ex.resolve("guests/many-vcpus.guest.dtb"), ex.resolve("guests/minimal.guest.dtb"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(ex.resolve("dom0/morello-sdp-on.dts"));
        Path script = ex.resolve("dom0less/one-domu/expected/boot.source");
        Files.writeString(script, Files.readString(script).replace("booti 0x44800000", "booti 0x44900000"));
        Path domu = ex.resolve("dom0less/true-dom0less/expected/domu/linux.dts");
        Files.writeString(domu, Files.readString(domu, StandardCharsets.ISO_8859_1).replace("#address-cells = <0x02>;", "#address-cells = <0x01>;"),
                StandardCharsets.ISO_8859_1);
        Map<String, byte[]> before = files(ex);

        Path manifest = ex.resolve("goldens.txt");
        DtCli.Result r = DtCli.run("batch", "-q", "-j", "3", "-C", root.toString(), "--check", manifest.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertEquals("", r.stderr());
        String report = new String(r.stdout(), StandardCharsets.UTF_8);
        List<String> heads = report.lines().filter(l -> !l.startsWith("    ")).toList();
        assertEquals(List.of(
                manifest + ":" + line("examples/guests/minimal.cfg") + ": examples/guests/minimal.guest.dtb:",
                manifest + ":" + line("morello-sdp-on.dtb") + ": examples/dom0/morello-sdp-on.dts:",
                manifest + ":" + line("dom0less/one-domu/system.cfg") + ": examples/dom0less/one-domu/expected/boot.source:",
                manifest + ":" + line("dom0less/true-dom0less/system.cfg") + ": examples/dom0less/true-dom0less/expected/domu/linux.dts:",
                "xldt batch --check: 4 of " + outputs() + " outputs differ"), heads, report);
        // what changed, golden → new, as dt diff shows it: many-vcpus' extra CPUs are gone
        assertTrue(report.contains("\n    - /cpus/cpu@1\n"), report);
        assertTrue(report.contains("    missing: there is no examples/dom0/morello-sdp-on.dts to compare with"), report);
        assertTrue(report.contains("    line 11: \"booti 0x44900000 - 0x44C00000\" → \"booti 0x44800000 - 0x44C00000\"\n"), report);
        assertTrue(report.contains("    ~ /:#address-cells: <0x01> → <0x02>\n"), report);
        // --check wrote nothing
        Map<String, byte[]> after = files(ex);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k);
    }

    @Test
    void aBatchRewritesTheGoldensWithAnyThreadCount() throws IOException {
        Map<String, byte[]> golden = files(ROOT.resolve("examples"));
        List<DtCli.Result> runs = new ArrayList<>();
        List<Map<String, byte[]>> trees = new ArrayList<>();
        for (int j : new int[] {1, 4}) {
            Path root = copyOfExamples();
            // the outputs are gone before the run: it writes every one of them
            for (Manifest.Job job : jobs()) {
                for (String o : List.of("-o", "--dts", "--uboot-script")) {
                    int i = job.args().indexOf(o);
                    if (i > 0) Files.delete(root.resolve(job.args().get(i + 1)));
                }
            }
            FileUtils.deleteDirectory(root.resolve("examples/dom0less/one-domu/expected/domu").toFile());
            runs.add(DtCli.run("batch", "-j", "" + j, "-C", root.toString(), root.resolve("examples/goldens.txt").toString()));
            trees.add(files(root.resolve("examples")));
        }
        for (DtCli.Result r : runs) assertEquals(0, r.exit(), r.stderr());
        assertEquals(runs.get(0).stderr(), runs.get(1).stderr());
        assertTrue(runs.get(0).stderr().contains("warning: iommus removed"), "create's warnings, in order");
        assertArrayEquals(runs.get(0).stdout(), runs.get(1).stdout());
        assertTrue(runs.get(0).out().contains("host dtb           examples/dom0less/one-domu/expected/boot.dtb"), "dom0less's summary");
        for (Map<String, byte[]> t : trees) {
            assertEquals(golden.keySet(), t.keySet());
            for (String k : golden.keySet()) assertArrayEquals(golden.get(k), t.get(k), k);
        }
    }

    /** A copy of examples/ under the temporary directory; returns the directory holding it. */
    private Path copyOfExamples() throws IOException {
        Path root = Files.createTempDirectory(dir, "root");
        FileUtils.copyDirectory(ROOT.resolve("examples").toFile(), root.resolve("examples").toFile());
        return root;
    }

    /** The manifest line that mentions {@code text} first. */
    private static int line(String text) throws IOException {
        List<String> lines = Files.readAllLines(MANIFEST);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        throw new AssertionError(text + " is not in " + MANIFEST);
    }

    private static int outputs() {
        Matcher m = ALL_MATCH.matcher(DtCli.run("batch", "-q", "-C", ROOT.toString(), "--check", MANIFEST.toString()).out());
        assertTrue(m.matches());
        return Integer.parseInt(m.group(1));
    }

    /** Every file under {@code root}, by relative name. */
    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }
}
