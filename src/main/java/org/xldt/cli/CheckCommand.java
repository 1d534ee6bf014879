package org.xldt.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.xlcfg.Diagnostic;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code xldt check FILE [KEY=VALUE...]}: everything wrong with a guest configuration, at once. */
@Command(
        name = "check",
        description = {
            "Check an xl.cfg guest configuration for Xen on Arm: the syntax as libxlutil reads it, xl's and libxl's "
                    + "rules for every modelled setting (memory, vcpus, passthrough, irqs, iomem, gic_version, viommu...), "
                    + "and settings xl does not know (warnings, with \"did you mean\").",
            "Exit status 1 when there is an error."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt check guest.cfg", "  xldt check guest.cfg memory=2048 'viommu=\"smmuv3\"'"})
public final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    XlCfgInput.Args args = new XlCfgInput.Args();

    @Override
    public Integer call() {
        XlCfgInput.Domain d = XlCfgInput.readDomain(args, spec.commandLine());
        String name = d.name();
        List<Diagnostic> all = d.diagnostics();
        XlCfgInput.print(spec.commandLine().getErr(), all, args.caret);
        long errors = all.stream().filter(Diagnostic::isError).count();
        long warnings = all.size() - errors;
        String summary = name + ": " + (errors == 0 ? "ok" : plural(errors, "error")) + (warnings == 0 ? "" : ", " + plural(warnings, "warning"));
        if (errors == 0) {
            spec.commandLine().getOut().println(summary);
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
        spec.commandLine().getErr().println(summary);
        spec.commandLine().getErr().flush();
        return Main.EXIT_BAD_INPUT;
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
