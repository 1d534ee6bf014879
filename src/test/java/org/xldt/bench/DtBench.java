package org.xldt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-process device-tree benchmark, xldt against dtc: DTS→DTB, DTB→DTB and DTB→DTS on a
 * generated tree of N labelled devices ({@code devN: device@ADDR { compatible; reg; interrupts;
 * iommus = <&smmu N>; }}, 1,000 per {@code simple-bus}), for each N given (default 10,000 and
 * 100,000). Each command runs as its own process ({@code ./xldt}, the launcher), as a build would run it; the time is the best
 * wall-clock time of {@code -r} runs (dtc's DTS→DTB at 100,000 takes minutes, so it runs once
 * unless {@code -r} is given for it too), with that run's CPU time (user + system), which a busy
 * machine disturbs less. Both tools' outputs are compared byte for byte.
 *
 * <pre>
 * mvn -q -DskipTests package test-compile
 * java -cp target/test-classes org.xldt.bench.DtBench [-r RUNS] [--slow-runs RUNS] [N...]
 * </pre>
 */
public final class DtBench {
    private DtBench() {
    }

    /** The generated DTS. */
    static String tree(int n) {
        StringBuilder sb = new StringBuilder(n * 160);
        sb.append("/dts-v1/;\n\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent = <&gic>;\n")
                .append("\tgic: interrupt-controller@8000000 {\n\t\tcompatible = \"arm,gic-v3\";\n")
                .append("\t\treg = <0x0 0x8000000 0x0 0x10000>;\n\t\tinterrupt-controller;\n\t\t#interrupt-cells = <3>;\n\t\t#address-cells = <0>;\n\t};\n")
                .append("\tsmmu: iommu@9050000 {\n\t\tcompatible = \"arm,smmu-v3\";\n")
                .append("\t\treg = <0x0 0x9050000 0x0 0x20000>;\n\t\t#iommu-cells = <1>;\n\t};\n");
        for (int bus = 0; bus * 1000 < n; bus++) {
            long base = 0x100000000L * (bus + 1);
            sb.append(String.format(Locale.ROOT, "\tbus@%x {\n\t\tcompatible = \"simple-bus\";\n\t\t#address-cells = <2>;\n"
                    + "\t\t#size-cells = <2>;\n\t\tranges = <0x%x 0x0 0x%x 0x0 0x0 0x1000000>;\n", base, base >>> 32, base >>> 32));
            for (int i = bus * 1000; i < Math.min(n, (bus + 1) * 1000); i++) {
                long a = base + (i % 1000) * 0x1000L;
                sb.append(String.format(Locale.ROOT, "\t\tdev%d: device@%x {\n\t\t\tcompatible = \"vendor,device\";\n"
                        + "\t\t\treg = <0x%x 0x%x 0x0 0x1000>;\n\t\t\tinterrupts = <0x0 %d 0x4>;\n\t\t\tiommus = <&smmu %d>;\n\t\t};\n",
                        i, a, a >>> 32, a & 0xffffffffL, i % 988, i));
            }
            sb.append("\t};\n");
        }
        return sb.append("};\n").toString();
    }

    /** Best wall-clock seconds and the CPU seconds (user + system) of that run. */
    record Timed(double seconds, double cpu, byte[] output) {
    }

