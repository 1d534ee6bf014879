package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.xldt.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our findings equal dtc 1.6.1's, message for message, for every check dtc also has. */
class ChecksVsDtcTest {

    static Stream<Path> hostDtbs() throws IOException {
        return Files.list(Path.of("examples/hosts")).filter(p -> p.toString().endsWith(".dtb")).sorted();
    }

    @ParameterizedTest
    @MethodSource("hostDtbs")
    void hostDtbFindingsEqualDtcs(Path dtb) throws IOException {
        byte[] blob = Files.readAllBytes(dtb);
        DtcChecks.DtcRun dtc = DtcChecks.dtc(blob);
        assertFalse(dtc.crashed(), dtc.stderr());
        List<String> ours = DtcChecks.ours(Checks.run(DtbReader.read(blob, dtb.toString())));
        assertEquals(String.join("\n", dtc.findings()), String.join("\n", ours));
        // every check dtc reported is one of ours (none skipped)
        for (String name : DtcChecks.names(dtc.findings())) assertTrue(Checks.check(name) != null, name);
    }

    /** xldt's own checks find nothing in the real host trees (no dangling phandle, sound iommu-maps). */
    @ParameterizedTest
    @MethodSource("hostDtbs")
    void ownChecksAreSilentOnHostDtbs(Path dtb) throws IOException {
        DeviceTree tree = DtbReader.read(Files.readAllBytes(dtb), dtb.toString());
        List<String> own = Checks.defaults().keepGoing(true).run(tree).stream()
                .filter(f -> !Checks.check(f.check()).dtc()).map(Finding::render).toList();
        assertEquals(List.of(), own);
        assertEquals(List.of(), Checks.danglingPhandles(tree));
    }

    static Stream<Path> dtsFiles() throws IOException {
        return Files.list(Path.of("src/test/resources/org/xldt/dt/checks")).filter(p -> p.toString().endsWith(".dts")).sorted();
    }

    private static final Pattern EXPECT = Pattern.compile("^// expect: (.*)$", Pattern.MULTILINE);

    /**
     * Hand-made DTS files, compiled by dtc ({@code -f}, as some hold errors) and checked as the
     * DTB dtc made: our findings equal dtc's, and the file makes the checks its
     * {@code // expect:} line names report.
     */
    @ParameterizedTest
    @MethodSource("dtsFiles")
    void handMadeDtsFindingsEqualDtcs(Path dts) throws IOException {
        Tools.Result compiled = Tools.run(Tools.dtc(), "-q", "-f", "-I", "dts", "-O", "dtb", "-o", "-", dts.toString());
        assertEquals(0, compiled.exit(), compiled.stderr());
        byte[] blob = compiled.stdout();
        DtcChecks.DtcRun dtc = DtcChecks.dtc(blob);
        assertFalse(dtc.crashed(), dtc.stderr());
        List<String> ours = DtcChecks.ours(Checks.run(DtbReader.read(blob, dts.toString())));
        assertEquals(String.join("\n", dtc.findings()), String.join("\n", ours));
        Matcher m = EXPECT.matcher(Files.readString(dts));
        assertTrue(m.find(), "no // expect: line");
        List<String> seen = DtcChecks.reportingNames(dtc.findings());
        for (String name : m.group(1).trim().split("\\s+")) {
            assertTrue(seen.contains(name), dts.getFileName() + " does not make " + name + " report");
        }
    }
}
