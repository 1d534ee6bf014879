package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.BadInputException;

/** Truncated and crafted blobs, directly and through the CLI (exit 1, one line, no trace). */
class MalformedDtbTest {
    @TempDir
    Path dir;

    static byte[] morello() throws IOException {
        return Files.readAllBytes(DtbReaderTest.HOSTS.resolve("morello-sdp.dtb"));
    }

    @Test
    void truncatedAtEveryOffset() throws IOException {
        byte[] blob = morello();
        for (int n = 0; n < blob.length; n++) {
            byte[] cut = Arrays.copyOf(blob, n);
            BadInputException e = assertThrows(BadInputException.class, () -> DtbReader.read(cut, "t.dtb"), "length " + n);
            assertTrue(DtbReaderTest.offsetOf(e) <= n, e.render());
        }
    }

    /**
     * Truncated with the header made consistent (totalsize and block sizes shrunk to fit), so
     * the cut lands in the reservation map, the token stream or the strings block.
     */
    @Test
    void truncatedWithConsistentHeaderAtEveryOffset() throws IOException {
        byte[] blob = morello();
        int structOff = Property.getU32(blob, 0x08);
        int stringsOff = Property.getU32(blob, 0x0c);
        int deepest = 0;
        for (int n = 0x28; n < blob.length; n++) {
            byte[] cut = consistentCut(blob, n, structOff, stringsOff);
            BadInputException e = assertThrows(BadInputException.class, () -> DtbReader.read(cut, "t.dtb"), "length " + n);
            long off = DtbReaderTest.offsetOf(e);
            assertTrue(off <= n, e.render());
            deepest = (int) Math.max(deepest, off);
        }
        assertTrue(deepest > stringsOff, "errors reached the strings block");
    }

    static byte[] consistentCut(byte[] blob, int n, int structOff, int stringsOff) {
        byte[] cut = Arrays.copyOf(blob, n);
        Property.putU32(cut, 0x04, n);
        Property.putU32(cut, 0x24, Math.max(0, Math.min(Property.getU32(blob, 0x24), n - structOff)));
        Property.putU32(cut, 0x20, Math.max(0, Math.min(Property.getU32(blob, 0x20), n - stringsOff)));
        if (stringsOff > n) Property.putU32(cut, 0x0c, n);
        if (structOff > n) Property.putU32(cut, 0x08, n & ~3);
        return cut;
    }

    /** Malformed blobs of every kind through {@code xldt dt convert}. */
    @Test
    void cliGivesOneLocatedLineAndExitOne() throws IOException {
        List<byte[]> blobs = new ArrayList<>();
        byte[] blob = morello();
        for (int n = 0; n < blob.length; n += 701) blobs.add(Arrays.copyOf(blob, n));
        int structOff = Property.getU32(blob, 0x08);
        int stringsOff = Property.getU32(blob, 0x0c);
        for (int n = 0x30; n < blob.length; n += 509) blobs.add(consistentCut(blob, n, structOff, stringsOff));
        blobs.add(DtbReaderTest.patch(blob, 0x14, 18));
        blobs.add(DtbReaderTest.patch(blob, 0x08, 0x39));
        blobs.add(DtbReaderTest.patch(blob, 0x20, 0x7fffffff));
        blobs.add(DtbReaderTest.patch(blob, structOff, 0x77));
        blobs.add(DtbReaderTest.patch(blob, structOff + 8, 0xffffffff)); // first property length
        blobs.add(DtbReaderTest.patch(blob, structOff + 12, 0x10000)); // first property name offset
        blobs.add(new BlobBuilder().begin("").begin("a").finish().build());
        blobs.add(new BlobBuilder().begin("x").end().finish().build());

        Path out = dir.resolve("out.dts");
        Files.writeString(out, "precious\n");
        for (int i = 0; i < blobs.size(); i++) {
            Path in = dir.resolve("bad" + i + ".dtb");
            Files.write(in, blobs.get(i));
            for (String[] args : List.of(
                    new String[] {"dt", "convert", "-I", "dtb", in.toString()},
                    new String[] {"dt", "convert", in.toString(), "-o", out.toString()},
                    new String[] {"dt", "get", in.toString(), "/", "compatible"})) {
                DtCli.Result r = DtCli.run(args);
                assertEquals(1, r.exit(), String.join(" ", args) + ": " + r.stderr());
                String err = r.stderr();
                assertEquals(1, err.split("\n", -1).length - 1, err);
                assertTrue(err.startsWith(in + ": offset 0x"), err);
                assertTrue(err.contains(": error: "), err);
                assertFalse(err.contains("Exception"), err);
                assertFalse(err.contains("\tat "), err);
                assertEquals(0, r.stdout().length);
            }
        }
        assertEquals("precious\n", Files.readString(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temp files left");
        }
    }

    @Test
    void emptyAndNonDtbInputs() throws IOException {
        Path empty = dir.resolve("empty.dtb");
        Files.write(empty, new byte[0]);
        DtCli.Result r = DtCli.run("dt", "convert", "-I", "dtb", empty.toString());
        assertEquals(1, r.exit());
        assertEquals(empty + ": offset 0x00: error: file too short for a DTB header (0 bytes)\n", r.stderr());
        Path text = dir.resolve("x.dts");
        Files.writeString(text, "/dts-v1/; / { };\n");
        r = DtCli.run("dt", "convert", "-I", "dtb", text.toString());
        assertEquals(1, r.exit());
        assertTrue(r.stderr().startsWith(text + ": offset 0x00: error: bad magic"), r.stderr());
        assertArrayEquals(new byte[0], r.stdout());
    }
}
