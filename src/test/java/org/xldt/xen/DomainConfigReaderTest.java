package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xldt.xen.DomainConfig.CpuItem;
import org.xldt.xen.DomainConfig.DomainType;
import org.xldt.xen.DomainConfig.GicVersion;
import org.xldt.xen.DomainConfig.IomemRange;
import org.xldt.xen.DomainConfig.Passthrough;
import org.xldt.xen.DomainConfig.Tee;
import org.xldt.xen.DomainConfig.Viommu;
import org.xldt.xen.DomainConfig.Vuart;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.ParseResult;
import org.xldt.xlcfg.XlCfgReader;
import org.xldt.xlcfg.XlSource;

/** Each DomainConfig key: its default, a valid value, and an invalid value reported at its line and column. */
class DomainConfigReaderTest {
    /** Two lines every guest needs; the line under test is line 3. */
    static final String BASE = "name = \"g\"\nkernel = \"/boot/Image\"\n";

    static DomainConfigReader.Result read(String text) {
        ParseResult p = XlCfgReader.read(XlSource.ofString("t.cfg", text));
        assertTrue(p.ok(), () -> "parse: " + p.diagnostics());
        return DomainConfigReader.read(p.config());
    }

    static DomainConfig ok(String extra) {
        DomainConfigReader.Result r = read(BASE + extra);
        assertTrue(r.ok(), () -> "expected no error, got " + r.diagnostics());
        return r.config();
    }

    /** The single error of BASE + extra; checks its line, column and message. */
    static Diagnostic error(String extra, int line, int column, String message) {
        return errorIn(BASE + extra, line, column, message);
    }

    static Diagnostic errorIn(String text, int line, int column, String message) {
        DomainConfigReader.Result r = read(text);
        assertFalse(r.ok());
        assertNull(r.config());
        List<Diagnostic> errors = r.errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        Diagnostic d = errors.get(0);
        assertEquals("t.cfg", d.location().source());
        assertEquals(line, d.location().line(), d::toString);
        assertEquals(column, d.location().column(), d::toString);
        assertTrue(d.message().contains(message), () -> "message: " + d.message());
        return d;
    }

    static List<Diagnostic> warnings(String extra) {
        DomainConfigReader.Result r = read(BASE + extra);
        assertTrue(r.ok(), () -> "errors: " + r.diagnostics());
        return r.diagnostics().stream().filter(d -> !d.isError()).toList();
    }

    // ---- name ------------------------------------------------------------------------

    @Test
    void nameIsRequired() {
        errorIn("kernel = \"/k\"\nmemory = 64\n", 1, 1, "Domain name must be specified");
    }

    @Test
    void nameValid() {
        assertEquals("guest-1", ok("name = \"guest-1\"\n").name());
    }

    @Test
    void nameInvalid() {
        error("name = [\"a\"]\n", 3, 8, "'name' must be a single value");
        error("name = \"\"\n", 3, 8, "empty");
    }

    // ---- type ------------------------------------------------------------------------

    @Test
    void typeDefaultsToPvh() {
        assertEquals(DomainType.PVH, ok("").type());
    }

    @Test
    void typeValid() {
        assertEquals(DomainType.PVH, ok("type = \"pvh\"\n").type());
        // xl matches a prefix: "pv" and "p" read as PV, which libxl converts to PVH on Arm
        assertEquals(DomainType.PVH, ok("type = \"pv\"\n").type());
        assertTrue(warnings("type = \"p\"\n").get(0).message().contains("Converting PV guest to PVH"));
    }

    @Test
    void typeInvalid() {
        error("type = \"kvm\"\n", 3, 8, "Invalid domain type kvm.");
        error("type = \"hvm\"\n", 3, 8, "HVM guests are not supported on Arm");
        error("type = \"\"\n", 3, 8, "HVM guests are not supported on Arm (xl reads \"\" as \"hvm\")");
    }

    // ---- memory / maxmem -------------------------------------------------------------

    @Test
    void memoryDefaults() {
        assertEquals(new DomainConfig.Memory(32, 32), ok("").memory());
        assertEquals(new DomainConfig.Memory(512, 512), ok("memory = 512\n").memory());
        assertEquals(new DomainConfig.Memory(1024, 1024), ok("maxmem = 1024\n").memory());
    }

