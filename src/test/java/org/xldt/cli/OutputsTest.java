package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.BadInputException;
import org.xldt.Tools;

class OutputsTest {
    @TempDir
    Path dir;

    @Test
    void replacesARegularFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("out.dtb");
        Files.write(f, new byte[] {1, 2, 3});
        Outputs.write(f, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void newFilesGetTheUmaskModeAndReplacedFilesKeepTheirs() throws IOException {
        Path fresh = dir.resolve("fresh.dtb");
        Outputs.write(fresh, new byte[] {1});
        Path probe = Files.write(dir.resolve("probe"), new byte[] {1}); // created as any program creates files
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(fresh));
        Path kept = dir.resolve("kept.dtb");
        Files.write(kept, new byte[] {1});
        Files.setPosixFilePermissions(kept, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Outputs.write(kept, new byte[] {2});
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    }

    @Test
    void writesThroughASymbolicLink() throws IOException {
        Path real = dir.resolve("real.dtb");
        Files.write(real, new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link.dtb"), real);
        Outputs.write(link, new byte[] {9, 9});
        assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(real));
    }

    @Test
    void aFifoStaysAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Tools.Result r = Tools.run(Tools.require("mkfifo"), fifo.toString());
        assertEquals(0, r.exit(), r.stderr());
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Outputs.write(fifo, new byte[] {7, 8, 9});
        assertArrayEquals(new byte[] {7, 8, 9}, reader.get());
        assertFalse(Files.isRegularFile(fifo), "a FIFO must not be replaced by a regular file");
        assertTrue(Files.exists(fifo));
    }

    @Test
    void unwritableDirectoryIsBadInput() {
        Path f = dir.resolve("missing-parent-is-a-file");
        assertThrows(BadInputException.class, () -> {
            Files.write(f, new byte[] {0});
            Outputs.write(f.resolve("x.dtb"), new byte[] {1});
        });
    }
}
