package org.xldt.xlcfg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xldt.Tools;

/**
 * Xen 4.17's libxlutil through {@code src/test/c/xlcfg-oracle.c}: one process per input. The
 * oracle prints {@code {"ok":true,...}} (exit 0) or {@code {"ok":false,"rc":N}} (exit 1); any
 * other exit status means libxlutil crashed (it aborts on a NUL byte inside quotes).
 */
final class Oracle {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors() * 2), r -> {
                Thread t = new Thread(r, "xlcfg-oracle");
                t.setDaemon(true);
                return t;
            });

    private Oracle() {
    }

    /** The oracle's answer for one input. */
    record Answer(int exit, byte[] stdout, String stderr) {
        boolean crashed() {
            return exit != 0 && exit != 1;
        }
    }

    static String path() {
        return Tools.xlcfgOracle();
    }

    /** Runs the oracle on a file. */
    static Answer ask(Path file) {
        Tools.Result r = Tools.run(List.of(path(), file.toString()), null);
        return new Answer(r.exit(), r.stdout(), r.stderr());
    }

    /** Runs the oracle on bytes (written to a temporary file named like a config file). */
    static Answer ask(byte[] content) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "oracle-tmp"));
            Path f = Files.createTempFile(dir, "case", ".cfg");
            try {
                Files.write(f, content);
                return ask(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- batch mode -------------------------------------------------------------------

    private static Process batch;
    private static java.io.BufferedOutputStream batchIn;
    private static java.io.InputStream batchOut;

    /**
     * The same answer as {@link #ask(byte[])} (minus stderr), from one long-lived process of
     * {@code src/test/c/xlcfg-oracle-batch.c}, which runs the oracle's unchanged main() per
     * input. A crash of libxlutil ends that process: the answer then has exit status 134 and
     * the next call starts a new process.
     */
    static synchronized Answer askBatch(byte[] content) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "oracle-tmp"));
            Path f = Files.createTempFile(dir, "batch", ".cfg");
            try {
                Files.write(f, content);
                if (batch == null || !batch.isAlive()) startBatch();
                batchIn.write((f.toAbsolutePath() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                batchIn.flush();
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int c;
                while ((c = batchOut.read()) != -1 && c != 0x1e) out.write(c);
                if (c == -1) {
                    batch.waitFor();
                    batch = null;
                    return new Answer(134, out.toByteArray(), "libxlutil crashed");
                }
                StringBuilder code = new StringBuilder();
                while ((c = batchOut.read()) != -1 && c != '\n') code.append((char) c);
                return new Answer(Integer.parseInt(code.toString()), out.toByteArray(), "");
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void startBatch() throws IOException {
        String exe = Tools.buildC("xlcfg-oracle-batch", "src/test/c/xlcfg-oracle-batch.c", "/usr/include/libxlutil.h",
                "-lxlutil", "-lxenlight");
        ProcessBuilder pb = new ProcessBuilder(exe).redirectError(ProcessBuilder.Redirect.DISCARD);
        batch = pb.start();
        batchIn = new java.io.BufferedOutputStream(batch.getOutputStream());
        batchOut = new java.io.BufferedInputStream(batch.getInputStream());
    }

    /** Runs the oracle on many inputs in parallel; answers in input order. */
    static List<Answer> askAll(List<byte[]> contents) {
        path(); // build (or skip) before going parallel
        List<Future<Answer>> fs = new ArrayList<>();
        for (byte[] c : contents) fs.add(POOL.submit(() -> ask(c)));
        List<Answer> out = new ArrayList<>();
        for (Future<Answer> f : fs) {
            try {
                out.add(f.get());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
