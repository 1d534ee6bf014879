package org.xldt.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsWriter;
import org.xldt.xen.Dom0Builder;
import org.xldt.xen.XenCmdline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xldt dom0}: the device tree Xen gives dom0, from the host's. */
@Command(
        name = "dom0",
        description = {
            "Build the device tree Xen 4.21 with the vSMMUv3 series gives dom0 from the host device tree and the Xen "
                    + "command line: host nodes copied with Xen's rules, the GIC, timer, cpus, memory, psci and hypervisor "
                    + "nodes Xen writes, and with viommu=smmuv3 (or 1, true, on, yes, enable) one vSMMUv3 node per host SMMUv3.",
            "Without -o and --dts the DTS goes to standard output. Warnings go to standard error."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dom0 --host board.dtb --xen-cmdline 'viommu=smmuv3' -o dom0.dtb",
            "  xldt dom0 --host qemu-virt.dtb --dts -"})
public final class Dom0Command implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host device tree (DTB, or DTS).")
    String host;

    @Option(names = "--xen-cmdline", paramLabel = "CMDLINE",
            description = "Xen's command line, as Xen receives it (default: the host's /chosen/xen,xen-bootargs).")
    String xenCmdline;

    @Option(names = "-o", paramLabel = "DTB", description = "Write dom0's DTB here ('-': standard output).")
    String dtbOut;

    @Option(names = "--dts", paramLabel = "DTS", description = "Write dom0's DTS here ('-': standard output).")
    String dtsOut;

    @Override
    public Integer call() {
        if ("-".equals(dtbOut) && "-".equals(dtsOut)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-o and --dts cannot both be standard output");
        }
        DeviceTree hostTree = DtInput.read(host, null);
        String name = DtInput.displayName(host);
        String cmdline;
        String source;
        if (xenCmdline != null) {
            cmdline = xenCmdline;
            source = "--xen-cmdline";
        } else {
            cmdline = Dom0Builder.hostXenCmdline(hostTree);
            source = name + ": /chosen (Xen's command line)";
        }
        Dom0Builder.Result r = Dom0Builder.build(hostTree, name, XenCmdline.parse(cmdline), source);
        byte[] dtb = DtbWriter.write(r.tree());
        byte[] dts = DtsWriter.write(DtbReader.read(dtb, "dom0.dtb")).getBytes(StandardCharsets.ISO_8859_1);
        var err = spec.commandLine().getErr();
        for (String w : r.warnings()) err.println(w);
        err.flush();
        if (dtbOut != null) Outputs.write(dtbOut, dtb, Main.bytesOut(spec));
        if (dtsOut != null || dtbOut == null) Outputs.write(dtsOut, dts, Main.bytesOut(spec));
        return Main.EXIT_OK;
    }
}
