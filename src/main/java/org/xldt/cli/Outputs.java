package org.xldt.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.xldt.BadInputException;

/**
 * Output files written atomically: the bytes go to a temporary file beside the target, which is
 * then renamed over it. A failing run never leaves a partial file nor clobbers an existing one.
 * {@code -} means standard output. Names resolve in the run's {@link Workspace} (the working
 * directory, or a batch job's manifest directory, whose outputs are kept until the job is done).
 */
public final class Outputs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Outputs() {
    }

    public static void write(String target, byte[] data, OutputStream stdout) {
        if (target == null || target.equals("-")) {
            try {
                stdout.write(data);
                stdout.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        Workspace.current().write(target, data);
    }

    /** Writes {@code target} in the run's workspace. */
    public static void write(Path target, byte[] data) {
        Workspace.current().write(target.toString(), data);
    }

    /** Writes the file {@code target} now (relative: to the working directory); errors name it {@code shown}. */
    static void writeFile(Path target, String shown, byte[] data) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            if (Files.exists(abs)) {
                // Write through symbolic links, as dtc does, and never replace a device, FIFO or
                // socket (such as /dev/null or /dev/stdout) with a regular file: those get the bytes
                // in place, as there is nothing to keep intact.
                abs = abs.toRealPath();
                if (!Files.isRegularFile(abs)) {
                    Files.write(abs, data);
                    return;
                }
            }
            Path dir = abs.getParent();
            if (dir != null) Files.createDirectories(dir);
            // Not createTempFile: its file is mode 0600, while an output must get the umask's mode
            // (as dtc's fopen gives) or keep the mode of the file it replaces.
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (Files.exists(abs)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the default mode stands
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new BadInputException(shown, "cannot write: " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original target is untouched either way
                }
            }
        }
    }

    /** Reads a whole input file (relative to the run's workspace), or standard input for {@code -}. */
    public static byte[] read(String source) {
        Workspace ws = Workspace.current();
        if (source.equals("-")) return ws.stdin();
        Path p = ws.resolve(source);
        try {
            byte[] data = Files.readAllBytes(p);
            ws.noteRead(p);
            return data;
        } catch (IOException e) {
            throw new BadInputException(source, "cannot read: " + describe(e));
        }
    }

    static String describe(IOException e) {
        String cls = e.getClass().getSimpleName();
        return switch (cls) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            case "FileAlreadyExistsException" -> "file exists";
            case "DirectoryNotEmptyException" -> "directory not empty";
            case "NotDirectoryException" -> "not a directory";
            default -> e.getMessage() == null ? cls : e.getMessage();
        };
    }
}
