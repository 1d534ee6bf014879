package org.xldt.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xldt batch MANIFEST...}: many xldt runs in one JVM, in parallel, with the same bytes whatever the parallelism. */
@Command(
        name = "batch",
        description = {
            "Run many xldt commands in one process, in parallel, or check their outputs against golden files.",
            "Each line of a MANIFEST is one xldt command "
                    + "(e.g. 'create guests/a.cfg -o out/a.dtb'; a leading 'xldt' is allowed; '#' comments; quotes and "
                    + "backslashes as in a shell, no variables, globs, pipes or redirections). Relative file names in a "
                    + "manifest are relative to the manifest's directory (or -C DIR). An argument ending in .cfg is the job "
                    + "'create X.cfg -o X.dtb' (in the file's directory).",
            "Jobs are independent and run in any order; their standard output, warnings and output files are "
                    + "printed and written in manifest order once each job is done, so the result is the same for any -j. "
                    + "A failing job writes nothing; at the end the failed jobs are listed on standard error, each with "
                    + "its error line first.",
            "--check writes nothing: it compares each job's outputs with the files already there (golden files; "
                    + "device trees as 'xldt dt diff GOLDEN NEW' shows them) and lists the differences on standard output "
                    + "(and nothing else: the jobs' own standard output is not printed).",
            "Exit status: 0 all jobs succeeded (and, with --check, every output matches), 1 otherwise, 2 usage error."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {
            "  $ cat guests.txt",
            "  # one xldt command per line; names are relative to this file",
            "  create guests/web.cfg -o out/web.dtb --dts out/web.dts",
            "  dom0 --host board.dtb --xen-cmdline 'dom0_mem=1G' -o out/dom0.dtb",
            "  $ xldt batch -j 4 guests.txt",
            "  $ xldt batch --check guests.txt   # CI: exit 1 if an output changed",
            "  $ xldt batch -C . --check examples/goldens.txt"})
public final class BatchCommand implements Callable<Integer> {
    /** More threads than this are refused. */
    static final int MAX_THREADS = 1024;
    /** A failed job's standard error beyond its error line: at most this many lines in the summary. */
    static final int MORE_LINES = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Run N jobs at once (default: the number of processors).")
    Integer threads;

    @Option(names = "--check", description = "Write nothing; compare the outputs with the files already there (exit 1 if any differs or is missing).")
    boolean check;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the standard error (warnings) of jobs that succeed.")
    boolean quiet;

    @Option(names = "--progress", paramLabel = "WHEN",
            description = "Show a progress bar on standard error: ${COMPLETION-CANDIDATES} (default: auto, on a terminal, after half a second).")
    Progress.When progress = Progress.When.auto;

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR",
            description = "Names in the jobs are relative to DIR (default: each manifest's directory; the working directory for standard input).")
    String directory;

    @Parameters(arity = "1..*", paramLabel = "MANIFEST|CFG", description = "Manifests ('-': standard input) and xl.cfg files.")
    List<String> inputs;

    @Override
    public Integer call() throws InterruptedException {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > MAX_THREADS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-j must be between 1 and " + MAX_THREADS + ", not " + n);
        }
        List<Manifest.Job> jobs = new ArrayList<>();
        Workspace ws = Workspace.current();
        Path jobDir = directory == null ? null : ws.resolve(directory);
        for (String in : inputs) {
            if (in.endsWith(".cfg")) {
                jobs.add(cfgJob(ws, in));
                continue;
            }
            String text = new String(Outputs.read(in), StandardCharsets.UTF_8);
            Path dir = jobDir != null ? jobDir : in.equals("-") ? ws.baseDir() : ws.resolve(in).getParent();
            jobs.addAll(Manifest.parse(DtInput.displayName(in), text, dir));
        }
        PrintWriter err = spec.commandLine().getErr();
        Progress bar = Progress.create(err, progress);
        BatchRunner.Summary s;
        try {
            s = new BatchRunner(jobs, n, check, quiet, Main.bytesOut(spec), bar).run();
        } finally {
            bar.close();
        }
        report(s);
        return s.ok() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }

    /** {@code create X.cfg -o X.dtb}, in the file's directory. */
    private static Manifest.Job cfgJob(Workspace ws, String cfg) {
        Path p = ws.resolve(cfg);
        String file = p.getFileName().toString();
        String dtb = file.substring(0, file.length() - ".cfg".length()) + ".dtb";
        return new Manifest.Job(cfg, 0, p.getParent(), List.of("create", file, "-o", dtb));
    }

    private void report(BatchRunner.Summary s) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (check) {
            for (BatchRunner.Difference d : s.differences()) {
                out.println(d.job().where() + ": " + d.name() + ":");
                for (String line : d.lines()) out.println("    " + line);
            }
            if (s.differences().isEmpty()) {
                out.println("xldt batch --check: all " + s.outputs() + " outputs match (" + plural(s.jobs(), "job") + ")");
            } else {
                out.println("xldt batch --check: " + s.differences().size() + " of " + s.outputs() + " outputs differ");
            }
            out.flush();
        }
        if (!s.failures().isEmpty()) {
            err.println("xldt batch: " + s.failedJobs() + " of " + plural(s.jobs(), "job") + " failed:");
            for (BatchRunner.Failure f : s.failures()) {
                err.println("  " + f.job().where() + ": " + f.job().command());
                err.println("    " + f.error());
                List<String> more = f.more();
                for (int i = 0; i < more.size() && i < MORE_LINES; i++) err.println("    " + more.get(i));
                if (more.size() > MORE_LINES) err.println("    … " + (more.size() - MORE_LINES) + " more lines");
            }
            err.flush();
        }
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
