package org.xldt.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsWriter;
import org.xldt.xen.Dom0lessBuilder;
import org.xldt.xen.Dom0lessReader;
import org.xldt.xen.DomUTreeBuilder;
import org.xldt.xen.UbootScript;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xldt dom0less SYSTEM.cfg -o boot.dtb [--domu-dir DIR] [--uboot-script FILE]}. */
@Command(
        name = "dom0less",
        description = {
            "Write a boot-ready host DTB for Xen with dom0less domains: /chosen gets Xen's and dom0's command lines and "
                    + "modules and one xen,domain node per domU, with load addresses computed as ImageBuilder does; devices "
                    + "given to domUs (dtdev) get xen,passthrough, and each such domU gets a partial DTB beside the output "
                    + "(OUT-STEM-NAME-passthrough.dtb).",
            "SYSTEM.cfg is in xl.cfg syntax: host_dtb, xen, xen_cmdline, dom0_kernel, dom0_ramdisk, dom0_cmdline, dom0_mem, "
                    + "dom0_vcpus, memory_start, memory_end, load_cmd, domus = [ \"domu1.cfg\", ... ] (paths relative to it). "
                    + "Each domU file is an xl.cfg with the dom0less keys vpl011, xen_enhanced, direct_map, static_mem, viommu.",
            "All outputs are written at once, only when everything succeeded."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dom0less system.cfg -o out/boot.dtb --uboot-script out/boot.source",
            "  xldt dom0less system.cfg -o out/boot.dtb --domu-dir out/domus"})
public final class Dom0lessCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SYSTEM.cfg", description = "The dom0less system file.")
    Path system;

    @Option(names = "-o", required = true, paramLabel = "OUT.dtb", description = "The host DTB to write.")
    Path output;

    @Option(names = "--domu-dir", paramLabel = "DIR",
            description = "Also write, for each domU, the device tree Xen builds for it at boot (NAME.dtb and NAME.dts).")
    Path domuDir;

    @Option(names = "--uboot-script", paramLabel = "FILE",
            description = "Also write a U-Boot script that loads every binary at its address and boots Xen with booti (needs xen = ...).")
    Path ubootScript;

    @Option(names = "--ipa-bits", paramLabel = "N", defaultValue = "" + DomUTreeBuilder.DEFAULT_P2M_IPA_BITS,
            description = "Xen's IPA size for the domU trees' extended regions (default: ${DEFAULT-VALUE}).")
    int ipaBits;

    @Option(names = "--caret", paramLabel = "WHEN",
            description = "Show the source line under diagnostics: ${COMPLETION-CANDIDATES} (default: auto, on a terminal).")
    XlCfgInput.Caret caret = XlCfgInput.Caret.auto;

    @Override
    public Integer call() {
        if (ipaBits < 32 || ipaBits > 52) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ipa-bits must be between 32 and 52, not " + ipaBits);
        }
        if (output.toString().equals("-")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "-o must name a file: the partial device trees are written beside it and the script loads it by name");
        }
        // names as the user gave them, opened in the run's workspace (a batch job's directory)
        Workspace ws = Workspace.current();
        Dom0lessReader.FileSource inputs = new Dom0lessReader.FileSource() {
            @Override
            public byte[] read(Path path) throws java.io.IOException {
                return ws.readFile(path);
            }

            @Override
            public Path locate(Path path) {
                return ws.locate(path);
            }
        };
        Dom0lessReader.Result r = Dom0lessReader.read(system, inputs);
        XlCfgInput.print(spec.commandLine().getErr(), r.diagnostics(), caret);
        if (!r.ok()) return Main.EXIT_BAD_INPUT;
        if (ubootScript != null && r.system().xen().isEmpty()) {
            throw new BadInputException(system.toString(), "--uboot-script needs the Xen image: add xen = \"xen\" to the system file");
        }
        Dom0lessBuilder.Output out = Dom0lessBuilder.build(r.system(), inputs, output, ipaBits);
        for (String w : out.hostWarnings()) spec.commandLine().getErr().println(w);
        XlCfgInput.print(spec.commandLine().getErr(), out.warnings(), caret);

        Map<Path, byte[]> files = new LinkedHashMap<>();
        add(files, output, out.hostDtb());
        for (Dom0lessBuilder.Partial p : out.partials()) if (p.generated()) add(files, p.file(), p.dtb());
        if (domuDir != null) {
            for (Map.Entry<String, DeviceTree> e : out.previews().entrySet()) {
                byte[] dtb = DtbWriter.write(e.getValue());
                add(files, domuDir.resolve(e.getKey() + ".dtb"), dtb);
                add(files, domuDir.resolve(e.getKey() + ".dts"), decompile(dtb, e.getKey()));
            }
        }
        if (ubootScript != null) {
            Path base = r.system().file().toAbsolutePath().getParent();
            add(files, ubootScript, UbootScript.write(out, r.system().loadCmd(), base, system.toString()).getBytes(StandardCharsets.UTF_8));
        }
        Outputs.writeAll(files);
        printSummary(out);
        return Main.EXIT_OK;
    }

    /** Adds an output (by the name given), refusing two outputs on one file. */
    private static void add(Map<Path, byte[]> files, Path p, byte[] data) {
        Workspace ws = Workspace.current();
        Path key = ws.locate(p).toAbsolutePath().normalize();
        for (Path other : files.keySet()) {
            if (ws.locate(other).toAbsolutePath().normalize().equals(key)) {
                throw new BadInputException(p.toString(), "two outputs would be written to this file");
            }
        }
        files.put(p, data);
    }

    /** The decompile of a DTB, as {@code dtc -I dtb -O dts} prints it. */
    static byte[] decompile(byte[] dtb, String name) {
        return DtsWriter.write(DtbReader.read(dtb, name)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private void printSummary(Dom0lessBuilder.Output out) {
        var w = spec.commandLine().getOut();
        w.printf("%-12s %-10s %-18s %s%n", "address", "size", "binary", "file");
        for (Dom0lessBuilder.Module m : out.modules()) {
            String what = m.domain().map(d -> d + " ").orElse("") + m.kind().name().toLowerCase(java.util.Locale.ROOT).replace("domu_", "").replace('_', ' ');
            w.printf("0x%-10x 0x%-8x %-18s %s%n", m.address(), m.size(), what, m.file());
        }
        w.flush();
    }
}
