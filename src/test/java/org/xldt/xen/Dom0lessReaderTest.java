package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xldt.dt.DeviceTree;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xlcfg.Diagnostic;

/** The system and domU files, and the placement of a domU's DTB and initrd by Xen. */
class Dom0lessReaderTest {
    final Map<Path, byte[]> files = new LinkedHashMap<>();

    void file(String name, String text) {
        files.put(Path.of("s", name), text.getBytes(StandardCharsets.UTF_8));
    }

    Dom0lessReader.Result read() {
        return Dom0lessReader.read(Path.of("s/system.cfg"), p -> {
            byte[] b = files.get(p);
            if (b == null) throw new NoSuchFileException(p.toString());
            return b;
        });
    }

    static List<String> messages(Dom0lessReader.Result r) {
        return r.diagnostics().stream().map(Diagnostic::headline).toList();
    }

    @Test
    void defaultsFollowImageBuilder() {
        file("system.cfg", "host_dtb = \"h.dtb\"\ndom0_kernel = \"Image\"\ndom0_mem = 512\ndom0_vcpus = 2\ndomus = [ \"a.cfg\" ]\nload_cmd = \"sd\"\n");
        file("a.cfg", "name = \"a\"\nkernel = \"k/Image\"\n");
        Dom0lessReader.Result r = read();
        assertTrue(r.ok(), r.diagnostics().toString());
        Dom0lessSystem s = r.system();
        assertEquals("console=dtuart dtuart=serial0 dom0_mem=512M dom0_max_vcpus=2 bootscrub=0 vwfi=native sched=null", s.xenCmdline());
        assertEquals("load mmc 0:1", s.loadCmd());
        assertEquals(Path.of("s/h.dtb"), s.hostDtb());
        Dom0lessDomain a = s.domUs().get(0);
        assertEquals(Path.of("s/k/Image"), a.kernel());
        assertTrue(a.vpl011(), "vpl011 defaults to 1, as ImageBuilder's DOMU_VPL011");
        assertEquals(Dom0lessDomain.Enhanced.ENABLED, a.enhanced(), "with dom0, xen,enhanced defaults to enabled");
        assertEquals(32 << 10, a.memoryKiB(), "xl's default memory");
        assertFalse(a.directMap());
    }

    @Test
    void dom0SettingsAppendToAGivenCommandLine() {
        file("system.cfg", "host_dtb = \"h.dtb\"\nxen_cmdline = \"console=dtuart\"\ndom0_kernel = \"Image\"\ndom0_mem = 512\n");
        assertEquals("console=dtuart dom0_mem=512M", read().system().xenCmdline());
        file("system.cfg", "host_dtb = \"h.dtb\"\nxen_cmdline = \"dom0_mem=1G\"\ndom0_kernel = \"Image\"\ndom0_mem = 512\n");
        assertEquals(List.of("s/system.cfg:4:12: error: dom0_mem is given twice: here and in xen_cmdline"), messages(read()));
    }

    @Test
    void staticMemoryGivesTheMemoryAndDirectMapByDefault() {
        file("system.cfg", "host_dtb = \"h.dtb\"\ndomus = [ \"a.cfg\" ]\n");
        file("a.cfg", "name = \"a\"\nkernel = \"Image\"\nstatic_mem = [ \"0x50000000,0x8000000\", \"0x60000000,0x200000\" ]\n");
        Dom0lessDomain a = read().system().domUs().get(0);
        assertEquals((0x8000000L + 0x200000L) >> 10, a.memoryKiB());
        assertTrue(a.directMap(), "ImageBuilder's DOMU_DIRECT_MAP defaults to 1 with static memory");
        assertEquals(Dom0lessDomain.Enhanced.DISABLED, a.enhanced(), "no dom0: no xen,enhanced");
    }

    @Test
    void dom0lessKeysAreKnownAndOthersWarned() {
        file("system.cfg", "host_dtb = \"h.dtb\"\ndomus = [ \"a.cfg\" ]\nmemory_strat = 0\n");
        file("a.cfg", "name = \"a\"\nkernel = \"Image\"\nvpl011 = 0\nxen_enhanced = \"no-xenstore\"\nirqs = [ 40 ]\nvif = [ \"\" ]\n");
        Dom0lessReader.Result r = read();
        assertTrue(r.ok());
        assertEquals(List.of(
                "s/system.cfg:3:1: warning: unknown setting 'memory_strat' in a dom0less system file (ignored)",
                "s/a.cfg:5:8: warning: 'irqs' has no dom0less equivalent and is ignored",
                "s/a.cfg:6:7: warning: 'vif' has no dom0less equivalent and is ignored"), messages(r));
        assertFalse(r.system().domUs().get(0).vpl011());
    }

    @Test
    void badDom0lessValues() {
        file("system.cfg", "host_dtb = \"h.dtb\"\ndomus = [ \"a.cfg\" ]\n");
        file("a.cfg", "name = \"a b\"\nkernel = \"Image\"\nxen_enhanced = \"maybe\"\nstatic_mem = [ \"0x50000001,0x1000\", \"x\" ]\n"
                + "direct_map = 1\nvpl011 = \"yes\"\n");
        assertEquals(List.of(
                "s/a.cfg:1:8: error: domain name \"a b\" cannot be a device-tree node name",
                "s/a.cfg:3:16: error: unknown xen_enhanced value \"maybe\"",
                "s/a.cfg:4:16: error: static memory bank \"0x50000001,0x1000\" is not page-aligned",
                "s/a.cfg:4:37: error: bad static memory bank \"x\"",
                "s/a.cfg:5:14: error: direct_map needs static_mem: a direct-mapped domain lives in the host memory given by static_mem",
                "s/a.cfg:6:10: error: parameter 'vpl011' is not a valid number"), messages(read()));
    }

