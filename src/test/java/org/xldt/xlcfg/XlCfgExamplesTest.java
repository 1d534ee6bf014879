package org.xldt.xlcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.xldt.cli.Main;

/**
 * Every example in examples/xlcfg: {@code xldt cfg dump --json} prints its golden JSON (made by
 * the libxlutil oracle) byte for byte with the right exit status, the live oracle still prints
 * that golden, and {@code xldt check} agrees with the example's kind (see examples/xlcfg/README.md).
 */
class XlCfgExamplesTest {
    static final Path DIR = Path.of("examples", "xlcfg");

    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    static List<String> args(Path cfg) throws IOException {
        Path a = Path.of(cfg.toString().replaceAll("\\.cfg$", ".args"));
        if (!Files.exists(a)) return List.of();
        return Files.readAllLines(a, StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
    }

    static byte[] golden(Path cfg) throws IOException {
        return Files.readAllBytes(Path.of(cfg.toString().replaceAll("\\.cfg$", ".json")));
    }

    record Run(int exit, byte[] out, String err) {
    }

    static Run xldt(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc = Main.run(args.toArray(new String[0]), out, new PrintWriter(err));
        return new Run(rc, out.toByteArray(), err.toString());
    }

    @Test
    void thereAreEnoughExamplesOfEveryKind() throws IOException {
        List<Path> all = examples();
        assertTrue(all.size() >= 60, "examples: " + all.size());
        for (String prefix : List.of("arm-", "rule-", "broken-", "invalid-")) {
            assertTrue(all.stream().filter(p -> p.getFileName().toString().startsWith(prefix)).count() >= 10, prefix);
        }
    }

    @TestFactory
    List<DynamicTest> dumpJsonMatchesTheGolden() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : examples()) {
            tests.add(DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> {
                List<String> cmd = new ArrayList<>(List.of("cfg", "dump", "--json", cfg.toString()));
                cmd.addAll(args(cfg));
                Run r = xldt(cmd);
                byte[] want = golden(cfg);
                assertEquals(new String(want, StandardCharsets.ISO_8859_1), new String(r.out(), StandardCharsets.ISO_8859_1), r.err());
                assertArrayEquals(want, r.out());
                boolean ok = new String(want, StandardCharsets.ISO_8859_1).startsWith("{\"ok\":true");
                assertEquals(ok ? 0 : 1, r.exit(), r.err());
                assertFalse(r.err().contains("internal error"), r.err());
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> liveOracleStillPrintsTheGolden() throws IOException {
        Oracle.path(); // skips (or fails under XLDT_REQUIRE_TOOLS=1) without the oracle
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : examples()) {
            tests.add(DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> {
                byte[] input = XlSource.of(cfg.toString(), Files.readAllBytes(cfg), args(cfg)).bytes();
                Oracle.Answer a = Oracle.ask(input);
                assertArrayEquals(golden(cfg), a.stdout(), a.stderr());
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> checkAgreesWithTheKind() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : examples()) {
            String n = cfg.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(n, () -> {
                List<String> cmd = new ArrayList<>(List.of("check", cfg.toString()));
                cmd.addAll(args(cfg));
                Run r = xldt(cmd);
                if (n.startsWith("arm-")) {
                    assertEquals(0, r.exit(), r.err());
                    assertFalse(r.err().contains("warning"), r.err());
                } else if (n.startsWith("broken-") || n.startsWith("invalid-")) {
                    assertEquals(1, r.exit(), r.err());
                    assertTrue(r.err().contains(": error: "), r.err());
                }
                // every diagnostic line starts with FILE:LINE:COL
                for (String line : r.err().split("\n")) {
                    if (line.contains(": error: ") || line.contains(": warning: ")) {
                        assertTrue(line.matches("(" + java.util.regex.Pattern.quote(cfg.toString()) + "|<command line: [^>]*>):\\d+:\\d+: (error|warning): .*"), line);
                    }
                }
            }));
        }
        return tests;
    }
}
