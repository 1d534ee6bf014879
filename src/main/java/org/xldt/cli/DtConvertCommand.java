package org.xldt.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.xldt.dt.Check;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Finding;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xldt dt convert}: DTS/DTB conversion with dtc's flags and dtc's exact output. */
@Command(
        name = "convert",
        description = "Convert a device tree between DTS and DTB, as dtc does (same bytes, same text). "
                + "Without -I the input is a DTB if it starts with the DTB magic or is named *.dtb or *.dtbo, else DTS. "
                + "Without -O the output format follows -o's extension (.dts, .dtb, .dtbo), else it is the other "
                + "format than the input's.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt convert -o host.dts host.dtb", "  xldt dt convert -q -p 4096 board.dts -o board.dtb"})
public final class DtConvertCommand implements Callable<Integer> {
    /** Padding larger than this is refused (a blob must stay well under 2 GiB). */
    static final int MAX_PAD = 1 << 30;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "-I", paramLabel = "dts|dtb", description = "Input format (default: detected).")
    DtInput.Format inFormat;

    @Option(names = "-O", paramLabel = "dts|dtb", description = "Output format (default: from -o, else the other format).")
    DtInput.Format outFormat;

    @Option(names = "-o", paramLabel = "OUT", description = "Output file (default or '-': standard output); written atomically.")
    String output;

    @Option(names = "-p", paramLabel = "PAD", description = "Add PAD zero bytes of free space to a DTB (as dtc -p).")
    int pad;

    @Option(names = {"-f", "--force"}, description = "Write the output even if the checks report an ERROR (as dtc -f).")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "Do not print the checks' warnings (as dtc -q).")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "IN", description = "Input file, or '-' for standard input.")
    String input;

    @Override
    public Integer call() {
        if (pad < 0 || pad > MAX_PAD) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-p must be between 0 and " + MAX_PAD + ", not " + pad);
        }
        byte[] in = Outputs.read(input);
        DtInput.Format inKind = inFormat != null ? inFormat : DtInput.detect(in, input);
        DtInput.Format out = outFormat != null ? outFormat : guessOutput(inKind);
        DeviceTree tree = DtInput.parse(in, inKind, input);
        boolean error = false;
        for (Finding f : Checks.defaults().run(tree)) {
            boolean isError = f.level() == Check.Level.ERROR;
            error |= isError;
            if (isError || !quiet) spec.commandLine().getErr().println(f.render(DtInput.displayName(input)));
        }
        if (error && !force) {
            spec.commandLine().getErr().println("ERROR: Input tree has errors, aborting (use -f to force output)");
            spec.commandLine().getErr().flush();
            return Main.EXIT_BAD_INPUT;
        }
        if (error) spec.commandLine().getErr().println("Warning: Input tree has errors, output forced");
        byte[] data = out == DtInput.Format.dtb
                ? DtbWriter.write(tree, pad)
                : DtsWriter.write(tree).getBytes(StandardCharsets.ISO_8859_1);
        Outputs.write(output, data, Main.bytesOut(spec));
        return Main.EXIT_OK;
    }

    /** dtc's rule: the output file's extension, else DTB from DTS and DTS from anything else. */
    private DtInput.Format guessOutput(DtInput.Format inKind) {
        if (output != null && !output.equals("-")) {
            int dot = output.lastIndexOf('.');
            String ext = dot < 0 ? "" : output.substring(dot).toLowerCase(Locale.ROOT);
            switch (ext) {
                case ".dts":
                    return DtInput.Format.dts;
                case ".dtb", ".dtbo":
                    return DtInput.Format.dtb;
                case ".yaml":
                    throw new CommandLine.ParameterException(spec.commandLine(), "YAML output is not supported; use -O dts or -O dtb");
                default:
                    break;
            }
        }
        return inKind == DtInput.Format.dts ? DtInput.Format.dtb : DtInput.Format.dts;
    }
}
