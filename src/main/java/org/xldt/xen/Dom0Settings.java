package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.xldt.BadInputException;
import org.xldt.xlcfg.Diagnostic;

/**
 * What the Xen command line says about dom0's device tree, read with Xen's parameter rules
 * ({@link XenCmdline}). Values that Xen would reject are errors located in the command line.
 *
 * @param viommu          the vSMMUv3 series' {@code viommu} option: on for {@code viommu},
 *                        {@code viommu=1|true|on|yes|enable|smmuv3}
 * @param dom0MemBytes    {@code dom0_mem}, or Xen's default 512 MiB
 * @param dom0MemSet      whether {@code dom0_mem} was given
 * @param maxVcpus        {@code dom0_max_vcpus}; 0 means "as many as the host's usable CPUs"
 * @param consoleDtuart   whether {@code console=} names {@code dtuart} (Arm's default console)
 * @param dtuart          {@code dtuart=} (path or alias, optional {@code :options}); empty = from
 *                        {@code /chosen/stdout-path}
 * @param extRegions      {@code ext_regions} (default true)
 * @param gnttabMaxFrames {@code gnttab_max_frames} (default 64)
 * @param hmpUnsafe       {@code hmp-unsafe} (default false)
 * @param iommu           the leading boolean of {@code iommu=} (default true)
 * @param warnings        the command line's warnings (quoted values, long options, ...)
 */
public record Dom0Settings(boolean viommu, long dom0MemBytes, boolean dom0MemSet, int maxVcpus, boolean consoleDtuart,
        String dtuart, boolean extRegions, long gnttabMaxFrames, boolean hmpUnsafe, boolean iommu, List<String> warnings) {

    /** Xen's default dom0 memory without {@code dom0_mem} (and without CONFIG_DOM0_MEM). */
    public static final long DEFAULT_DOM0_MEM = 512L << 20;
    /** Xen on Arm allocates dom0's RAM in blocks of at least this size. */
    public static final long DOM0_MEM_GRANULE = 4L << 20;
    /** {@code MAX_VIRT_CPUS} on arm64. */
    public static final int MAX_VIRT_CPUS = GuestMemoryMap.MAX_VCPUS;
    /** Arm's default {@code console=}. */
    public static final String DEFAULT_CONSOLE = "dtuart";
    /** Size of Xen's {@code opt_console} and {@code opt_dtuart} buffers. */
    public static final int CONSOLE_SIZE = 30;
    public static final int DTUART_SIZE = 256;
    public static final long DEFAULT_GNTTAB_MAX_FRAMES = 64;

    /** Values of {@code viommu} that enable the vIOMMU (the RFC's boolean or v2/v3's "smmuv3"). */
    public static final Set<String> VIOMMU_ON = Set.of("", "1", "true", "on", "yes", "enable", "smmuv3");
    /** Values that leave it off. */
    public static final Set<String> VIOMMU_OFF = Set.of("0", "false", "off", "no", "disable", "none");

    /**
     * Reads the command line. {@code source} names it in error locations (e.g.
     * {@code --xen-cmdline} or {@code host.dtb: /chosen/xen,xen-bootargs}).
     */
    public static Dom0Settings read(XenCmdline cmdline, String source) {
        List<String> warnings = new ArrayList<>();
        boolean viommu = viommu(cmdline, source);

        long mem = DEFAULT_DOM0_MEM;
        boolean memSet = false;
        Optional<XenCmdline.Dom0Mem> dm = cmdline.dom0Mem();
        if (dm.isPresent()) {
            XenCmdline.Option o = cmdline.last("dom0_mem").get();
            XenCmdline.Dom0Mem m = dm.get();
            if (!m.armValid()) {
                throw error(source, o, "dom0_mem=" + o.value() + " is not a size: Xen on Arm takes one size such as dom0_mem=1G");
            }
            if (m.armBytes() <= 0 || m.armBytes() % DOM0_MEM_GRANULE != 0) {
                throw error(source, o, "dom0_mem=" + o.value() + " is not a positive multiple of 4 MiB, which Xen on Arm "
                        + "needs to allocate dom0's memory");
            }
            mem = m.armBytes();
            memSet = true;
        }

        int vcpus = 0;
        OptionalInt v = cmdline.dom0MaxVcpus();
        if (v.isPresent()) {
            long u = Integer.toUnsignedLong(v.getAsInt());
            vcpus = (int) Math.min(u, MAX_VIRT_CPUS);
        }

        String console = cmdline.string("console", CONSOLE_SIZE).orElse(DEFAULT_CONSOLE);
        boolean consoleDtuart = false;
        for (String item : console.split(",", -1)) consoleDtuart |= item.startsWith("dtuart");
        String dtuart = cmdline.string("dtuart", DTUART_SIZE).orElse("");

        boolean ext = cmdline.bool("ext_regions").orElse(true);
        long gnttab = DEFAULT_GNTTAB_MAX_FRAMES;
        var g = cmdline.integer("gnttab_max_frames");
        if (g.isPresent()) {
            if (g.getAsLong() <= 0) throw error(source, cmdline.last("gnttab_max_frames").get(), "gnttab_max_frames must be positive");
            gnttab = g.getAsLong();
        }
        boolean hmp = cmdline.bool("hmp-unsafe").orElse(false);
        boolean iommu = iommu(cmdline);

        for (Diagnostic d : cmdline.problems()) {
            if (d.isError()) throw new BadInputException(source + ":" + d.location().line() + ":" + d.location().column(), d.message());
            warnings.add(source + ":" + d.location().line() + ":" + d.location().column() + ": warning: " + d.message());
        }
        return new Dom0Settings(viommu, mem, memSet, vcpus, consoleDtuart, dtuart, ext, gnttab, hmp, iommu, List.copyOf(warnings));
    }

    private static boolean viommu(XenCmdline cmdline, String source) {
        boolean on = false;
        for (XenCmdline.Option o : cmdline.options()) {
            if (!o.key().equals("viommu")) continue;
            String value = o.value();
            boolean thisOn;
            if (VIOMMU_ON.contains(value)) thisOn = true;
            else if (VIOMMU_OFF.contains(value)) thisOn = false;
            else throw error(source, o, "viommu=" + value + " is not one of 1, true, on, yes, enable, smmuv3 (on) or 0, false, "
                    + "off, no, disable, none (off)");
            on = o.negated() != thisOn;
        }
        return on;
    }

    /** {@code iommu=}: a comma list whose boolean items (and force/required) switch the IOMMU on or off. */
    private static boolean iommu(XenCmdline cmdline) {
        boolean on = true;
        for (XenCmdline.Option o : cmdline.options()) {
            if (!o.key().equals("iommu")) continue;
            if (o.value().isEmpty()) {
                on = !o.negated();
                continue;
            }
            for (String item : o.value().split(",", -1)) {
                int b = XenCmdline.parseBool(item);
                if (b >= 0) on = b == 1;
                else if (item.equals("force") || item.equals("required")) on = true;
            }
        }
        return on;
    }

    private static BadInputException error(String source, XenCmdline.Option o, String message) {
        return new BadInputException(source + ":1:" + (o.offset() + 1), message);
    }

    /** The default settings (an empty command line). */
    public static Dom0Settings defaults() {
        return read(XenCmdline.parse(""), XenCmdline.SOURCE);
    }
}