    @Test
    void memoryValid() {
        DomainConfig c = ok("memory = 0x200\nmaxmem = \"1024\"\n");
        assertEquals(512, c.memory().targetMiB());
        assertEquals(1024, c.memory().maxMiB());
        assertEquals(512L << 20, c.memory().targetBytes());
    }

    @Test
    void memoryInvalid() {
        error("memory = \"512M\"\n", 3, 10, "parameter 'memory' is not a valid number");
        error("memory = 08\n", 3, 10, "is not a valid number");
        error("memory = \"0\"\n", 3, 10, "must be a positive number of MiB");
        error("memory = \"99999999999999999999\"\n", 3, 10, "Numerical result out of range");
        error("memory = 512\nmemory += 1\n", 4, 11, "can't use += with numbers");
    }

    @Test
    void maxmemInvalid() {
        error("maxmem = [1]\n", 3, 10, "is a list but should be a single value");
        error("memory = 512\nmaxmem = 256\n", 4, 10, "maxmem (256 MiB) is smaller than memory (512 MiB)");
    }

    // ---- vcpus / maxvcpus ------------------------------------------------------------

    @Test
    void vcpusDefaults() {
        assertEquals(new DomainConfig.Vcpus(1, 1), ok("").vcpus());
        assertEquals(new DomainConfig.Vcpus(4, 4), ok("vcpus = 4\n").vcpus());
    }

    @Test
    void vcpusValid() {
        assertEquals(new DomainConfig.Vcpus(2, 8), ok("vcpus = 2\nmaxvcpus = 8\n").vcpus());
    }

    @Test
    void vcpusInvalid() {
        error("vcpus = 0\n", 3, 9, "'vcpus' must be between 1 and 128");
        error("vcpus = 129\n", 3, 9, "must be between 1 and 128");
        error("vcpus = \"two\"\n", 3, 9, "not a valid number");
    }

    @Test
    void maxvcpusInvalid() {
        error("vcpus = 4\nmaxvcpus = 2\n", 4, 12, "xl: maxvcpus < vcpus");
        error("maxvcpus = 200\n", 3, 12, "between 1 and 128");
    }

    // ---- cpus ------------------------------------------------------------------------

    @Test
    void cpusDefaultAbsent() {
        assertEquals(Optional.empty(), ok("").cpus());
    }

    @Test
    void cpusValid() {
        DomainConfig.CpuAffinity a = ok("cpus = \"0-3,^2,node:1,all\"\n").cpus().orElseThrow();
        assertFalse(a.perVcpu());
        assertEquals(List.of(new CpuItem(false, false, false, 0, 3), new CpuItem(true, false, false, 2, 2),
                new CpuItem(false, true, false, 1, 1), new CpuItem(false, false, true, 0, 0)), a.sets().get(0).items());
        DomainConfig.CpuAffinity l = ok("cpus = [\"2\", \"3-4\"]\n").cpus().orElseThrow();
        assertTrue(l.perVcpu());
        assertEquals(2, l.sets().size());
    }

    @Test
    void cpusInvalid() {
        error("cpus = \"3-1\"\n", 3, 8, "Invalid pcpu range: 3-1.");
        error("cpus = \"x\"\n", 3, 8, "Invalid pcpu range: x.");
        error("cpus = \"^all\"\n", 3, 8, "Can't combine \"^\" and \"all\".");
        error("cpus = [\"1\", \"1-\"]\n", 3, 14, "Invalid pcpu range: 1-.");
    }

    // ---- kernel / ramdisk / device_tree ----------------------------------------------

    @Test
    void kernelRequired() {
        errorIn("name = \"g\"\n", 1, 1, "Neither kernel nor bootloader specified");
        assertTrue(read("name = \"g\"\nbootloader = \"pygrub\"\n").ok());
    }

    @Test
    void kernelValid() {
        assertEquals(Optional.of("/boot/Image"), ok("").kernel());
    }

    @Test
    void kernelInvalid() {
        errorIn("name = \"g\"\nkernel = [\"/a\"]\n", 2, 10, "'kernel' must be a single value");
    }

    @Test
    void ramdisk() {
        assertEquals(Optional.empty(), ok("").ramdisk());
        assertEquals(Optional.of("/boot/initrd.img"), ok("ramdisk = \"/boot/initrd.img\"\n").ramdisk());
        error("ramdisk = [\"/a\", \"/b\"]\n", 3, 11, "'ramdisk' must be a single value");
    }

