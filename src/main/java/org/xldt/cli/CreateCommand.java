package org.xldt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.xldt.BadInputException;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsWriter;
import org.xldt.dt.Finding;
import org.xldt.xen.DomainConfig;
import org.xldt.xen.DomainConfig.GicVersion;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.LibxlGuestBuilder;
import org.xldt.xen.LibxlGuestBuilder.Options;
import org.xldt.xen.LibxlGuestBuilder.PartialTree;
import org.xldt.xen.LibxlLayout;
import org.xldt.xen.LibxlLayout.Kernel;
import org.xldt.xen.LibxlNodes.XenVersion;
import org.xldt.xen.VsidMap;
import org.xldt.xlcfg.Diagnostic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xldt create [-o guest.dtb] [--dts guest.dts] [--json] CFG [KEY=VALUE...]}: the device
 * tree libxl would give the guest (as {@code xl create -n}, nothing is started).
 */
@Command(
        name = "create",
        description = {
            "Build the device tree libxl (Xen 4.21 with the vSMMUv3 series) gives the Arm guest an xl.cfg file describes: "
                    + "the emulated SMMUv3 with viommu = \"smmuv3\", the partial device tree's /passthrough with iommus "
                    + "rewritten to it and virtual stream IDs. Nothing is started; kernel and ramdisk need not exist.",
            "Relative kernel, ramdisk and device_tree paths are relative to the configuration file's directory."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt create guest.cfg -o guest.dtb --dts guest.dts",
            "  xldt create guest.cfg 'viommu=\"smmuv3\"' memory=1024 --dts -"})
public final class CreateCommand implements Callable<Integer> {
    /** --xen-version's syntax (compiled once: a batch runs many jobs). */
    private static final java.util.regex.Pattern XEN_VERSION = java.util.regex.Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    XlCfgInput.Args args = new XlCfgInput.Args();

    @Option(names = {"-o", "--output"}, paramLabel = "DTB", description = "Write the guest DTB here ('-' for standard output).")
    String output;

    @Option(names = "--dts", paramLabel = "DTS", description = "Write the guest tree as DTS (what dtc -I dtb -O dts prints) here ('-' for standard output).")
    String dts;

    @Option(names = "--json", description = "Print the effective domain configuration, memory layout and vSID map as JSON on standard output.")
    boolean json;

    @Option(names = "--host-gic", paramLabel = "v2|v3", description = "The host's GIC: what gic_version = \"default\" gives the guest (default: ${DEFAULT-VALUE}).")
    String hostGic = "v3";

    @Option(names = "--gpaddr-bits", paramLabel = "N", description = "Guest physical address bits Xen reports; bounds the extended regions (default: ${DEFAULT-VALUE}).")
    int gpaddrBits = 40;

    @Option(names = "--xen-version", paramLabel = "X.Y", description = "The running Xen's version, for model and compatibles (default: ${DEFAULT-VALUE}).")
    String xenVersion = "4.21";

    @Option(names = "--rng-seed", paramLabel = "HEX|none|random",
            description = "/chosen/rng-seed: these bytes, none, or 128 random bytes as libxl writes. Default: 128 bytes derived from the domain name (reproducible).")
    String rngSeed;

    @Option(names = "--sid-mode", paramLabel = "virtual|physical",
            description = "Stream IDs in iommus and iommu-map: virtual (vSIDs from 0 per physical SMMU and SID, series v2/v3) or physical (the RFC) (default: ${DEFAULT-VALUE}).")
    String sidMode = "virtual";

    @Option(names = "--libxl-names", description = "libxl's exact output where xldt deviates to keep dtc silent: hypervisor and sbsa-pl011 without a unit address, no #address-cells in a virtio GPIO node (dtc then warns).")
    boolean libxlNames;

    @Option(names = "--ramdisk-size", paramLabel = "BYTES", description = "The ramdisk's size (decimal or 0x hex) when the file is not at hand (default: the file's size).")
    String ramdiskSizeArg;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        if (output == null && dts == null && !json) {
            throw new CommandLine.ParameterException(cmd, "nothing to write: give -o DTB, --dts DTS or --json");
        }
        int toStdout = ("-".equals(output) ? 1 : 0) + ("-".equals(dts) ? 1 : 0) + (json ? 1 : 0);
        if (toStdout > 1) throw new CommandLine.ParameterException(cmd, "only one of -o -, --dts - and --json can use standard output");
        Options opts = options(cmd);
        Long ramdiskSize = givenRamdiskSize(cmd);

