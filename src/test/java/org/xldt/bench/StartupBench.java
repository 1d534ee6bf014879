package org.xldt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Start-up benchmark: {@code ./xldt --version} (the launcher, with its AppCDS archive) against a
 * bare JVM hello-world ({@code java -cp target/bench/hello Hello}, compiled here), both as whole
 * processes; also the launcher without the archive ({@code XLDT_CDS=0}) and {@code java -jar
 * target/xldt.jar --version} (no launcher flags) for context. Each command runs {@code -w} times
 * first (the first launcher run after a build makes the archive), then {@code -n} times,
 * interleaved; the table shows the median, mean and best wall-clock time, and the mean CPU time
 * (user + system, of the process and its children, from the clock ticks Linux adds to this JVM's
 * {@code cutime}/{@code cstime} when it reaps them: steadier than wall-clock time on a busy machine).
 *
 * <pre>
 * mvn -q -DskipTests package test-compile
 * java -cp target/test-classes org.xldt.bench.StartupBench [-n RUNS] [-w WARMUP]
 * </pre>
 */
public final class StartupBench {
    /** The target: xldt --version at most this many times the hello-world. */
    static final double TARGET = 1.3;

    private StartupBench() {
    }

    record Cmd(String name, List<String> argv, Map<String, String> env) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 20;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-n" -> runs = Integer.parseInt(args[++i]);
                case "-w" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: StartupBench [-n RUNS] [-w WARMUP]");
            }
        }
        if (!Files.exists(Path.of("target", "xldt.jar"))) throw new IllegalStateException("build first: mvn -q -DskipTests package");
        Path hello = Files.createDirectories(Path.of("target", "bench", "hello"));
        Path src = Files.writeString(hello.resolve("Hello.java"),
                "public class Hello {\n    public static void main(String[] args) {\n        System.out.println(\"hello\");\n    }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, "-d", hello.toString(), src.toString()) != 0) throw new IllegalStateException("javac Hello.java failed");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Cmd> cmds = List.of(
                new Cmd("`./xldt --version`", List.of("./xldt", "--version"), Map.of()),
                new Cmd("`java -cp target/bench/hello Hello`", List.of(java, "-cp", hello.toString(), "Hello"), Map.of()),
                new Cmd("`XLDT_CDS=0 ./xldt --version`", List.of("./xldt", "--version"), Map.of("XLDT_CDS", "0")),
                new Cmd("`java -jar target/xldt.jar --version`", List.of(java, "-jar", "target/xldt.jar", "--version"), Map.of()));
        for (Cmd c : cmds) for (int i = 0; i < warmup; i++) time(c);
        double[][] t = new double[cmds.size()][runs];
        double[] cpu = new double[cmds.size()];
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < cmds.size(); k++) {
                long c0 = childrenCpuTicks();
                t[k][r] = time(cmds.get(k));
                cpu[k] += childrenCpuTicks() - c0;
            }
        }
        for (int k = 0; k < cpu.length; k++) cpu[k] = cpu[k] * 1000.0 / TICKS_PER_SECOND / runs;

        System.out.printf(Locale.ROOT, "%d runs each, interleaved, after %d warm-up runs (%d processors)%n%n", runs, warmup,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| command | median | mean | best | median / hello-world | CPU (mean) | CPU / hello-world |");
        System.out.println("|---|---|---|---|---|---|---|");
        double helloMedian = median(t[1]);
        for (int k = 0; k < cmds.size(); k++) {
            System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.2f× | %.0f ms | %.2f× |%n", cmds.get(k).name(), median(t[k]),
                    Arrays.stream(t[k]).average().orElseThrow(), Arrays.stream(t[k]).min().orElseThrow(), median(t[k]) / helloMedian,
                    cpu[k], cpu[k] / cpu[1]);
        }
        double ratio = median(t[0]) / helloMedian;
        System.out.printf(Locale.ROOT, "%nxldt --version / hello-world: %.2f× wall-clock (median), %.2f× CPU (target ≤ %.1f×: %s)%n", ratio,
                cpu[0] / cpu[1], TARGET, ratio <= TARGET ? "met" : "NOT met");
    }

    /** Wall-clock milliseconds of one run of {@code c}, which must print something and exit 0. */
    static double time(Cmd c) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(c.argv()).redirectErrorStream(true);
        pb.environment().remove("XLDT_JAVA_OPTS");
        pb.environment().remove("XLDT_CDS");
        pb.environment().putAll(c.env());
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (rc != 0 || out.length == 0) throw new IllegalStateException(c.name() + ": exit " + rc + ": " + new String(out));
        return ms;
    }

    /** Linux's USER_HZ, the unit of /proc's times. */
    static final int TICKS_PER_SECOND = 100;

    /** CPU time of this JVM's reaped children, in clock ticks ({@code cutime + cstime} of /proc/self/stat). */
    static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

}