    @Test
    void deviceTree() {
        assertEquals(Optional.empty(), ok("").deviceTree());
        assertEquals(Optional.of("/etc/xen/passthrough.dtb"), ok("device_tree = \"/etc/xen/passthrough.dtb\"\n").deviceTree());
        error("device_tree = [ ]\n", 3, 15, "'device_tree' must be a single value");
    }

    // ---- cmdline / root / extra ------------------------------------------------------

    @Test
    void cmdlineDefaultAbsent() {
        assertEquals(Optional.empty(), ok("").cmdline());
    }

    @Test
    void cmdlineRules() {
        assertEquals(Optional.of("console=hvc0"), ok("cmdline = \"console=hvc0\"\n").cmdline());
        assertEquals(Optional.of("root=/dev/xvda ro"), ok("root = \"/dev/xvda\"\nextra = \"ro\"\n").cmdline());
        assertEquals(Optional.of("root=/dev/xvda"), ok("root = \"/dev/xvda\"\n").cmdline());
        assertEquals(Optional.of("console=hvc0"), ok("extra = \"console=hvc0\"\n").cmdline());
        assertEquals(Optional.of("a b"), ok("extra = \"a\"\nextra += \" b\"\n").cmdline());
        List<Diagnostic> w = warnings("root = \"/dev/x\"\ncmdline = \"c\"\n");
        assertEquals(1, w.size());
        assertEquals(3, w.get(0).location().line());
        assertTrue(w.get(0).message().contains("ignoring root= and extra= in favour of cmdline="));
        assertEquals(Optional.of("c"), ok("root = \"/dev/x\"\ncmdline = \"c\"\n").cmdline());
    }

    @Test
    void cmdlineInvalid() {
        error("extra = [\"a\"]\n", 3, 9, "'extra' must be a single value");
        error("cmdline = [\"a\"]\n", 3, 11, "'cmdline' must be a single value");
        error("root = [\"a\"]\n", 3, 8, "'root' must be a single value");
    }

    // ---- dtdev -----------------------------------------------------------------------

    @Test
    void dtdev() {
        assertEquals(List.of(), ok("").dtdevs());
        assertEquals(List.of("/soc/ethernet@ff0e0000", "/soc/dma@fd500000"),
                ok("dtdev = [ \"/soc/ethernet@ff0e0000\", \"/soc/dma@fd500000\" ]\n").dtdevs());
        error("dtdev = [ \"soc/eth\" ]\n", 3, 11, "is not an absolute device-tree path");
        error("dtdev = \"/soc/eth\"\n", 3, 9, "parameter 'dtdev' is a single value but should be a list");
    }

    @Test
    void dtdevStopsAtNestedList() {
        List<Diagnostic> w = warnings("dtdev = [\"/a\", [\"/b\"], \"/c\"]\n");
        assertEquals(1, w.size());
        assertEquals(16, w.get(0).location().column());
        assertEquals(List.of("/a"), ok("dtdev = [\"/a\", [\"/b\"], \"/c\"]\n").dtdevs());
    }

    // ---- iomem -----------------------------------------------------------------------

    @Test
    void iomem() {
        assertEquals(List.of(), ok("").iomem());
        assertEquals(List.of(new IomemRange(0x9c000, 1, 0x9c000), new IomemRange(0xff0a0, 0x10, 0x30000)),
                ok("iomem = [ \"0x9c000,1\", \"ff0a0,10@30000\" ]\n").iomem());
        assertEquals(0x9c000000L, new IomemRange(0x9c000, 1, 0x9c000).startAddress());
    }

    @Test
    void iomemInvalid() {
        error("iomem = [ \"0x9c000\" ]\n", 3, 11, "xl: Invalid argument parsing iomem: 0x9c000");
        error("iomem = [ \"1,2@\" ]\n", 3, 11, "Invalid argument parsing iomem");
        error("iomem = [ \"1 ,2\" ]\n", 3, 11, "Invalid argument parsing iomem");
        error("iomem = [ \"1,0\" ]\n", 3, 11, "has no pages");
        error("iomem = [ [\"1,2\"] ]\n", 3, 11, "xl: Unable to get element 0 in iomem list");
    }

