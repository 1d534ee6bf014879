package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.xldt.BadInputException;
import org.xldt.Tools;

/** Compiles DTS with the real dtc and with {@link DtsReader} + {@link DtbWriter}. */
final class DtcOracle {
    private DtcOracle() {
    }

    /** dtc's verdict: exit status, the blob (if any) and its messages. */
    record Verdict(int exit, byte[] dtb, String stderr) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Ours: the blob, or the error. */
    record Ours(byte[] dtb, BadInputException error) {
        boolean ok() {
            return error == null;
        }
    }

    /** Runs dtc on {@code dts} in a fresh directory holding {@code files} too. */
    static Verdict dtc(String dts, Map<String, byte[]> files) {
        String dtc = Tools.dtc();
        Path dir = tempDir();
        try {
            Path in = write(dir, dts, files);
            Path out = dir.resolve("out.dtb");
            Tools.Result r = Tools.run(Tools.cmd(dtc, "-I", "dts", "-O", "dtb", "-o", out, in), null);
            byte[] blob = r.exit() == 0 ? Files.readAllBytes(out) : null;
            return new Verdict(r.exit(), blob, r.stderr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** Reads {@code dts} (as file "in.dts" in a fresh directory holding {@code files}) and writes a blob. */
    static Ours ours(String dts, Map<String, byte[]> files) {
        Path dir = tempDir();
        try {
            Path in = write(dir, dts, files);
            try {
                return new Ours(DtbWriter.write(DtsReader.read(in)), null);
            } catch (BadInputException e) {
                return new Ours(null, e);
            }
        } finally {
            delete(dir);
        }
    }

    /** Ours from text, files relative to {@code dir}, named "in.dts". */
    static Ours oursText(String dts, Path dir) {
        try {
            return new Ours(DtbWriter.write(DtsReader.read("in.dts", dts, dir)), null);
        } catch (BadInputException e) {
            return new Ours(null, e);
        }
    }

    /** Both accept and write the same bytes, or both refuse. Returns dtc's verdict. */
    static Verdict assertSameAsDtc(String dts) {
        return assertSameAsDtc(dts, Map.of());
    }

    static Verdict assertSameAsDtc(String dts, Map<String, byte[]> files) {
        Verdict v = dtc(dts, files);
        Ours o = ours(dts, files);
        if (v.ok()) {
            if (!o.ok()) fail("dtc accepts but we refuse: " + o.error.render() + "\n--- input:\n" + dts);
            assertArrayEquals(v.dtb, o.dtb, () -> "blob differs from dtc's\n--- input:\n" + dts);
        } else if (o.ok()) {
            fail("dtc refuses (exit " + v.exit + ": " + v.stderr.strip() + ") but we accept\n--- input:\n" + dts);
        }
        return v;
    }

    /** dtc accepts, and so do we with the same bytes. */
    static void assertAcceptedSame(String dts) {
        assertAcceptedSame(dts, Map.of());
    }

    static void assertAcceptedSame(String dts, Map<String, byte[]> files) {
        Verdict v = assertSameAsDtc(dts, files);
        assertEquals(0, v.exit, () -> "dtc refused a case meant to be valid: " + v.stderr + "\n--- input:\n" + dts);
    }

    /** dtc refuses, and we refuse with this location and a message containing {@code message}. */
    static BadInputException assertRefused(String dts, String location, String message) {
        Verdict v = dtc(dts, Map.of());
        if (v.ok()) fail("dtc accepts a case meant to be invalid:\n" + dts);
        Path dir = tempDir();
        try {
            Path in = write(dir, dts, Map.of());
            BadInputException e = assertThrows(BadInputException.class, () -> DtsReader.read(in), () -> "accepted:\n" + dts);
            assertEquals(location, e.location().replace(dir + "/", ""), () -> e.render() + "\n--- dtc: " + v.stderr + "\n--- input:\n" + dts);
            if (!e.getMessage().contains(message)) fail("message '" + e.getMessage() + "' lacks '" + message + "'");
            return e;
        } finally {
            delete(dir);
        }
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("xldt-dts");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path dir, String dts, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
            Path in = dir.resolve("in.dts");
            Files.write(in, dts.getBytes(StandardCharsets.UTF_8));
            return in;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
