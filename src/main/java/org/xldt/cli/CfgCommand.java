package org.xldt.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.xlcfg.ParseResult;
import org.xldt.xlcfg.XlCfgReader;
import org.xldt.xlcfg.XlConfigWriter;
import org.xldt.xlcfg.XlSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xldt cfg ...}: xl.cfg domain configuration files, read exactly as Xen's libxlutil reads them. */
@Command(
        name = "cfg",
        description = "Read xl.cfg domain configuration files exactly as xl (Xen's libxlutil) does.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt cfg dump guest.cfg", "  xldt cfg dump --json guest.cfg memory=1024"},
        subcommands = {CfgCommand.Dump.class})
public final class CfgCommand extends GroupCommand {
    /** {@code xldt cfg dump [--json] FILE [KEY=VALUE...]}. */
    @Command(
            name = "dump",
            description = {
                "Print the effective settings of FILE as xl create FILE KEY=VALUE... reads them: one per name, "
                        + "the last assignment winning, += applied.",
                "--json prints exactly what the libxlutil oracle (src/test/c/xlcfg-oracle.c) prints: "
                        + "{\"ok\":true,\"settings\":{...}} or {\"ok\":false,\"rc\":N} (exit 1)."},
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  xldt cfg dump guest.cfg 'extra=\"console=hvc0\"'", "  xldt cfg dump --json - < guest.cfg"})
    static final class Dump implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the oracle's JSON instead of xl.cfg text.")
        boolean json;

        @CommandLine.Mixin
        XlCfgInput.Args args = new XlCfgInput.Args();

        @Override
        public Integer call() {
            List<String> overrides = args.overrides(spec.commandLine());
            byte[] bytes;
            try {
                bytes = XlCfgInput.read(args.file);
            } catch (XlCfgInput.Unreadable e) {
                if (!json) throw e;
                spec.commandLine().getErr().println(e.render());
                Outputs.write(null, XlConfigWriter.jsonFailure(e.errno), Main.bytesOut(spec));
                return Main.EXIT_BAD_INPUT;
            }
            ParseResult r = XlCfgReader.read(XlSource.of(args.sourceName(), bytes, overrides));
            XlCfgInput.print(spec.commandLine().getErr(), r.diagnostics(), args.caret);
            if (json) {
                Outputs.write(null, XlConfigWriter.json(r), Main.bytesOut(spec));
                return r.ok() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
            }
            if (!r.ok()) return Main.EXIT_BAD_INPUT;
            Outputs.write(null, XlConfigWriter.text(r.config()), Main.bytesOut(spec));
            return Main.EXIT_OK;
        }
    }
}
