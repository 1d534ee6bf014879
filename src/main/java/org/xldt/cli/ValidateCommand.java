package org.xldt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xldt.validate.Report;
import org.xldt.validate.ReportWriter;
import org.xldt.validate.Simulation;
import org.xldt.validate.Topology;
import org.xldt.validate.TopologyReader;
import org.xldt.validate.TopologyReader.Named;
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
            "Prove a topology end to end: Linux's arm-smmu-v3 driver, simulated and reading only the guest device tree, programs "
                    + "the guest's vSMMUv3 (stream table, a CD and stage-1 table per master, CFGI_STE, SYNC) on a simulated Xen "
                    + "with the physical SMMUv3s; then every device does DMA: writes to mapped buffers must land in the host page "
                    + "Xen backs them with, an unmapped IOVA must fault to the guest with its vSID and interrupt, other domains' "
                    + "memory must stay out of reach.",
            "Inputs: GUEST.cfg [KEY=VALUE...] (built as xldt create builds it); --system SYSTEM.cfg (dom0 and every dom0less "
                    + "domU); --dom0 D --host-dtb H (dom0's tree from xldt dom0 or any tool); --guest-dtb G --sid-map MAP.json "
                    + "[--host-dtb H], repeatable in pairs (trees made by other tools; MAP.json is what xldt create --json prints, "
                    + "or its \"vsids\" object).",
            "Exit status: 0 only if every check passes; 1 if one fails or the input is bad."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt validate examples/guests/two-smmus.cfg",
            "  xldt validate --system boot/system.cfg --graph topology.dot"})
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "GUEST.cfg [KEY=VALUE...]", description = "A guest's xl.cfg file and extra statements.")
    List<String> positional;

    @Option(names = "--host", paramLabel = "HOST", description = "With GUEST.cfg: the host device tree (DTB or DTS), for the physical SMMUs.")
    String host;

    @Option(names = "--system", paramLabel = "SYSTEM.cfg", description = "A dom0less system file: validate dom0 and every domU.")
    Path system;

    @Option(names = "--dom0", paramLabel = "D", description = "dom0's device tree (DTB or DTS); needs --host-dtb.")
    String dom0;

    @Option(names = "--guest-dtb", paramLabel = "G", description = "A guest device tree (DTB or DTS) made by any tool; give a --sid-map for each.")
    List<String> guestDtbs = new ArrayList<>();

    @Option(names = "--sid-map", paramLabel = "MAP.json", description = "The vSID map of the --guest-dtb at the same position.")
    List<String> sidMaps = new ArrayList<>();

    @Option(names = "--host-dtb", paramLabel = "H", description = "With --guest-dtb or --dom0: the host device tree.")
    String hostDtb;

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
        int modes = (cfg ? 1 : 0) + (system != null ? 1 : 0) + (dom0 != null ? 1 : 0) + (guestDtbs.isEmpty() ? 0 : 1);
        if (modes != 1) throw new CommandLine.ParameterException(cmd, "give exactly one of GUEST.cfg, --system SYSTEM.cfg, --dom0 D or --guest-dtb G");
        if (guestDtbs.size() != sidMaps.size()) {
            throw new CommandLine.ParameterException(cmd, "give one --sid-map per --guest-dtb (" + guestDtbs.size() + " trees, " + sidMaps.size() + " maps)");
        }
        if (hostDtb != null && guestDtbs.isEmpty() && dom0 == null) throw new CommandLine.ParameterException(cmd, "--host-dtb goes with --guest-dtb or --dom0");
        if (dom0 != null && hostDtb == null) throw new CommandLine.ParameterException(cmd, "--dom0 needs --host-dtb H: dom0's streams are the host's");
        if (host != null && !cfg) throw new CommandLine.ParameterException(cmd, "--host goes with GUEST.cfg (use --host-dtb with --guest-dtb or --dom0)");

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
            Path out = system.toAbsolutePath().resolveSibling("boot.dtb");
            Dom0lessBuilder.Output o = Dom0lessBuilder.build(r.system(), Files::readAllBytes, out, DomUTreeBuilder.DEFAULT_P2M_IPA_BITS);
            for (String w : o.hostWarnings()) cmd.getErr().println(w);
            XlCfgInput.print(cmd.getErr(), o.warnings(), caret);
            t = TopologyReader.fromDom0less(r.system(), o);
        } else if (dom0 != null) {
            subject = dom0;
            t = TopologyReader.fromDom0(read(dom0), read(hostDtb));
        } else {
            subject = String.join(" ", guestDtbs);
            Optional<Named> h = hostDtb == null ? Optional.empty() : Optional.of(read(hostDtb));
            List<Named> guests = new ArrayList<>();
            List<byte[]> maps = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < guestDtbs.size(); i++) {
                guests.add(read(guestDtbs.get(i)));
                maps.add(Outputs.read(sidMaps.get(i)));
                names.add(DtInput.displayName(sidMaps.get(i)));
            }
            t = TopologyReader.fromTrees(guests, h, maps, names);
        }
        Report report = ValidateChecks.report(subject, Simulation.run(t));
        if (graph != null) writeGraph(report);
        String text = json ? ReportWriter.json(report) : ReportWriter.text(report);
        Outputs.write((String) null, text.getBytes(StandardCharsets.UTF_8), Main.bytesOut(spec));
        return report.ok() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }

    private static Named read(String file) {
        return new Named(DtInput.read(file, null), DtInput.displayName(file));
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
        Optional<Named> h = host == null ? Optional.empty() : Optional.of(read(host));
        Optional<Named> partial = inputs.partial().map(p -> new Named(p.tree(), p.name()));
        return TopologyReader.fromGuest(config, r.tree(), partial, r.vsids(), r.layout().banks(), h);
    }

    /** FILE.dot, and FILE.svg beside it when Graphviz's dot runs. */
    private void writeGraph(Report report) {
        byte[] dotText = ReportWriter.dot(report).getBytes(StandardCharsets.UTF_8);
        Outputs.write(graph, dotText);
        String name = graph.getFileName().toString();
        Path svg = graph.resolveSibling((name.endsWith(".dot") ? name.substring(0, name.length() - 4) : name) + ".svg");
        Optional<byte[]> out = ReportWriter.svg(dotText);
        if (out.isPresent()) Outputs.write(svg, out.get());
        else spec.commandLine().getErr().println(graph + ": note: Graphviz dot did not run; only the .dot file was written");
    }
}
