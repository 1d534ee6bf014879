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
 * interleaved; the table shows the median, mean and best wall-clock time.
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
        for (int r = 0; r < runs; r++) for (int k = 0; k < cmds.size(); k++) t[k][r] = time(cmds.get(k));

        System.out.printf(Locale.ROOT, "%d runs each, interleaved, after %d warm-up runs (%d processors)%n%n", runs, warmup,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| command | median | mean | best | median / hello-world |");
        System.out.println("|---|---|---|---|---|");
        double helloMedian = median(t[1]);
        for (int k = 0; k < cmds.size(); k++) {
            System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.2f× |%n", cmds.get(k).name(), median(t[k]),
                    Arrays.stream(t[k]).average().orElseThrow(), Arrays.stream(t[k]).min().orElseThrow(), median(t[k]) / helloMedian);
        }
        double ratio = median(t[0]) / helloMedian;
        System.out.printf(Locale.ROOT, "%nxldt --version / hello-world: %.2f× (target ≤ %.1f×: %s)%n", ratio, TARGET, ratio <= TARGET ? "met" : "NOT met");
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

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

}