    @Test
    void iomemParsesLikeSscanf() {
        assertEquals(Optional.of(new IomemRange(1, 2, 3)), DomainConfigReader.parseIomem(" 1, 2@ 3"));
        assertEquals(Optional.of(new IomemRange(1, 2, 0)), DomainConfigReader.parseIomem("1,2@0x"));
        assertEquals(Optional.of(new IomemRange(0x1f, 1, 0x1f)), DomainConfigReader.parseIomem("0X1F,1"));
        assertEquals(Optional.empty(), DomainConfigReader.parseIomem("1,0xg"));
    }

    // ---- irqs ------------------------------------------------------------------------

    @Test
    void irqs() {
        assertEquals(List.of(), ok("").irqs());
        assertEquals(List.of(40, 112), ok("irqs = [ 40, \"112\" ]\n").irqs());
    }

    @Test
    void irqsInvalid() {
        error("irqs = [ 40, \"0x30\" ]\n", 3, 14, "xl: Invalid argument parsing irq: 0x30");
        error("irqs = [ 27 ]\n", 3, 10, "IRQ 27 is not an SPI");
        error("irqs = [ 992 ]\n", 3, 10, "IRQ 992 is beyond the 960 SPIs");
        error("irqs = [ \"4294967295\" ]\n", 3, 10, "xl: irq ffffffff too big");
        error("irqs = [ 40, [41] ]\n", 3, 14, "xl: Unable to get element 1 in irq list");
        error("irqs = 40\n", 3, 8, "is a single value but should be a list");
    }

    // ---- passthrough -----------------------------------------------------------------

    @Test
    void passthroughDefault() {
        assertEquals(Passthrough.DISABLED, ok("").passthrough());
        assertEquals(Passthrough.SHARE_PT, ok("dtdev = [\"/soc/eth\"]\n").passthrough());
    }

    @Test
    void passthroughValid() {
        assertEquals(Passthrough.SHARE_PT, ok("passthrough = \"enabled\"\n").passthrough());
        assertEquals(Passthrough.SHARE_PT, ok("passthrough = \"Share_PT\"\n").passthrough());
        assertEquals(Passthrough.DISABLED, ok("passthrough = \"disabled\"\n").passthrough());
    }

    @Test
    void passthroughInvalid() {
        error("passthrough = \"on\"\n", 3, 15, "unknown passthrough option 'on'");
        error("passthrough = \"sync_pt\"\n", 3, 15, "passthrough=\"sync_pt\" not supported on ARM");
        error("passthrough = \"disabled\"\ndtdev = [\"/soc/eth\"]\n", 3, 15, "passthrough disabled but devices are specified");
    }

    // ---- gic_version -----------------------------------------------------------------

    @Test
    void gicVersion() {
        assertEquals(GicVersion.NATIVE, ok("").gicVersion());
        assertEquals(GicVersion.V3, ok("gic_version = \"v3\"\n").gicVersion());
        assertEquals(GicVersion.V2, ok("gic_version = \"V2\"\n").gicVersion());
        assertEquals(GicVersion.NATIVE, ok("gic_version = \"default\"\n").gicVersion());
    }

    @Test
    void gicVersionInvalid() {
        Diagnostic d = error("gic_version = \"native\"\n", 3, 15, "Unknown gic_version \"native\" specified");
        assertTrue(d.hints().get(0).contains("\"default\""));
        error("gic_version = \"v4\"\n", 3, 15, "Unknown gic_version \"v4\" specified");
        error("gic_version = \"v2\"\nvcpus = 9\n", 3, 15, "a GICv2 guest can have at most 8 vCPUs, not 9");
        assertTrue(warnings("gic_version = [\"v2\"]\n").get(0).message().contains("is a list and is ignored"));
    }

    // ---- vuart -----------------------------------------------------------------------

    @Test
    void vuart() {
        assertEquals(Vuart.NONE, ok("").vuart());
        assertEquals(Vuart.SBSA_UART, ok("vuart = \"sbsa_uart\"\n").vuart());
        error("vuart = \"pl011\"\n", 3, 9, "invalid value \"pl011\" for \"vuart\"");
        error("vuart = \"sbsa_uart\"\nirqs = [32]\n", 4, 9, "Physical IRQ 32 conflicting with pl011 SPI");
    }