    /**
     * CPU seconds (user + system) of this process's reaped children: {@code /proc/self/stat}'s
     * {@code cutime} + {@code cstime}, at 100 ticks per second; NaN where there is no procfs.
     */
    static double childCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after "(comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Best wall-clock time of {@code runs} runs of {@code cmd}; the output file's bytes. */
    static Timed time(List<String> cmd, Path out, int runs) throws IOException, InterruptedException {
        double best = Double.MAX_VALUE;
        double bestCpu = Double.NaN;
        for (int r = 0; r < runs; r++) {
            Files.deleteIfExists(out);
            double cpu0 = childCpuSeconds();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int rc = p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = childCpuSeconds() - cpu0;
            if (rc != 0) throw new IllegalStateException("exit " + rc + ": " + cmd);
            if (s < best) {
                best = s;
                bestCpu = cpu;
            }
        }
        return new Timed(best, bestCpu, Files.readAllBytes(out));
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int slowRuns = 1;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-r" -> runs = Integer.parseInt(args[++i]);
                case "--slow-runs" -> slowRuns = Integer.parseInt(args[++i]);
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "").replace(",", "")));
            }
        }
        if (sizes.isEmpty()) sizes = List.of(10_000, 100_000);
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        if (!Files.exists(Path.of("target", "xldt.jar"))) throw new IllegalStateException("build first: mvn -q -DskipTests package");
        // The launcher, as a user or a build runs it (its JVM flags included).
        List<String> xldt = List.of("./xldt", "dt", "convert", "-q");

        System.out.println("| N | conversion | dtc wall (CPU) | xldt wall (CPU) | dtc / xldt wall (CPU) |");
        System.out.println("|---|---|---|---|---|");
        double[] xldtDts = new double[sizes.size()];
        for (int k = 0; k < sizes.size(); k++) {
            int n = sizes.get(k);
            Path dts = dir.resolve("tree" + n + ".dts");
            Files.writeString(dts, tree(n), StandardCharsets.US_ASCII);
            Path dtcDtb = dir.resolve("dtc" + n + ".dtb");
            Path outDtb = dir.resolve("xldt" + n + ".dtb");
            Path dtcDts = dir.resolve("dtc" + n + ".dts");
            Path outDts = dir.resolve("xldt" + n + ".dts");
            int dtcRuns = n > 20_000 ? slowRuns : runs;
            Timed d1 = time(List.of("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtcDtb.toString(), dts.toString()), dtcDtb, dtcRuns);
            Timed x1 = time(cat(xldt, "-I", "dts", "-O", "dtb", "-o", outDtb.toString(), dts.toString()), outDtb, runs);
            same(d1, x1, "DTS→DTB", n);
            xldtDts[k] = x1.seconds();
            row(n, "DTS→DTB", d1, x1);
            Path dtcDtb2 = dir.resolve("dtc" + n + "-2.dtb");
            Timed d2 = time(List.of("dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", dtcDtb2.toString(), dtcDtb.toString()), dtcDtb2, runs);
            Timed x2 = time(cat(xldt, "-I", "dtb", "-O", "dtb", "-o", outDtb.toString(), dtcDtb.toString()), outDtb, runs);
            same(d2, x2, "DTB→DTB", n);
            row(n, "DTB→DTB", d2, x2);
            Timed d3 = time(List.of("dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dtcDts.toString(), dtcDtb.toString()), dtcDts, runs);
            Timed x3 = time(cat(xldt, "-I", "dtb", "-O", "dts", "-o", outDts.toString(), dtcDtb.toString()), outDts, runs);
            same(d3, x3, "DTB→DTS", n);
            row(n, "DTB→DTS", d3, x3);
        }
        for (int k = 1; k < sizes.size(); k++) {
            System.out.printf(Locale.ROOT, "%nxldt DTS→DTB, N %d → %d: %.1f× the time%n", sizes.get(k - 1), sizes.get(k), xldtDts[k] / xldtDts[k - 1]);
        }
    }

    private static List<String> cat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    private static void same(Timed dtc, Timed xldt, String what, int n) {
        if (!Arrays.equals(dtc.output(), xldt.output())) throw new IllegalStateException(what + " at N=" + n + ": outputs differ");
    }

    private static void row(int n, String what, Timed dtc, Timed xldt) {
        System.out.printf(Locale.ROOT, "| %,d | %s | %.2f s (%.2f s) | %.2f s (%.2f s) | %.1f× (%.1f×) |%n", n, what, dtc.seconds(), dtc.cpu(),
                xldt.seconds(), xldt.cpu(), dtc.seconds() / xldt.seconds(), dtc.cpu() / xldt.cpu());
    }
}
