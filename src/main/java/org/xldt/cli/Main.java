package org.xldt.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.xldt.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code xldt} command. Exit status: 0 success, 1 bad input (one located error line, no stack
 * trace), 2 usage error, 3 internal error.
 */
@Command(
        name = "xldt",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Device trees for Xen on Arm guests with a virtual SMMUv3, and proof that they work.",
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt convert host.dtb -o host.dts", "  xldt help dt convert"})
public final class Main implements Runnable {
    /**
     * The subcommands, in help order. They are registered here rather than in {@code @Command}
     * so that a run builds the model of the one it runs only (picocli's model of all of them costs
     * more than the JVM's own start-up); the names are those of their {@code @Command}s (tested).
     */
    static final List<Map.Entry<String, Class<?>>> SUBCOMMANDS = List.of(
            Map.entry("help", CommandLine.HelpCommand.class),
            Map.entry("dt", DtCommand.class),
            Map.entry("cfg", CfgCommand.class),
            Map.entry("check", CheckCommand.class),
            Map.entry("create", CreateCommand.class),
            Map.entry("dom0", Dom0Command.class),
            Map.entry("dom0less", Dom0lessCommand.class),
            Map.entry("smmu", SmmuCommand.class),
            Map.entry("validate", ValidateCommand.class),
            Map.entry("batch", BatchCommand.class));

    /**
     * A batch job's command trees, per thread and first argument, reused by the thread's later
     * jobs: building picocli's model costs more than most jobs' work. picocli resets every option
     * and parameter to its initial value on each parse, and commands keep no other state between
     * runs (CommandStateTest).
     */
    private static final ThreadLocal<Map<String, CommandLine>> REUSED = ThreadLocal.withInitial(java.util.HashMap::new);

    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Standard output as bytes, for commands that write binary data (DTB) or raw Latin-1 text. */
    private OutputStream bytesOut = System.out;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /**
     * Runs the CLI in {@code workspace} (a batch job's: relative names resolve against its
     * directory, outputs are kept in memory); this thread's runs see it until the run returns.
     */
    public static int run(String[] args, OutputStream out, PrintWriter err, Workspace workspace) {
        return workspace.run(() -> run(args, out, err));
    }

    /** Runs the CLI with the given streams; returns the exit status (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, new Latin1Stream(out), err);
    }

    /** Runs the CLI with standard output as a byte stream (binary output stays exact). */
    public static int run(String[] args, OutputStream out, PrintWriter err) {
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        return run(args, text, out, err);
    }

    private static int run(String[] args, PrintWriter out, OutputStream bytes, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints for --version, without building its model (most of a run's start-up).
            for (String line : VersionProvider.lines()) out.println(line);
            out.flush();
            return EXIT_OK;
        }
        String first = args.length > 0 ? args[0] : null;
        CommandLine cl = Workspace.current().isCaptured() && isSubcommand(first)
                ? REUSED.get().computeIfAbsent(first, f -> commandLine(new Main(), f))
                : commandLine(new Main(), first);
        ((Main) cl.getCommand()).bytesOut = bytes;
        cl.setOut(out);
        cl.setErr(err);
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /**
     * Standard output as bytes for a command of this CLI (flushing the text stream first). When
     * the CLI runs on a {@link PrintWriter}, each byte arrives there as one Latin-1 char.
     */
    public static OutputStream bytesOut(CommandLine.Model.CommandSpec spec) {
        spec.commandLine().getOut().flush();
        return spec.root().userObject() instanceof Main m ? m.bytesOut : System.out;
    }

    /** Writes each byte as one char (ISO-8859-1) to a PrintWriter. */
    private static final class Latin1Stream extends OutputStream {
        private final PrintWriter w;

        Latin1Stream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b & 0xff);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            char[] cs = new char[len];
            for (int i = 0; i < len; i++) cs[i] = (char) (b[off + i] & 0xff);
            w.write(cs);
        }

        @Override
        public void flush() {
            w.flush();
        }
    }

    private static boolean isSubcommand(String name) {
        if (name == null) return false;
        for (Map.Entry<String, Class<?>> e : SUBCOMMANDS) if (e.getKey().equals(name)) return true;
        return false;
    }

    /** The whole command tree (for help, man pages and completion). */
    public static CommandLine commandLine() {
        return commandLine(new Main(), null);
    }

    /**
     * The command tree for a run whose first argument is {@code first}: with only that subcommand
     * when it names one (other than {@code help}), else with all of them.
     */
    private static CommandLine commandLine(Main main, String first) {
        CommandLine cl = new CommandLine(main);
        boolean one = first != null && !first.equals("help") && SUBCOMMANDS.stream().anyMatch(e -> e.getKey().equals(first));
        for (Map.Entry<String, Class<?>> e : SUBCOMMANDS) {
            if (!one || e.getKey().equals(first)) cl.addSubcommand(e.getKey(), e.getValue());
        }
        CommandLine help = cl.getSubcommands().get("help");
        if (help != null) {
            help.getCommandSpec().usageMessage().footerHeading("%nExample:%n").footer("  xldt help dt convert");
        }
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof BadInputException bad) {
                err.println(bad.render());
                return EXIT_BAD_INPUT;
            }
            if (System.getenv("XLDT_DEBUG") != null) ex.printStackTrace(err);
            err.println("xldt: internal error: " + ex + " (set XLDT_DEBUG=1 for details)");
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("xldt: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        return cl;
    }
}
