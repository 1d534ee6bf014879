package org.xldt.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.xldt.BadInputException;
import org.xldt.LargeStack;

/**
 * Runs batch jobs in one JVM, {@code threads} at a time. Each job is a whole CLI run
 * ({@link Main#run(String[], OutputStream, PrintWriter, Workspace)}: its thread's picocli model, its
 * own captured standard output and error, its own {@link Workspace} whose outputs stay in memory).
 * Finished jobs are committed strictly in manifest order, whatever order they finish in: their
 * standard output and error are printed and their output files claimed; then (outside the lock)
 * written, or, with {@code check}, compared with the files there, differences listed in manifest
 * order. So what a batch writes and prints does not depend on the
 * number of threads. A job that fails writes nothing; a job that writes a file an earlier job
 * wrote fails; a job that read a file another job writes is reported (jobs have no order).
 */
final class BatchRunner {
    /** What one job did. */
    record Result(Manifest.Job job, int exit, byte[] stdout, String stderr, List<Workspace.Output> outputs, Set<Path> reads) {
        boolean ok() {
            return exit == Main.EXIT_OK;
        }
    }

    /** A failed job, why in one line, and the other lines it printed on standard error. */
    record Failure(Manifest.Job job, String error, List<String> more) {
        Failure(Manifest.Job job, String error) {
            this(job, error, List.of());
        }
    }

    /** An output that differs from its golden file ({@code --check}). */
    record Difference(Manifest.Job job, String name, List<String> lines) {
    }

    private record Written(Manifest.Job job, String name) {
    }

    /** What the whole batch did. */
    record Summary(int jobs, int outputs, List<Failure> failures, List<Difference> differences) {
        boolean ok() {
            return failures.isEmpty() && differences.isEmpty();
        }

        /** How many jobs failed (a job may fail for more than one reason). */
        long failedJobs() {
            return failures.stream().map(Failure::job).distinct().count();
        }
    }

    private final List<Manifest.Job> jobs;
    private final int threads;
    private final boolean check;
    private final boolean quiet;
    private final OutputStream stdout;
    private final Progress progress;

    // Commit state, guarded by this.
    private final Result[] results;
    private int next;
    private int outputs;
    /** Each file written so far: by which job, under which name. */
    private final Map<Path, Written> writtenBy = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<Difference> differences = new ArrayList<>();
    private final List<Result> committed = new ArrayList<>();
    /** Jobs that failed (their attempted reads count too: a read may fail only because it came first). */
    private final List<Result> failed = new ArrayList<>();

    BatchRunner(List<Manifest.Job> jobs, int threads, boolean check, boolean quiet, OutputStream stdout, Progress progress) {
        this.jobs = jobs;
        this.threads = threads;
        this.check = check;
        this.quiet = quiet;
        this.stdout = stdout;
        this.progress = progress;
        this.results = new Result[jobs.size()];
    }

