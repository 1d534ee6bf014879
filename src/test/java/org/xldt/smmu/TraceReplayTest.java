package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;
import org.xldt.dt.DtCli;

/** {@code xldt smmu replay}: the examples' replies, qtest's formats, located errors. */
class TraceReplayTest {
    static final Path EXAMPLES = Path.of("examples/smmu");

    static Stream<Path> traces() throws IOException {
        return Files.list(EXAMPLES).filter(p -> p.toString().endsWith(".trace")).sorted();
    }

    @ParameterizedTest
    @MethodSource("traces")
    void examplesGiveTheirExpectedReplies(Path trace) throws IOException {
        String name = trace.getFileName().toString().replace(".trace", ".replies");
        String expected = Files.readString(EXAMPLES.resolve(name));
        DtCli.Result r = DtCli.run("smmu", "replay", trace.toString());
        assertEquals("", r.stderr());
        assertEquals(0, r.exit());
        assertEquals(expected, r.out());
        long commands = Files.readAllLines(trace).stream().map(l -> l.replaceAll("#.*", ""))
                .filter(l -> !l.isBlank()).count();
        assertEquals(commands, expected.lines().count(), "one reply per command line");
    }

    /**
     * The qtest lines of {@code qemu-registers.trace} give the same replies from QEMU's SMMUv3
     * (virt machine, {@code iommu=smmuv3}, driven by {@code -qtest}) as from this model.
     */
    @Test
    void qtestLinesGiveTheRepliesQemuGives() throws IOException {
        String qemu = Tools.require("qemu-system-aarch64");
        Path trace = EXAMPLES.resolve("qemu-registers.trace");
        List<String> qtest = new ArrayList<>();
        for (String l : Files.readAllLines(trace)) {
            String t = l.replaceAll("#.*", "").trim().replaceAll("[ \t]+", " ");
            if (!t.isEmpty() && !t.startsWith("smmu ")) {
                qtest.add(t);
            }
        }
        List<String> replies = qemuQtest(qemu, qtest);
        List<String> ours = DtCli.run("smmu", "replay", trace.toString()).out().lines()
                .toList();
        assertEquals(qtest.size() + 1, ours.size());
        assertEquals(ours.subList(1, ours.size()), replies);
    }

