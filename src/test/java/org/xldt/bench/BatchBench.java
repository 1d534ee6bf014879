package org.xldt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Build-time scale benchmark: N guest configurations (default 1,000: the examples of
 * {@code examples/guests/} in turn, each with its own name, hence its own rng-seed) to DTBs with
 * one {@code ./xldt batch} run, against N {@code dtc} runs compiling the DTS xldt itself writes for
 * each guest ({@code create --dts}, made beforehand and not timed). Every DTB of each side is
 * compared byte for byte with the other's (the benchmark fails when one differs). Wall-clock
 * time of the whole process (or of the N processes, one after the other, as a build without -j
 * runs them; also with as many at once as there are processors, as {@code make -j} would).
 *
 * <pre>
 * mvn -q -DskipTests package test-compile
 * java -cp target/test-classes org.xldt.bench.BatchBench [-n N]
 * </pre>
 * Its files stay in a new directory under target/bench/.
 */
public final class BatchBench {
    /** The target: xldt's time at most this fraction of dtc's. */
    static final double TARGET = 0.2;

    private BatchBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n")) n = Integer.parseInt(args[++i]);
            else throw new IllegalArgumentException("usage: BatchBench [-n N]");
        }
        if (!Files.exists(Path.of("target", "xldt.jar"))) throw new IllegalStateException("build first: mvn -q -DskipTests package");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "bench")), "batch").toAbsolutePath();
        int procs = Runtime.getRuntime().availableProcessors();

        // the guests, beside copies of the files their configurations name
        List<Path> examples;
        try (Stream<Path> s = Files.list(Path.of("examples", "guests"))) {
            examples = s.sorted().toList();
        }
        List<Path> cfgs = new ArrayList<>();
        for (Path p : examples) {
            if (p.toString().endsWith(".cfg")) cfgs.add(p);
            else if (!p.getFileName().toString().contains(".guest.")) Files.copy(p, dir.resolve(p.getFileName()));
        }
        StringBuilder build = new StringBuilder();
        StringBuilder dts = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "g%04d", i);
            String text = Files.readString(cfgs.get(i % cfgs.size()), StandardCharsets.UTF_8)
                    .replaceAll("(?m)^name = .*$", "name = \"" + name + "\"");
            Files.writeString(dir.resolve(name + ".cfg"), text, StandardCharsets.UTF_8);
            build.append("create ").append(name).append(".cfg -o xldt/").append(name).append(".dtb\n");
            dts.append("create ").append(name).append(".cfg --dts dts/").append(name).append(".dts\n");
        }
        Path jobs = Files.writeString(dir.resolve("build.txt"), build);
        Files.writeString(dir.resolve("dts.txt"), dts);
        run(List.of("./xldt", "batch", "-q", dir.resolve("dts.txt").toString()));

        // warm the page cache and the launcher's archive, then time; every run writes new files
        // (replacing a file costs more: ext4 writes the data of a file renamed over another at once)
        run(List.of("./xldt", "--version"));
        double xldt = timed(List.of("./xldt", "batch", "-q", jobs.toString()));
        clear(dir.resolve("xldt"));
        double xldt1 = timed(List.of("./xldt", "batch", "-q", "-j", "1", jobs.toString()));
        List<List<String>> dtcRuns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "g%04d", i);
            dtcRuns.add(List.of("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dir.resolve("dtc/" + name + ".dtb").toString(),
                    dir.resolve("dts/" + name + ".dts").toString()));
        }
        Files.createDirectories(dir.resolve("dtc"));
        double dtcParallel = parallel(dtcRuns, procs);
        clear(dir.resolve("dtc"));
        long t0 = System.nanoTime();
        for (List<String> c : dtcRuns) run(c);
        double dtc = (System.nanoTime() - t0) / 1e9;

        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "g%04d.dtb", i);
            byte[] a = Files.readAllBytes(dir.resolve("xldt").resolve(name));
            byte[] b = Files.readAllBytes(dir.resolve("dtc").resolve(name));
            if (!Arrays.equals(a, b)) throw new IllegalStateException(name + ": xldt's DTB differs from dtc's compile of xldt's DTS");
        }

        System.out.printf(Locale.ROOT, "%,d guest configurations → DTBs (%d processors); all %,d DTBs equal dtc's byte for byte%n%n", n, procs, n);
        System.out.println("| run | wall-clock | per guest | vs dtc, one at a time |");
        System.out.println("|---|---|---|---|");
        row("`xldt batch` (one process, -j " + procs + ")", xldt, n, dtc);
        row("`xldt batch -j 1` (one process, one thread)", xldt1, n, dtc);
        row(String.format(Locale.ROOT, "%,d × `dtc`, one at a time", n), dtc, n, dtc);
        row(String.format(Locale.ROOT, "%,d × `dtc`, %d at a time", n, procs), dtcParallel, n, dtc);
        System.out.printf(Locale.ROOT, "%nxldt batch / dtc: %.3f× (target ≤ %.1f×: %s)%n", xldt / dtc, TARGET, xldt / dtc <= TARGET ? "met" : "NOT met");
    }

    private static void row(String what, double s, int n, double dtc) {
        System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f ms | %.2f× |%n", what, s, 1000 * s / n, s / dtc);
    }

    /** Deletes the files in {@code dir}. */
    static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) Files.delete(p);
        }
    }

    /** Runs {@code cmd}, failing on a non-zero exit. */
    static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("exit " + rc + ": " + String.join(" ", cmd));
    }

    static double timed(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        run(cmd);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The wall-clock time of {@code cmds}, {@code at} processes at a time. */
    static double parallel(List<List<String>> cmds, int at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(at);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (List<String> c : cmds) fs.add(pool.submit(() -> {
                run(c);
                return null;
            }));
            for (Future<?> f : fs) f.get();
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
