package org.xldt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.dt.Check;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xldt dt check}: runs the device-tree checks and prints the findings as dtc does. */
@Command(
        name = "check",
        description = {
            "Check a device tree with dtc's checks (and xldt's own) and print the findings as dtc prints them.",
            "Exit status 1 if any finding is an ERROR, 0 otherwise.",
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt check host.dtb", "  xldt dt check -Wno-unit_address_vs_reg -k board.dts"})
public final class DtCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-W", paramLabel = "[no-]NAME", description = "Turn the warning for check NAME on (or off with no-NAME).")
    List<String> warnings = new ArrayList<>();

    @Option(names = "-E", paramLabel = "[no-]NAME", description = "Turn the error for check NAME on (or off with no-NAME).")
    List<String> errors = new ArrayList<>();

    @Option(names = {"-k", "--keep-going"}, description = "Run every check even after one reported an ERROR (dtc stops there).")
    boolean keepGoing;

    @Option(names = {"-l", "--list"}, description = "List the checks with their default levels and exit.")
    boolean list;

    @Parameters(arity = "0..1", paramLabel = "IN", description = "Input DTB (or DTS) file; - for standard input.")
    String input;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Checks.Selection selection = Checks.defaults().keepGoing(keepGoing);
        try {
            for (String w : warnings) selection.warn(w);
            for (String e : errors) selection.error(e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (list) {
            for (Check c : Checks.table()) {
                Check.Level level = selection.levelOf(c.name());
                out.printf("%-38s %-7s %s%n", c.name(), level == null ? "off" : level.label(), c.dtc() ? "dtc" : "xldt");
            }
            return Main.EXIT_OK;
        }
        if (input == null) throw new ParameterException(spec.commandLine(), "Missing required parameter: 'IN'");
        DeviceTree tree = DtInput.read(input, null);
        boolean error = false;
        for (Finding f : selection.run(tree)) {
            out.println(f.render(input));
            error |= f.level() == Check.Level.ERROR;
        }
        return error ? Main.EXIT_BAD_INPUT : Main.EXIT_OK;
    }
}
