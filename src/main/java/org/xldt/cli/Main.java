package org.xldt.cli;

import java.io.PrintWriter;
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
        subcommands = {
            CommandLine.HelpCommand.class,
            DtCommand.class,
            CfgCommand.class,
            CheckCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, new RawPrintWriter(System.out), new RawPrintWriter(System.err)));
    }

    /** Runs the CLI with the given streams; returns the exit status (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
