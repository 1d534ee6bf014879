package org.xldt.xlcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xldt.cli.Main;
import org.xldt.xen.DomainConfigReader;

/**
 * No input makes the reader, the DomainConfig reader, the writers or the CLI throw: random
 * bytes and randomly edited files (jqwik, every run), and a Jazzer fuzz target for longer
 * fuzzing on demand (seeds in src/test/resources/org/xldt/xlcfg/XlCfgFuzzTestInputs).
 */
class XlCfgFuzzTest {
    /** Everything the library does with an input; throws on any bug. */
    static void exercise(byte[] data) {
        ParseResult r = XlCfgReader.read("fuzz.cfg", data);
        for (Diagnostic d : r.diagnostics()) {
            assertTrue(d.location().line() >= 1 && d.location().column() >= 1, d::toString);
            assertFalse(d.render(true).isEmpty());
        }
        byte[] json = XlConfigWriter.json(r);
        assertTrue(json.length > 0);
        if (r.ok()) {
            // dumping and reading back gives the same settings
            byte[] text = XlConfigWriter.text(r.config());
            ParseResult again = XlCfgReader.read("dump.cfg", text);
            assertTrue(again.ok(), () -> "dump does not read back: " + again.diagnostics());
            assertArrayEquals(json, XlConfigWriter.json(again));
            DomainConfigReader.Result dc = DomainConfigReader.read(r.config());
            for (Diagnostic d : dc.diagnostics()) assertFalse(d.render(true).isEmpty());
        }
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<byte[]> nearlyValid() {
        return XlCfgTexts.edited(XlCfgTexts.validFiles()).map(XlCfgTexts::bytes);
    }

    @Property(tries = 1500)
    void randomBytesNeverThrow(@ForAll("randomBytes") byte[] data) {
        exercise(data);
    }

    @Property(tries = 1000)
    void nearlyValidTextsNeverThrow(@ForAll("nearlyValid") byte[] data) {
        exercise(data);
    }

    /** The CLI on random bytes: exit 0 or 1, never an internal error or a stack trace. */
    @Property(tries = 40)
    void cliNeverCrashes(@ForAll("randomBytes") byte[] data) throws Exception {
        Path f = Files.createTempFile(Files.createDirectories(Path.of("target", "fuzz-tmp")), "fuzz", ".cfg");
        try {
            Files.write(f, data);
            for (String[] args : new String[][] {{"check", f.toString()}, {"cfg", "dump", "--json", f.toString()}, {"cfg", "dump", f.toString()}}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                StringWriter err = new StringWriter();
                int rc = Main.run(args, out, new PrintWriter(err));
                String e = err.toString();
                assertTrue(rc == 0 || rc == 1, () -> "exit " + rc + ": " + e);
                assertFalse(e.contains("internal error") || e.contains("Exception") || e.contains("\tat "), e);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Jazzer fuzz target: {@code JAZZER_FUZZ=1 mvn test -Dtest=XlCfgFuzzTest#fuzzReader}. Only
     * enabled with JAZZER_FUZZ set: Jazzer's agent instruments every class loaded after it, which
     * would slow the rest of the default test run by half a minute; the jqwik properties above
     * fuzz on every run.
     */
    @FuzzTest(maxDuration = "60s")
    @EnabledIfEnvironmentVariable(named = "JAZZER_FUZZ", matches = ".+")
    void fuzzReader(byte[] data) {
        exercise(data);
    }

    @org.junit.jupiter.api.Test
    void deepNestingDoesNotOverflowTheStack() {
        for (int n : new int[] {300, 4996, 4997, 200000}) {
            byte[] data = ("a=" + "[".repeat(n) + "]".repeat(n) + "\n").getBytes(StandardCharsets.ISO_8859_1);
            ParseResult r = XlCfgReader.read("deep.cfg", data);
            assertEquals(n <= 4996, r.ok(), "nesting " + n);
            exercise(data);
        }
    }
}
