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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * Writes several files as one in the run's workspace: every file goes to a temporary file
     * beside its target first, and only when all are written are they renamed over their targets.
     * A failure while writing leaves no target touched and no temporary file behind. The keys are
     * the names as given (relative names resolve in the workspace).
     */
    public static void writeAll(Map<Path, byte[]> files) {
        Workspace.current().writeAll(files);
    }

    /** Writes the file {@code target} now (relative: to the working directory); errors name it {@code shown}. */
    static void writeFile(Path target, String shown, byte[] data) {
        writeFiles(List.of(new Workspace.Output(shown, target, data)));
    }

    /**
     * Writes {@code files} now, as one (see {@link #writeAll}): through symbolic links, as dtc does;
     * a device, FIFO or socket (such as /dev/null or /dev/stdout) gets the bytes in place rather than
     * being replaced by a regular file; a new file gets the umask's mode, a replaced one keeps its
     * own. Errors name the file as {@link Workspace.Output#name()} gives it.
     */
    static void writeFiles(List<Workspace.Output> files) {
        List<Path> temps = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        String current = null;
        try {
            for (Workspace.Output o : files) {
                current = o.name();
                Path abs = o.path().toAbsolutePath();
                if (Files.exists(abs)) {
                    abs = abs.toRealPath();
                    if (!Files.isRegularFile(abs)) {
                        temps.add(null); // written in place, with the renames
                        targets.add(abs);
                        continue;
                    }
                }
                Path dir = abs.getParent();
                if (dir != null) Files.createDirectories(dir);
                // Not createTempFile: its file is mode 0600, while an output must get the umask's mode
                // (as dtc's fopen gives) or keep the mode of the file it replaces.
                Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
                temps.add(tmp);
                targets.add(abs);
                Files.write(tmp, o.data(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                if (Files.exists(abs)) {
                    try {
                        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system: the default mode stands
                    }
                }
            }
            for (int i = 0; i < temps.size(); i++) {
                current = files.get(i).name();
                Path tmp = temps.get(i);
                if (tmp == null) {
                    Files.write(targets.get(i), files.get(i).data());
                    continue;
                }
                try {
                    Files.move(tmp, targets.get(i), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, targets.get(i), StandardCopyOption.REPLACE_EXISTING);
                }
                temps.set(i, null);
            }
        } catch (IOException e) {
            throw new BadInputException(current, "cannot write: " + describe(e));
        } finally {
            for (Path tmp : temps) {
                if (tmp == null) continue;
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original targets are untouched either way
                }
            }
        }
    }

    /** Reads a whole input file (relative to the run's workspace), or standard input for {@code -}. */
    public static byte[] read(String source) {
        Workspace ws = Workspace.current();
        if (source.equals("-")) return ws.stdin();
        Path p = ws.resolve(source);
        ws.noteRead(p); // the attempt counts: in a batch, a read of another job's output fails or not by timing
        try {
            return Files.readAllBytes(p);
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
