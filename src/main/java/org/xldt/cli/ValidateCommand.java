package org.xldt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.validate.Report;
import org.xldt.validate.ReportWriter;
import org.xldt.validate.Simulation;
import org.xldt.validate.Topology;
import org.xldt.validate.TopologyReader;
import org.xldt.validate.ValidateChecks;
import org.xldt.xen.Dom0lessBuilder;
import org.xldt.xen.Dom0lessReader;
import org.xldt.xen.DomUTreeBuilder;
import org.xldt.xen.DomainConfig;
import org.xldt.xen.LibxlGuestBuilder;
import org.xldt.xen.VsidMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xldt validate}: boots a simulated guest SMMUv3 driver from each guest device tree and
 * checks that every assigned device's DMA is translated, isolated and faulted as it should be.
 */
@Command(
        name = "validate",
        description = {
            "Prove a topology end to end: a simulated Linux SMMUv3 driver, reading only the guest device tree, programs the "
                    + "guest's vSMMUv3 (stream table, a CD and stage-1 tables per master, CFGI_STE, SYNC) on a simulated Xen with "
                    + "the physical SMMUv3s; then every device does DMA: mapped IOVAs must reach the right host page, an unmapped "
                    + "one must fault to the guest with its vSID and interrupt, other domains' memory must be unreachable.",
            "Inputs: GUEST.cfg [KEY=VALUE...] (built as xldt create builds it), --system SYSTEM.cfg (every dom0less domU), "
                    + "or --guest-dtb G --sid-map MAP.json [--host-dtb H] (trees made by other tools; MAP.json is what "
                    + "xldt create --json prints, or its \"vsids\" object).",
            "Exit status 0 only if every check passes."},
        mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "GUEST.cfg [KEY=VALUE...]", description = "A guest's xl.cfg file and extra statements.")
    List<String> positional;

    @Option(names = "--host", paramLabel = "HOST", description = "With GUEST.cfg: the host device tree (DTB or DTS), for the physical SMMUs.")
    String host;

    @Option(names = "--system", paramLabel = "SYSTEM.cfg", description = "A dom0less system file: validate every domU.")
    Path system;

    @Option(names = "--guest-dtb", paramLabel = "G", description = "A guest device tree (DTB or DTS) made by any tool.")
    String guestDtb;

    @Option(names = "--host-dtb", paramLabel = "H", description = "With --guest-dtb: the host device tree.")
    String hostDtb;

    @Option(names = "--sid-map", paramLabel = "MAP.json", description = "With --guest-dtb: the vSID map (xldt create --json output, or its \"vsids\" object).")
    String sidMap;

    @Option(names = "--sid-mode", paramLabel = "virtual|physical", description = "With GUEST.cfg: as xldt create (default: ${DEFAULT-VALUE}).")
    String sidMode = "virtual";

    @Option(names = "--json", description = "Print the report as JSON instead of the table.")
    boolean json;

    @Option(names = "--graph", paramLabel = "FILE.dot", description = "Write a Graphviz graph (domains -> devices -> SMMUs); also FILE.svg when dot is installed.")
    Path graph;

    @Option(names = "--caret", paramLabel = "WHEN", description = "Show the source line under diagnostics: ${COMPLETION-CANDIDATES} (default: auto).")
    XlCfgInput.Caret caret = XlCfgInput.Caret.auto;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        boolean cfg = positional != null && !positional.isEmpty();
        int modes = (cfg ? 1 : 0) + (system != null ? 1 : 0) + (guestDtb != null ? 1 : 0);
        if (modes != 1) throw new CommandLine.ParameterException(cmd, "give exactly one of GUEST.cfg, --system SYSTEM.cfg or --guest-dtb G.dtb");
        if (guestDtb == null && (hostDtb != null || sidMap != null)) {
            throw new CommandLine.ParameterException(cmd, "--host-dtb and --sid-map go with --guest-dtb");
        }
        if (guestDtb != null && sidMap == null) throw new CommandLine.ParameterException(cmd, "--guest-dtb needs --sid-map MAP.json");
        if (host != null && !cfg) throw new CommandLine.ParameterException(cmd, "--host goes with GUEST.cfg (use --host-dtb with --guest-dtb)");

        String subject;
        Topology t;
        if (cfg) {
            subject = positional.get(0);
            t = fromCfg(cmd);
            if (t == null) return Main.EXIT_BAD_INPUT;
        } else if (system != null) {
            subject = system.toString();
            Dom0lessReader.Result r = Dom0lessReader.read(system);
            XlCfgInput.print(cmd.getErr(), r.diagnostics(), caret);
            if (!r.ok()) return Main.EXIT_BAD_INPUT;
            Path out = system.toAbsolutePath().resolveSibling("validate.dtb");
            Dom0lessBuilder.Output o = Dom0lessBuilder.build(r.system(), java.nio.file.Files::readAllBytes, out, DomUTreeBuilder.DEFAULT_P2M_IPA_BITS);
            t = TopologyReader.fromDom0less(o, r.system().domUs());
        } else {
            subject = guestDtb;
            DeviceTree guest = DtInput.read(guestDtb, null);
            Optional<DeviceTree> h = hostDtb == null ? Optional.empty() : Optional.of(DtInput.read(hostDtb, null));
            t = TopologyReader.fromTrees(guest, DtInput.displayName(guestDtb), h, Outputs.read(sidMap), DtInput.displayName(sidMap));
        }
        Report report = ValidateChecks.report(subject, Simulation.run(t));
        if (graph != null) writeGraph(report);
        Outputs.write((String) null, (json ? ReportWriter.json(report) : ReportWriter.text(report)).getBytes(StandardCharsets.UTF_8), Main.bytesOut(spec));
        return report.ok() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }

    private Topology fromCfg(CommandLine cmd) {
        XlCfgInput.Args args = new XlCfgInput.Args();
        args.file = positional.get(0);
        args.settings = positional.subList(1, positional.size());
        args.caret = caret;
        XlCfgInput.Domain read = XlCfgInput.readDomain(args, cmd);
        XlCfgInput.print(cmd.getErr(), read.diagnostics(), caret);
        if (read.hasErrors()) return null;
        DomainConfig config = read.config();
        VsidMap.Mode mode = switch (sidMode.toLowerCase(Locale.ROOT)) {
            case "virtual" -> VsidMap.Mode.VIRTUAL;
            case "physical" -> VsidMap.Mode.PHYSICAL;
            default -> throw new CommandLine.ParameterException(cmd, "--sid-mode must be virtual or physical, not '" + sidMode + "'");
        };
        List<String> notes = new ArrayList<>();
        LibxlGuestBuilder.Inputs inputs = CreateCommand.inputs(config, CreateCommand.baseDir(args.file), null, notes);
        LibxlGuestBuilder.Result r = LibxlGuestBuilder.build(config, LibxlGuestBuilder.Options.defaults(config.name()).withSidMode(mode), inputs);
        for (String n : notes) cmd.getErr().println(n);
        for (LibxlGuestBuilder.Warning w : r.warnings()) cmd.getErr().println(w.render());
        cmd.getErr().flush();
        Optional<DeviceTree> h = host == null ? Optional.empty() : Optional.of(DtInput.read(host, null));
        return TopologyReader.fromGuest(config, r.tree(), inputs.partial().map(LibxlGuestBuilder.PartialTree::tree), r.vsids(),
                r.layout().banks(), h);
    }

    /** FILE.dot, and FILE.svg beside it when Graphviz's dot runs. */
    private void writeGraph(Report report) {
        String dotText = ReportWriter.dot(report);
        Outputs.write(graph, dotText.getBytes(StandardCharsets.UTF_8));
        String name = graph.getFileName().toString();
        Path svg = graph.resolveSibling((name.endsWith(".dot") ? name.substring(0, name.length() - 4) : name) + ".svg");
        try {
            Process p = new ProcessBuilder("dot", "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getOutputStream()) {
                in.write(dotText.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) Outputs.write(svg, out);
            else spec.commandLine().getErr().println(graph + ": warning: Graphviz dot failed; only the .dot file was written");
        } catch (java.io.IOException e) {
            // Graphviz is not installed: the .dot file is enough
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
