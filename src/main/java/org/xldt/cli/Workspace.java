package org.xldt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.xldt.BadInputException;

/**
 * The files one run of the CLI sees: the directory relative names resolve against, whether there
 * is a standard input, and where output files go. A plain run uses the process's workspace (the
 * working directory; outputs written at once, atomically). A batch job runs in a captured
 * workspace: names resolve against the manifest's directory, standard input does not exist, and
 * outputs are kept in memory, in order, for the batch to write or compare once the job is done.
 *
 * <p>Commands do not see this class: {@link Outputs#read}, {@link Outputs#write}, {@link DtInput}
 * and {@link XlCfgInput} consult {@link #current()}, the workspace of the run on this thread
 * ({@link Main#run(String[], java.io.OutputStream, java.io.PrintWriter, Workspace)} sets it for the
 * run's duration). A captured workspace belongs to one job on one thread; the process workspace
 * holds no state.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();
    private static final Workspace PROCESS = new Workspace(null);

    /** One output file a job wrote: the name it gave, the absolute path, the bytes. */
    public record Output(String name, Path path, byte[] data) {
    }

    /** Null: the process's working directory, and writes go to disk. */
    private final Path baseDir;
    private final Map<Path, Output> writes;
    private final Set<Path> reads;

    private Workspace(Path baseDir) {
        this.baseDir = baseDir;
        this.writes = baseDir == null ? null : new LinkedHashMap<>();
        this.reads = baseDir == null ? null : new LinkedHashSet<>();
    }

    /** The process's workspace: the working directory, the real standard input, outputs on disk. */
    public static Workspace process() {
        return PROCESS;
    }

    /** A workspace whose relative names resolve against {@code baseDir} and whose outputs are kept in memory. */
    public static Workspace captured(Path baseDir) {
        return new Workspace(baseDir.toAbsolutePath().normalize());
    }

    /** The workspace of the run on this thread (the process's outside {@link #run}). */
    public static Workspace current() {
        Workspace w = CURRENT.get();
        return w != null ? w : PROCESS;
    }

    /** Runs {@code body} with this workspace current on this thread. */
    int run(IntSupplier body) {
        Workspace previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.getAsInt();
        } finally {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }

    /** Whether outputs are kept in memory (a batch job) rather than written. */
    public boolean isCaptured() {
        return baseDir != null;
    }

    /** The absolute path {@code name} means here. */
    public Path resolve(String name) {
        Path p = Path.of(name);
        if (baseDir == null) return p.toAbsolutePath();
        return baseDir.resolve(p).normalize();
    }

    /**
     * The path to open for {@code p}, a name as the user gave it (relative names resolve in this
     * workspace; in the process's, {@code p} itself). Messages should show {@code p}.
     */
    public Path locate(Path p) {
        return baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    /** Reads the file {@code p} names here (see {@link #locate}) and records the read. */
    public byte[] readFile(Path p) throws java.io.IOException {
        Path at = locate(p);
        noteRead(at); // the attempt counts (see Outputs.read)
        return java.nio.file.Files.readAllBytes(at);
    }

    /** The directory relative names resolve against. */
    public Path baseDir() {
        return baseDir != null ? baseDir : Path.of("").toAbsolutePath();
    }

    /** Records that the run read {@code path} (captured workspaces only). */
    void noteRead(Path path) {
        if (reads != null) reads.add(path.toAbsolutePath().normalize());
    }

    /** Standard input's bytes, or a bad-input error where there is none. */
    byte[] stdin() {
        if (baseDir != null) throw new BadInputException("<stdin>", "standard input is not available to a batch job");
        try {
            return System.in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new BadInputException("<stdin>", "cannot read: " + Outputs.describe(e));
        }
    }

    /** Writes (or, captured, keeps) {@code data} as the file {@code name}; a later write of the same file replaces it. */
    void write(String name, byte[] data) {
        if (baseDir == null) {
            Outputs.writeFile(Path.of(name), name, data);
            return;
        }
        Path p = resolve(name);
        writes.remove(p); // the last write's position, as the file's final contents
        writes.put(p, new Output(name, p, data));
    }

    /** Writes (or, captured, keeps) several files as one: see {@link Outputs#writeAll}. */
    void writeAll(Map<Path, byte[]> files) {
        if (baseDir == null) {
            List<Output> all = new ArrayList<>(files.size());
            for (Map.Entry<Path, byte[]> e : files.entrySet()) all.add(new Output(e.getKey().toString(), e.getKey(), e.getValue()));
            Outputs.writeFiles(all);
            return;
        }
        for (Map.Entry<Path, byte[]> e : files.entrySet()) write(e.getKey().toString(), e.getValue());
    }

    /** The outputs kept so far, in the order of their last write. */
    public List<Output> outputs() {
        return writes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(writes.values()));
    }

    /** The files read so far (absolute, normalized), in order. */
    public Set<Path> reads() {
        return reads == null ? Set.of() : Collections.unmodifiableSet(reads);
    }
}