    @Test
    void xenPlacesTheDtbAt128MiBAndTheInitrdAfterIt() {
        file("system.cfg", "host_dtb = \"h.dtb\"\ndomus = [ \"a.cfg\", \"b.cfg\" ]\n");
        file("a.cfg", "name = \"a\"\nkernel = \"Image\"\nmemory = 1024\n");
        file("b.cfg", "name = \"b\"\nkernel = \"Image\"\nmemory = 64\n");
        List<Dom0lessDomain> ds = read().system().domUs();
        DomUTreeBuilder.Kernel k = new DomUTreeBuilder.Kernel(KernelImage.of(ModulePlacementTest.arm64Image(4096, 0x1380000, 0)), 0x1380000);
        Region bank0 = DomUTreeBuilder.ramBanks(ds.get(0)).get(0);
        assertEquals(new Region(0x40000000L, 1024L << 20), bank0);
        assertEquals(0x48200000L, DomUTreeBuilder.placeModules(ds.get(0), bank0, k, 0x1000, 0x5000));
        // 64 MiB: no room above 128 MiB, so the end of the bank
        Region small = DomUTreeBuilder.ramBanks(ds.get(1)).get(0);
        assertEquals(0x44000000L - (4L << 20) + (2L << 20), DomUTreeBuilder.placeModules(ds.get(1), small, k, 0x1000, 0x5000));
        assertEquals(List.of(new Region(0x40000000L, 0xC0000000L), new Region(0x200000000L, 1L << 30)),
                DomUTreeBuilder.ramBanks(withMemory(ds.get(0), 4L << 10)));
    }

    @Test
    void extendedRegionsSkipXenRegRanges() {
        List<Region> banks = List.of(new Region(0x40000000L, 256L << 20));
        List<Region> ext = DomUTreeBuilder.extendedRegions(banks, List.of(new Region(0x60000000L, 0x1000)), 40);
        assertEquals(List.of(new Region(0x50000000L, 0x10000000L), new Region(0x60200000L, 0x9fe00000L), new Region(0x200000000L, 0xfe00000000L)), ext);
    }

    @Test
    void aPartialTreeGoesFirstWithoutItsXenProperties() {
        DeviceTree partial = org.xldt.dt.DtsReader.read("p.dts", """
                /dts-v1/;
                / { #address-cells = <2>; #size-cells = <2>;
                    gic { phandle = <0x100>; interrupt-controller; #interrupt-cells = <3>; };
                    aliases { x = "/passthrough/dev@1000"; };
                    passthrough { compatible = "simple-bus"; ranges; #address-cells = <2>; #size-cells = <2>;
                        dev@1000 { reg = <0 0x1000 0 0x100>; xen,reg = <0 0x1000 0 0x1000 0 0x1000>; xen,path = "/dev"; }; };
                    other { };
                };""", Path.of("."));
        file("system.cfg", "host_dtb = \"h.dtb\"\ndomus = [ \"a.cfg\" ]\n");
        file("a.cfg", "name = \"a\"\nkernel = \"Image\"\nmemory = 256\nvpl011 = 0\n");
        Dom0lessDomain a = read().system().domUs().get(0);
        XenHost host = new XenHost(org.xldt.dt.DtsReader.read("h.dts", """
                /dts-v1/;
                / { #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&intc>;
                    cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; }; };
                    intc: interrupt-controller@8000000 { compatible = "arm,cortex-a15-gic"; #interrupt-cells = <3>; interrupt-controller;
                        reg = <0 0x8000000 0 0x1000 0 0x8010000 0 0x2000>; };
                    timer { compatible = "arm,armv7-timer"; clock-frequency = <62500000>; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
                };""", Path.of(".")), "h.dts", Dom0Settings.read(XenCmdline.parse(""), "cmdline"));
        DomUTreeBuilder.Kernel k = new DomUTreeBuilder.Kernel(KernelImage.of(ModulePlacementTest.arm64Image(4096, 0x1000, 0)), 0x1000);
        DeviceTree t = DomUTreeBuilder.build(host, a, Optional.of(partial), k, 0, 40);
        assertEquals(List.of("aliases", "passthrough", "chosen", "cpus", "memory@40000000", "interrupt-controller@3001000", "timer", "psci"),
                t.root().children().stream().map(org.xldt.dt.Node::name).toList());
        org.xldt.dt.Node dev = t.find("/passthrough/dev@1000");
        assertEquals(List.of("reg"), dev.properties().stream().map(org.xldt.dt.Property::name).toList());
        org.xldt.dt.Node gic = t.find("/interrupt-controller@3001000");
        assertEquals(0x100, gic.phandle(), "the partial tree's /gic lends its phandle");
        assertEquals(List.of("arm,gic-400"), gic.strings("compatible"));
        assertEquals(62500000L, t.find("/timer").u32("clock-frequency", 0));
        assertEquals(0x100L, t.find("/timer").u32("interrupt-parent", 0));
    }

    private static Dom0lessDomain withMemory(Dom0lessDomain d, long mib) {
        return new Dom0lessDomain(d.file(), d.config(), d.kernel(), d.ramdisk(), d.deviceTree(), d.vpl011(), d.enhanced(), d.directMap(),
                d.staticMem(), mib << 10);
    }
}