    /**
     * Sends the lines to QEMU's qtest on stdio and reads one reply per line; QEMU does not exit
     * when its input ends, so it is stopped once the replies are in (30 s at most).
     */
    private static List<String> qemuQtest(String qemu, List<String> lines) throws IOException {
        Process p = new ProcessBuilder(qemu, "-machine", "virt,iommu=smmuv3", "-qtest", "stdio",
                "-qtest-log", "/dev/null", "-display", "none", "-nodefaults", "-S")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write((String.join("\n", lines) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    p.getInputStream(), StandardCharsets.US_ASCII));
            java.util.concurrent.CompletableFuture<List<String>> f =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        List<String> out = new ArrayList<>();
                        try {
                            String l;
                            while (out.size() < lines.size() && (l = r.readLine()) != null) {
                                out.add(l);
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        return out;
                    });
            return f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | InterruptedException
                | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("qemu-system-aarch64 -qtest gave no complete reply", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> replay(String text) {
        List<String> out = new ArrayList<>();
        TraceReplay.run(TraceReader.read("t", text), out::add);
        return out;
    }

    @Test
    void qtestRepliesAndNumbers() {
        List<String> r = replay("""
                writeb 0x1000 0x1ff
                readq 0x1000
                writel 4096 0x12345678
                readw 0x1002
                writeq 010000 0xffffffffffffffff
                readb 0x1007
                write 0x2000 4 0x0102
                read 0x2000 6
                readq 0xfffffffffffffff8
                """);
        assertEquals(List.of("OK", "OK 0x00000000000000ff", "OK", "OK 0x0000000000001234",
                "OK", "OK 0x00000000000000ff", "OK", "OK 0x010200000000",
                "OK 0x0000000000000000"), r);
    }

    @Test
    void registerAccessesOfAnySizeSplitIntoNaturalPieces() {
        List<String> r = replay("""
                smmu 0x10000000
                read 0x10000000 8
                read 0x10000080 8
                write 0x10000080 8 0x00c0000004000000
                readq 0x10000080
                readl 0x10000084
                readb 0x10000000
                """);
        // IDR0 and IDR1 are 32-bit: an 8-byte piece is the wrong width and reads as zero
        assertEquals("OK 0x0000000000000000", r.get(1));
        assertEquals("OK 0x0000000000000000", r.get(2)); // STRTAB_BASE at reset
        assertEquals("OK 0x000000040000c000", r.get(4)); // one 64-bit piece
        assertEquals("OK 0x0000000000000004", r.get(5));
        assertEquals("OK 0x0000000000000000", r.get(6)); // byte access: RAZ
    }

    @Test
    void emptyTraceAndComments() {
        assertEquals(List.of(), replay("# nothing\n\n   \t\n"));
        assertEquals(List.of("OK"), replay("smmu 0x10000000 # trailing comment\r\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frob 1|t:1: error: unknown command 'frob'",
        "writel 0x10|t:1: error: writel takes ADDR VAL",
        "readq 0x1g|t:1: error: bad ADDR '0x1g': expected a number (0x hex, 0 octal, decimal) below 2^64",
        "readq -1|t:1: error: bad ADDR '-1': expected a number (0x hex, 0 octal, decimal) below 2^64",
        "readq 0x10000000000000000|t:1: error: bad ADDR '0x10000000000000000': expected a number (0x hex, 0 octal, decimal) below 2^64",
        "write 0 2 0x010203|t:1: error: DATA has 3 bytes, more than SIZE 2",
        "write 0 2 0x1|t:1: error: DATA needs an even, non-zero number of hex digits",
        "write 0 2 12|t:1: error: DATA must start with 0x",
        "read 0 0|t:1: error: SIZE 0 is not 1..1048576",
        "dma 1 0 r|t:1: error: no SMMU: an smmu line must come first",
        "smmu 0x10000000\\ndma 1 0 x|t:2: error: expected r or w, found 'x'",
        "smmu 0x10000000\\ndma 0x100000000 0 r|t:2: error: SID 0x100000000 is wider than 32 bits",
        "smmu 0x10000000\\nsmmu 0x10010000|t:2: error: SMMU window at 0x10010000 overlaps the one at 0x10000000 (line 1)",
        "smmu 0x10000000\\nsmmu 0x20000000\\nirq eventq|t:3: error: there are 2 SMMUs: name one with BASE",
        "smmu 0x10000000\\nirq eventq 0x20000000|t:2: error: no SMMU at 0x20000000",
        "smmu 0x10000000\\nirq combined|t:2: error: unknown interrupt 'combined' (eventq, priq, cmdq-sync, gerror)",
        "readl 0\\nsmmu 0x10000000|t:2: error: smmu lines must come before any access",
        "smmu 0x1000|t:1: error: SMMU base 0x1000 is not 64 KiB aligned",
        "smmu 0x10000000 s3|t:1: error: unknown or repeated smmu option 's3' (s1, s2, sidsize=N, oas=N)",
        "smmu 0x10000000 oas=41|t:1: error: oas 41 is not one of 32, 36, 40, 42, 44, 48",
        "smmu 0x10000000 sidsize=33|t:1: error: sidsize 33 is not 0..32",
        "smmu 0x10000000\\nread 0xffffff0 32|t:2: error: access at 0xffffff0 of 32 bytes straddles the edge of the SMMU window at 0x10000000",
    })
    void badLinesAreLocatedErrors(String trace, String error, @TempDir Path dir)
            throws IOException {
        Path t = dir.resolve("t");
        Files.writeString(t, trace.replace("\\n", "\n"), StandardCharsets.US_ASCII);
        DtCli.Result r = DtCli.run("smmu", "replay", t.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out(), "a bad trace runs nothing");
        assertEquals(error.replace("t:", t + ":") + System.lineSeparator(), r.stderr());
    }

    @Test
    void missingFile() {
        DtCli.Result r = DtCli.run("smmu", "replay", "/no/such/trace");
        assertEquals(1, r.exit());
        assertEquals("/no/such/trace: error: cannot read: no such file" + System.lineSeparator(),
                r.stderr());
    }
}