        XlCfgInput.Domain read = XlCfgInput.readDomain(args, cmd);
        printDiagnostics(read.diagnostics());
        if (read.hasErrors()) return Main.EXIT_BAD_INPUT;
        DomainConfig config = read.config();

        List<String> notes = new ArrayList<>();
        LibxlGuestBuilder.Inputs inputs = inputs(config, baseDir(args.file), ramdiskSize, notes);
        if (rngSeed == null) opts = opts.withRngSeed(LibxlGuestBuilder.derivedSeed(config.name()));
        LibxlGuestBuilder.Result result = LibxlGuestBuilder.build(config, opts, inputs);

        byte[] dtb = DtbWriter.write(result.tree());
        DeviceTree decompiled = DtbReader.read(dtb, "guest.dtb");
        List<String> warnings = new ArrayList<>(notes);
        for (LibxlGuestBuilder.Warning w : result.warnings()) warnings.add(w.render());
        for (Finding f : Checks.run(decompiled)) warnings.add(f.render(output != null && !output.equals("-") ? output : "<guest>"));
        for (String w : warnings) cmd.getErr().println(w);
        cmd.getErr().flush();

        if (output != null) Outputs.write(output, dtb, Main.bytesOut(spec));
        if (dts != null) Outputs.write(dts, DtsWriter.write(decompiled).getBytes(StandardCharsets.ISO_8859_1), Main.bytesOut(spec));
        if (json) Outputs.write(null, json(config, opts, result, dtb.length), Main.bytesOut(spec));
        return Main.EXIT_OK;
    }

    /** One line per problem (the headline), unless the source line is asked for. */
    private void printDiagnostics(List<Diagnostic> diags) {
        XlCfgInput.Caret caret = args.caret;
        boolean show = caret == XlCfgInput.Caret.always || (caret == XlCfgInput.Caret.auto && XlCfgInput.stderrIsTerminal());
        for (Diagnostic d : diags) spec.commandLine().getErr().println(show ? d.render(true) : d.headline());
        spec.commandLine().getErr().flush();
    }

    private Options options(CommandLine cmd) {
        GicVersion gic = switch (hostGic.toLowerCase(Locale.ROOT)) {
            case "v2" -> GicVersion.V2;
            case "v3" -> GicVersion.V3;
            default -> throw new CommandLine.ParameterException(cmd, "--host-gic must be v2 or v3, not '" + hostGic + "'");
        };
        if (gpaddrBits < 32 || gpaddrBits > 64) throw new CommandLine.ParameterException(cmd, "--gpaddr-bits must be between 32 and 64, not " + gpaddrBits);
        XenVersion version;
        java.util.regex.Matcher m = XEN_VERSION.matcher(xenVersion);
        if (!m.matches()) throw new CommandLine.ParameterException(cmd, "--xen-version must be MAJOR.MINOR (e.g. 4.21), not '" + xenVersion + "'");
        version = new XenVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        VsidMap.Mode mode = switch (sidMode.toLowerCase(Locale.ROOT)) {
            case "virtual" -> VsidMap.Mode.VIRTUAL;
            case "physical" -> VsidMap.Mode.PHYSICAL;
            default -> throw new CommandLine.ParameterException(cmd, "--sid-mode must be virtual or physical, not '" + sidMode + "'");
        };
        byte[] seed = null;
        if (rngSeed != null && !rngSeed.equals("none")) {
            if (rngSeed.equals("random")) {
                seed = new byte[org.xldt.xen.LibxlNodes.RNG_SEED_BYTES];
                new SecureRandom().nextBytes(seed);
            } else {
                String hex = rngSeed.startsWith("0x") ? rngSeed.substring(2) : rngSeed;
                if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+") || hex.length() > 2 * 4096) {
                    throw new CommandLine.ParameterException(cmd, "--rng-seed must be hexadecimal bytes (1 to 4096), none or random");
                }
                seed = HexFormat.of().parseHex(hex);
            }
        }
        return new Options(gic, gpaddrBits, version, seed, libxlNames, mode, 0);
    }

    // ---- files the configuration names -------------------------------------------------------

    private static Path resolve(Path baseDir, String file) {
        Path p = Path.of(file);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    private static String where(DomainConfig config, String key) {
        return LibxlGuestBuilder.valueLocation(config, key);
    }

    /** The kernel's segment from its image, or an assumed arm64 Image when the file is not there. */
    private static Kernel kernel(DomainConfig config, Path baseDir, List<String> notes) {
        if (config.kernel().isEmpty()) return LibxlLayout.assumedKernel(0, "no kernel");
        Path p = resolve(baseDir, config.kernel().get());
        Path at = Workspace.current().locate(p);
        if (!Files.isRegularFile(at)) return LibxlLayout.assumedKernel(0, "not found: " + p);
        try (InputStream in = Files.newInputStream(at)) {
            byte[] head = in.readNBytes(64);
            long size = Files.size(at);
            Workspace.current().noteRead(at);
            Optional<Kernel> k = LibxlLayout.probeKernel(head, size);
            if (k.isPresent()) return k.get();
            notes.add(where(config, "kernel") + ": warning: " + p + " is not an arm64 Image nor an arm32 zImage (libxl would find no loader); assuming an arm64 Image");
            return LibxlLayout.assumedKernel(size, "unknown format: " + p);
        } catch (IOException e) {
            throw new BadInputException(where(config, "kernel"), "cannot read the kernel " + p + ": " + Outputs.describe(e));
        }
    }

    /** The directory relative paths of a configuration file are resolved against. */
    static Path baseDir(String file) {
        return file.equals("-") ? Path.of("") : Optional.ofNullable(Path.of(file).getParent()).orElse(Path.of(""));
    }

    /** The files {@code config} names, read as libxl reads them ({@code ramdiskSize}: given size, or null for the file's). */
    static LibxlGuestBuilder.Inputs inputs(DomainConfig config, Path baseDir, Long ramdiskSize, List<String> notes) {
        return new LibxlGuestBuilder.Inputs(kernel(config, baseDir, notes), ramdiskSize(config, ramdiskSize, baseDir, notes),
                partial(config, baseDir));
    }

    /** --ramdisk-size, checked; null without it. */
    private Long givenRamdiskSize(CommandLine cmd) {
        if (ramdiskSizeArg == null) return null;
        long size;
        try {
            size = Long.decode(ramdiskSizeArg);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) throw new CommandLine.ParameterException(cmd, "--ramdisk-size must be a number of bytes, not '" + ramdiskSizeArg + "'");
        return size;
    }

    private static OptionalLong ramdiskSize(DomainConfig config, Long ramdiskSize, Path baseDir, List<String> notes) {
        if (config.ramdisk().isEmpty()) return OptionalLong.empty();
        if (ramdiskSize != null) return OptionalLong.of(ramdiskSize);
        Path p = resolve(baseDir, config.ramdisk().get());
        try {
            Path at = Workspace.current().locate(p);
            long size = Files.size(at);
            Workspace.current().noteRead(at);
            return OptionalLong.of(size);
        } catch (IOException e) {
            notes.add(where(config, "ramdisk") + ": warning: cannot read the ramdisk " + p + " (" + Outputs.describe(e)
                    + "): assuming 0 bytes; give --ramdisk-size for its real size");
            return OptionalLong.of(0);
        }
    }

    /** The partial device tree, DTB or DTS (libxl reads only DTB). */
    private static Optional<PartialTree> partial(DomainConfig config, Path baseDir) {
        if (config.deviceTree().isEmpty()) return Optional.empty();
        Path p = resolve(baseDir, config.deviceTree().get());
        byte[] data;
        try {
            if (Files.isDirectory(Workspace.current().locate(p))) {
                throw new BadInputException(where(config, "device_tree"), "failed to read the partial device file " + p + ": is a directory");
            }
            data = Workspace.current().readFile(p);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where(config, "device_tree"), "failed to read the partial device file " + p + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(where(config, "device_tree"), "failed to read the partial device file " + p + ": " + Outputs.describe(e));
        }
        String file = p.toString();
        return Optional.of(new PartialTree(file, DtInput.parse(data, DtInput.detect(data, file), file)));
    }

    // ---- JSON ------------------------------------------------------------------------------

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static ObjectNode region(Region r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("base", hex(r.base()));
        o.put("size", hex(r.size()));
        return o;
    }

    private static byte[] json(DomainConfig c, Options opts, LibxlGuestBuilder.Result r, int dtbSize) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode d = root.putObject("domain");
        d.put("name", c.name());
        d.put("type", c.type().xlName());
        d.put("memory_mib", c.memory().targetMiB());
        d.put("maxmem_mib", c.memory().maxMiB());
        d.put("vcpus", c.vcpus().online());
        d.put("maxvcpus", c.vcpus().max());
        c.kernel().ifPresent(k -> d.put("kernel", k));
        c.ramdisk().ifPresent(k -> d.put("ramdisk", k));
        c.cmdline().ifPresent(k -> d.put("cmdline", k));
        c.deviceTree().ifPresent(k -> d.put("device_tree", k));
        ArrayNode dt = d.putArray("dtdev");
        c.dtdevs().forEach(dt::add);
        ArrayNode irqs = d.putArray("irqs");
        c.irqs().forEach(irqs::add);
        ArrayNode iomem = d.putArray("iomem");
        for (DomainConfig.IomemRange io : c.iomem()) {
            ObjectNode o = iomem.addObject();
            o.put("start_pfn", hex(io.startPfn()));
            o.put("pages", hex(io.pages()));
            o.put("gfn", hex(io.gfn()));
        }
        ArrayNode pci = d.putArray("pci");
        r.pci().forEach(pci::add);
        d.put("passthrough", c.passthrough().xlName());
        d.put("gic_version", c.gicVersion().xlName());
        d.put("gic_version_effective", r.gic().xlName());
        d.put("vuart", c.vuart().xlName());
        d.put("nr_spis", r.nrSpis());
        ArrayNode virtio = d.putArray("virtio");
        for (LibxlGuestBuilder.Virtio v : r.virtio()) {
            ObjectNode o = virtio.addObject();
            o.put("type", v.device().type());
            o.put("backend", v.device().backend().orElse("Domain-0"));
            o.put("grant_usage", v.device().grantUsage());
            o.put("base", hex(v.base()));
            o.put("irq", v.spi());
        }
        d.put("tee", c.tee().xlName());
        d.put("viommu", c.viommu().xlName());

        ObjectNode h = root.putObject("host");
        h.put("gic", opts.hostGic().xlName());
        h.put("gpaddr_bits", opts.gpaddrBits());
        h.put("xen_version", opts.xenVersion().toString());
        h.put("rng_seed", opts.rngSeed() == null ? null : HexFormat.of().formatHex(opts.rngSeed()));

        ObjectNode l = root.putObject("layout");
        ArrayNode banks = l.putArray("ram_banks");
        r.layout().banks().forEach(b -> banks.add(region(b)));
        ObjectNode k = l.putObject("kernel");
        k.put("arch", r.layout().kernel().arch().guestType());
        k.put("start", hex(r.layout().kernel().vstart()));
        k.put("end", hex(r.layout().kernel().vend()));
        k.put("source", r.layout().kernel().note());
        if (r.layout().modules().ramdisk() != null) l.set("ramdisk", region(r.layout().modules().ramdisk()));
        l.set("dtb", region(r.layout().modules().dtb()));
        l.put("dtb_bytes_written", dtbSize);
        ArrayNode ext = l.putArray("extended_regions");
        r.layout().extendedRegions().forEach(e -> ext.add(region(e)));

        ObjectNode v = root.putObject("vsids");
        v.put("mode", r.vsids().mode().name().toLowerCase(Locale.ROOT));
        ArrayNode entries = v.putArray("entries");
        for (VsidMap.Entry e : r.vsids().entries()) {
            ObjectNode o = entries.addObject();
            o.put("vsid", hex(e.vsid()));
            o.put("count", e.count());
            o.put("psid", hex(e.psid()));
            if (e.smmu().isPresent()) {
                ObjectNode s = o.putObject("smmu");
                s.put("phandle", hex(e.smmu().get().phandle()));
                e.smmu().get().path().ifPresent(p -> s.put("path", p));
            } else {
                o.putNull("smmu");
            }
            o.put("source", e.source());
        }
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
