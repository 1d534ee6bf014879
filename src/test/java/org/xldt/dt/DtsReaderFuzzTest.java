package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xldt.BadInputException;

/**
 * Jazzer fuzz target for {@link DtsReader}: any bytes either read as a tree that writes as a
 * blob, or give one {@link BadInputException} with a FILE:LINE:COL location; no other exception
 * and no hang. {@code mvn verify} runs the seeds in {@code DtsReaderFuzzTestInputs/} (regression
 * mode); {@code JAZZER_FUZZ=1 mvn test -Dtest=DtsReaderFuzzTest} fuzzes.
 */
class DtsReaderFuzzTest {
    /** An empty directory: relative /include/ and /incbin/ find nothing. */
    private static final Path EMPTY = emptyDir();

    private static Path emptyDir() {
        try {
            Path d = Files.createTempDirectory("xldt-dts-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void readAnyDts(byte[] data) {
        DeviceTree t;
        try {
            t = DtsReader.read("fuzz.dts", data, EMPTY);
        } catch (BadInputException e) {
            String loc = e.location();
            assertTrue(loc.matches("(?s).*:-?\\d+:\\d+"), () -> "not FILE:LINE:COL: " + e.render());
            assertFalse(e.render().contains("\n") || e.render().contains("\r"), () -> "more than one line: " + e.render());
            return;
        }
        byte[] blob = DtbWriter.write(t);
        assertTrue(blob.length >= 56, "a blob has a header and a reservation map");
    }
}