    /** Runs every job and commits them; returns what happened. */
    Summary run() throws InterruptedException {
        progress.start(jobs.size());
        // At most this many finished jobs wait in memory for an earlier one to finish.
        Semaphore window = new Semaphore(4 * threads + 16);
        CountDownLatch all = new CountDownLatch(jobs.size());
        AtomicInteger id = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            // a large stack: the jobs' parsers then run in place rather than on a thread each
            Thread t = LargeStack.newThread(r, "xldt-batch-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < jobs.size(); i++) {
                window.acquire();
                int index = i;
                pool.execute(() -> {
                    try {
                        Result r = execute(jobs.get(index));
                        progress.finished(r.ok());
                        commitReady(index, r, window);
                    } finally {
                        all.countDown();
                    }
                });
            }
            all.await();
        } finally {
            pool.shutdownNow();
        }
        synchronized (this) {
            crossReads();
            return new Summary(jobs.size(), outputs, List.copyOf(failures), List.copyOf(differences));
        }
    }

    /** One job, run to completion on this thread; never throws. */
    static Result execute(Manifest.Job job) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter errText = new StringWriter();
        PrintWriter err = new PrintWriter(errText);
        Workspace ws = Workspace.captured(job.dir());
        int exit;
        try {
            exit = Main.run(job.args().toArray(String[]::new), out, err, ws);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("xldt: internal error: " + e);
            exit = Main.EXIT_INTERNAL;
        }
        err.flush();
        return new Result(job, exit, out.toByteArray(), errText.toString(), ws.outputs(), ws.reads());
    }

    /**
     * Records {@code r} and commits every finished job that is next in manifest order; then, outside
     * the lock (other threads go on committing), writes (or, with {@code check}, compares) the files
     * of the jobs it committed.
     */
    private void commitReady(int index, Result r, Semaphore window) {
        List<Result> toWrite = new ArrayList<>();
        synchronized (this) {
            results[index] = r;
            while (next < results.length && results[next] != null) {
                try {
                    if (commit(results[next])) toWrite.add(results[next]);
                } catch (RuntimeException e) {
                    failures.add(new Failure(results[next].job(), "xldt: internal error: " + e));
                }
                results[next] = null;
                next++;
                window.release();
            }
        }
        for (Result w : toWrite) {
            if (check) {
                for (Workspace.Output o : w.outputs()) {
                    List<String> lines = GoldenCheck.compare(o);
                    if (lines.isEmpty()) continue;
                    synchronized (this) {
                        differences.add(new Difference(w.job(), o.name(), lines));
                    }
                }
                continue;
            }
            try {
                Outputs.writeFiles(w.outputs()); // all of the job's files, or none
            } catch (BadInputException e) {
                synchronized (this) {
                    failures.add(new Failure(w.job(), e.render()));
                }
            }
        }
    }

    /** Prints a finished job's output and claims its files; true when they are to be written (or checked). */
    private boolean commit(Result r) {
        if (!check && r.stdout().length > 0) {
            try {
                stdout.write(r.stdout());
                stdout.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!r.ok()) {
            failures.add(new Failure(r.job(), errorLine(r.stderr(), r.exit()), otherLines(r.stderr())));
            failed.add(r);
            return false;
        }
        if (!quiet) progress.print(r.stderr());
        for (Workspace.Output o : r.outputs()) {
            Written other = writtenBy.get(o.path());
            if (other != null) {
                failures.add(new Failure(r.job(), o.name() + ": also written by " + other.job().where() + " (nothing of this job was written)"));
                return false;
            }
        }
        committed.add(r);
        for (Workspace.Output o : r.outputs()) {
            writtenBy.put(o.path(), new Written(r.job(), o.name()));
            outputs++;
        }
        return true;
    }

    /** The first file {@code r} read (or tried to) that another job of the batch writes. */
    private java.util.Optional<Failure> crossRead(Result r) {
        for (Path p : r.reads()) {
            Written w = writtenBy.get(p);
            if (w != null && !w.job().equals(r.job())) {
                return java.util.Optional.of(new Failure(r.job(), "reads " + w.name() + ", which " + w.job().where()
                        + " writes: jobs run in parallel, in no set order (run them in two batches)"));
            }
        }
        return java.util.Optional.empty();
    }

    /** Jobs that read a file another job of the batch writes: their result depends on timing. */
    private void crossReads() {
        for (Result r : committed) crossRead(r).ifPresent(failures::add);
        // A failed job that tried to read another job's output may have failed only because it ran
        // first ("no such file"): what it reports depends on timing, so report the cross-read alone.
        for (Result r : failed) {
            crossRead(r).ifPresent(f -> {
                failures.removeIf(x -> x.job().equals(r.job()));
                failures.add(f);
            });
        }
        // in manifest order (a stable sort keeps a job's own failures in order)
        Map<Manifest.Job, Integer> index = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) index.put(jobs.get(i), i);
        failures.sort(java.util.Comparator.comparingInt(f -> index.get(f.job())));
        differences.sort(java.util.Comparator.comparingInt(d -> index.get(d.job())));
    }

    /**
     * A failed job's error in one line: its first line with {@code error:} (a located bad-input
     * error, the first diagnostic), else its first {@code xldt:} line (usage or internal error),
     * else its last line, else the exit status.
     */
    static String errorLine(String stderr, int exit) {
        List<String> lines = lines(stderr);
        int i = errorIndex(lines);
        return i < 0 ? "exit status " + exit : lines.get(i);
    }

    /** A failed job's other lines on standard error (not its {@link #errorLine}, not blank). */
    static List<String> otherLines(String stderr) {
        List<String> lines = lines(stderr);
        int skip = errorIndex(lines);
        List<String> more = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) if (i != skip && !lines.get(i).isBlank()) more.add(lines.get(i));
        return more;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    private static int errorIndex(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("error:") || lines.get(i).startsWith("ERROR")) return i;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("xldt:")) return i;
        for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return i;
        return -1;
    }
}