    // ---- nr_spis ---------------------------------------------------------------------

    @Test
    void nrSpisDefaultIsComputed() {
        assertEquals(0, ok("").nrSpis());
        assertEquals(1, ok("vuart = \"sbsa_uart\"\n").nrSpis());
        assertEquals(2, ok("viommu = \"smmuv3\"\ndtdev = [\"/a\"]\n").nrSpis());
        assertEquals(81, ok("irqs = [ 112, 40 ]\n").nrSpis());
    }

    @Test
    void nrSpisValid() {
        assertEquals(200, ok("nr_spis = 200\nirqs = [ 112 ]\n").nrSpis());
    }

    @Test
    void nrSpisInvalid() {
        error("irqs = [ 112 ]\nnr_spis = 64\n", 4, 11, "Provided nr_spis value is too small (minimum required 81)");
        error("nr_spis = 961\n", 3, 11, "'nr_spis' must be between 0 and 960");
        error("nr_spis = \"x\"\n", 3, 11, "not a valid number");
    }

    // ---- tee -------------------------------------------------------------------------

    @Test
    void tee() {
        assertEquals(Tee.NONE, ok("").tee());
        assertEquals(Tee.OPTEE, ok("tee = \"optee\"\n").tee());
        assertEquals(Tee.FFA, ok("tee = \"FFA\"\n").tee());
        error("tee = \"trusty\"\n", 3, 7, "Unknown tee \"trusty\" specified");
    }

    // ---- viommu ----------------------------------------------------------------------

    @Test
    void viommuDefaultNone() {
        assertEquals(Viommu.NONE, ok("").viommu());
        assertFalse(ok("").hasVsmmu());
    }

    @Test
    void viommuValidAnyCase() {
        assertEquals(Viommu.SMMUV3, ok("viommu = \"smmuv3\"\ndtdev = [\"/a\"]\n").viommu());
        assertEquals(Viommu.SMMUV3, ok("viommu = \"SMMUv3\"\ndtdev = [\"/a\"]\n").viommu());
        assertEquals(Viommu.NONE, ok("viommu = \"NONE\"\n").viommu());
    }

    @Test
    void viommuInvalid() {
        Diagnostic d = error("viommu = \"smmuv2\"\n", 3, 10, "Unknown vIOMMU type \"smmuv2\" specified");
        assertTrue(d.hints().get(0).contains("\"none\", \"smmuv3\""));
        error("viommu = \"smmuv3\"\ndtdev = [\"/a\"]\nirqs = [33]\n", 5, 9, "Physical IRQ 33 conflicting with vSMMUv3 SPI");
        List<Diagnostic> w = warnings("viommu = \"smmuv3\"\n");
        assertTrue(w.get(0).message().contains("no passthrough devices"));
    }

    // ---- the rest --------------------------------------------------------------------

    @Test
    void unknownKeysAreKeptAndWarned() {
        DomainConfig c = ok("vcpu = 2\ndisk = [ \"phy:/dev/vg/g,xvda,w\" ]\n");
        assertEquals(List.of("vcpu", "disk"), c.others().stream().map(s -> s.name()).toList());
        assertEquals(List.of("vcpu"), c.unknownKeys().stream().map(s -> s.name()).toList());
        List<Diagnostic> w = warnings("vcpu = 2\nmemroy = 4\nfrobnicate = 1\n");
        assertEquals(3, w.size());
        assertEquals(List.of("did you mean 'vcpus'?"), w.get(0).hints());
        assertEquals(List.of("did you mean 'memory'?"), w.get(1).hints());
        assertEquals(5, w.get(2).location().line());
    }

    @Test
    void everyErrorIsReported() {
        DomainConfigReader.Result r = read(BASE + "memory = \"x\"\nvcpus = 0\nviommu = \"bad\"\ntee = \"bad\"\nirqs = [1]\n");
        assertEquals(List.of(3, 4, 5, 6, 7), r.errors().stream().map(d -> d.location().line()).toList());
    }

    @Test
    void locationOfKeys() {
        DomainConfig c = ok("viommu = \"smmuv3\"\ndtdev = [\"/a\"]\n");
        assertEquals(3, c.location("viommu").orElseThrow().line());
        assertEquals(Optional.empty(), c.location("irqs"));
    }
}
