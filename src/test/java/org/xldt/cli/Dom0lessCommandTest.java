package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code xldt dom0less} from the command line: the example systems give their goldens, every
 * bad input gives one located error line and exit status 1, and a failing run writes nothing.
 */
class Dom0lessCommandTest {
    static final Path EXAMPLES = Path.of("examples/dom0less").toAbsolutePath();
    static final Path BIN = EXAMPLES.resolve("bin");
    static final Path AGILEX = Path.of("examples/hosts/socfpga_agilex5_socdk_modular+mem.dtb").toAbsolutePath();
    static final Path FVP = Path.of("examples/hosts/fvp-base-revc.dtb").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run xldt(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, out, new PrintWriter(err));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** A system file on {@code host} with dom0 (unless {@code dom0} is false) and the given domU files. */
    Path system(Path host, boolean dom0, String... domus) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("host_dtb = \"").append(host).append("\"\n");
        sb.append("xen = \"").append(BIN.resolve("xen")).append("\"\n");
        if (dom0) sb.append("dom0_kernel = \"").append(BIN.resolve("Image-dom0")).append("\"\n");
        sb.append("domus = [ ");
        for (int i = 0; i < domus.length; i++) sb.append(i == 0 ? "" : ", ").append('"').append(domus[i]).append('"');
        sb.append(" ]\n");
        return file("system.cfg", sb.toString());
    }

    /** A domU file; {@code extra} lines follow name, kernel and memory. */
    Path domu(String file, String name, String... extra) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("name = \"").append(name).append("\"\n");
        sb.append("kernel = \"").append(BIN.resolve("Image-domu")).append("\"\n");
        for (String e : extra) sb.append(e).append('\n');
        return file(file, sb.toString());
    }

    /** Runs a system that must fail: exit 1, {@code expected} as the first stderr line, nothing written. */
    void fails(Path system, String expected) throws IOException {
        Path out = dir.resolve("out").resolve("boot.dtb");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "previous contents");
        Run r = xldt("dom0less", system.toString(), "-o", out.toString(), "--domu-dir", dir.resolve("out/domu").toString(),
                "--uboot-script", dir.resolve("out/boot.source").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(expected, r.err().lines().filter(l -> l.contains("error")).findFirst().orElse(r.err()));
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals("previous contents", Files.readString(out), "the old output is left alone");
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of(out), s.toList(), "nothing else is written, no temporary file is left");
        }
    }

    // ---- the acceptance errors ------------------------------------------------------------------

    @Test
    void dtdevMissingFromTheHostTree() throws IOException {
        Path d = domu("a.cfg", "a", "dtdev = [ \"/soc@0/ethernet@10830004\" ]");
        fails(system(AGILEX, true, "a.cfg"), d + ":3:11: error: dtdev /soc@0/ethernet@10830004 is not in the host device tree");
    }

    @Test
    void dtdevWithoutUnitAddressesSuggestsTheFullPath() throws IOException {
        Path d = domu("a.cfg", "a", "dtdev = [ \"/soc/ethernet@10830000\" ]");
        fails(system(AGILEX, true, "a.cfg"), d + ":3:11: error: dtdev /soc/ethernet@10830000 is not in the host device tree"
                + " (did you mean /soc@0/ethernet@10830000?)");
    }

    @Test
    void aDeviceGivenToTwoDomUs() throws IOException {
        Path a = domu("a.cfg", "a", "dtdev = [ \"/soc@0/ethernet@10830000\" ]");
        Path b = domu("b.cfg", "b", "memory = 64", "dtdev = [ \"/soc@0/dma-bus@10db0000/dma-controller@0\", \"/soc@0/ethernet@10830000\" ]");
        fails(system(AGILEX, true, "a.cfg", "b.cfg"), b + ":4:55: error: device /soc@0/ethernet@10830000 is given to two domUs: a ("
                + a + ":3:11) and b");
    }

    @Test
    void overlappingStaticMemory() throws IOException {
        Path a = domu("a.cfg", "a", "static_mem = [ \"0x8c0000000,0x10000000\" ]");
        Path b = domu("b.cfg", "b", "static_mem = [ \"0x880000000,0x8000000\", \"0x8c8000000,0x1000000\" ]");
        fails(system(FVP, false, "a.cfg", "b.cfg"), b + ":3:41: error: static memory 0x8c8000000-0x8c8ffffff of b overlaps"
                + " 0x8c0000000-0x8cfffffff of a (" + a + ":3:16)");
    }

    @Test
    void aMissingKernelFile() throws IOException {
        Path a = file("a.cfg", "name = \"a\"\nkernel = \"no-such-Image\"\n");
        fails(system(FVP, false, "a.cfg"), a + ":2:10: error: the kernel of a " + dir.resolve("no-such-Image") + " does not exist");
    }

    @Test
    void twoDomUsWithTheSameName() throws IOException {
        Path a = domu("a.cfg", "twin");
        Path b = domu("b.cfg", "twin");
        fails(system(FVP, false, "a.cfg", "b.cfg"), b + ":1:8: error: two domUs are named \"twin\": " + a + " and " + b);
    }

    // ---- more bad inputs ----------------------------------------------------------------------------

    @Test
    void devicesSharingARegisterPageCannotGoToTwoDomUs() throws IOException {
        // Agilex 5's timers 0 and 1 sit in the same 4 KiB page, and have no IOMMU: the IOMMU check comes first
        domu("a.cfg", "a", "dtdev = [ \"/soc@0/timer0@10c03000\" ]");
        fails(system(AGILEX, true, "a.cfg"), dir.resolve("a.cfg") + ":3:11: error: /soc@0/timer0@10c03000 has no iommus: it is not behind"
                + " an IOMMU, so Xen refuses to assign it (xldt does not generate xen,force-assign-without-iommu, which leaves DMA unprotected)");
    }

    @Test
    void aDisabledDevice() throws IOException {
        Path a = domu("a.cfg", "a", "dtdev = [ \"/soc@0/ethernet@10810000\" ]");
        fails(system(AGILEX, true, "a.cfg"), a + ":3:11: error: dtdev /soc@0/ethernet@10810000 is disabled in the host device tree"
                + " (status = \"disabled\")");
    }

    @Test
    void xensOwnDevicesCannotBeGiven() throws IOException {
        Path a = domu("a.cfg", "a", "dtdev = [ \"/soc@0/iommu@16000000\" ]");
        fails(system(AGILEX, true, "a.cfg"), a + ":3:11: error: dtdev /soc@0/iommu@16000000 cannot be given to a domain: it is an IOMMU Xen drives");
    }

    @Test
    void iomemThatMapsNoDeviceRegister() throws IOException {
        Path a = domu("a.cfg", "a", "dtdev = [ \"/soc@0/ethernet@10830000\" ]", "iomem = [ \"0x10000,1\" ]");
        fails(system(AGILEX, true, "a.cfg"), a + ":4:11: error: iomem range 0x10000,1 maps no register of a dtdev device: a dom0less"
                + " domain gets MMIO only through its passed-through devices (iomem only moves their guest address)");
    }

    @Test
    void guestAddressesOnTheDomainsRam() throws IOException {
        Path a = domu("a.cfg", "a", "dtdev = [ \"/soc@0/ethernet@10830000\" ]", "iomem = [ \"0x10830,4@0x40000\" ]");
        fails(system(AGILEX, true, "a.cfg"), a + ":3:11: error: the registers of /soc@0/ethernet@10830000 at guest address 0x40000000-0x40003fff"
                + " overlap the domain's RAM bank 0 (0x40000000-0x41ffffff); map them elsewhere with iomem = [ \"MFN,NR@GFN\" ]");
    }

    @Test
    void staticMemoryOutsideHostRam() throws IOException {
        Path a = domu("a.cfg", "a", "static_mem = [ \"0x100000000,0x10000000\" ]");
        fails(system(FVP, false, "a.cfg"), a + ":3:16: error: static memory 0x100000000-0x10fffffff of a is not within the host's RAM");
    }

    @Test
    void staticMemoryThatDiffersFromMemory() throws IOException {
        Path a = domu("a.cfg", "a", "memory = 128", "static_mem = [ \"0x8c0000000,0x10000000\" ]");
        fails(system(FVP, false, "a.cfg"), a + ":3:10: error: memory (128 MiB) differs from the static memory (256 MiB)");
    }

    @Test
    void binariesThatDoNotFit() throws IOException {
        domu("a.cfg", "a");
        Path s = system(FVP, false, "a.cfg");
        Files.writeString(s, Files.readString(s) + "memory_start = 0x80000000\nmemory_end = 0x81000000\n");
        fails(s, s + ":5:14: error: the binaries do not fit: they need memory up to 0x82000000 but memory_end is 0x81000000"
                + " (ImageBuilder: \"not enough memory to load all binaries\")");
    }

    @Test
    void dom0SettingsWithoutDom0() throws IOException {
        domu("a.cfg", "a");
        Path s = system(FVP, false, "a.cfg");
        Files.writeString(s, Files.readString(s) + "dom0_mem = 512\n");
        fails(s, s + ":4:12: error: 'dom0_mem' without dom0_kernel: a system without dom0 takes no dom0 settings");
    }

    @Test
    void aKernelWithoutABootHeader() throws IOException {
        Path a = file("a.cfg", "name = \"a\"\nkernel = \"" + BIN.resolve("initrd-domu.cpio") + "\"\n");
        fails(system(FVP, false, "a.cfg"), a + ":2:10: error: " + BIN.resolve("initrd-domu.cpio")
                + " is neither an arm64 Image nor an arm32 zImage (no boot header): Xen cannot load it");
    }

    @Test
    void xenstoreWithoutDom0() throws IOException {
        Path a = domu("a.cfg", "a", "xen_enhanced = \"enabled\"");
        fails(system(FVP, false, "a.cfg"), a + ":3:16: error: xen_enhanced = \"enabled\" needs a xenstore domain, and this system has no dom0");
    }

    @Test
    void aMissingDomUFile() throws IOException {
        Path s = system(FVP, false, "nope.cfg");
        fails(s, s + ":3:11: error: cannot read " + dir.resolve("nope.cfg") + ": no such file");
    }

    @Test
    void aMissingHostDtb() throws IOException {
        domu("a.cfg", "a");
        Path s = system(dir.resolve("nope.dtb"), false, "a.cfg");
        fails(s, s + ":1:12: error: the host device tree " + dir.resolve("nope.dtb") + " does not exist");
    }

    @Test
    void scriptWithoutXenImage() throws IOException {
        domu("a.cfg", "a");
        Path s = file("system.cfg", "host_dtb = \"" + FVP + "\"\ndomus = [ \"a.cfg\" ]\n");
        fails(s, s + ": error: --uboot-script needs the Xen image: add xen = \"xen\" to the system file");
    }

    // ---- outputs ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"one-domu", "smmu-passthrough", "true-dom0less"})
    void theExamplesFromTheCommandLine(String name) throws IOException {
        Path expected = EXAMPLES.resolve(name).resolve("expected");
        Path out = dir.resolve("o");
        Run r = xldt("dom0less", "examples/dom0less/" + name + "/system.cfg", "-o", out.resolve("boot.dtb").toString(),
                "--domu-dir", out.resolve("domu").toString(), "--uboot-script", out.resolve("boot.source").toString(), "--caret=never");
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(expected.resolve("stderr.txt")), r.err());
        assertEquals(Files.readString(expected.resolve("stdout.txt")),
                r.out().replace(out.toString(), "examples/dom0less/" + name + "/expected"));
        List<Path> golden;
        try (Stream<Path> s = Files.walk(expected)) {
            golden = s.filter(p -> p.toString().endsWith(".dtb") || (p.toString().endsWith(".dts") && p.startsWith(expected.resolve("domu"))))
                    .sorted().toList();
        }
        assertFalse(golden.isEmpty());
        for (Path g : golden) {
            Path mine = out.resolve(expected.relativize(g));
            assertTrue(Files.exists(mine), mine.toString());
            assertArrayEquals(Files.readAllBytes(g), Files.readAllBytes(mine), g.toString());
        }
        try (Stream<Path> s = Files.walk(out)) {
            long written = s.filter(Files::isRegularFile).count();
            // every DTB, the domU DTS files and the script
            assertEquals(golden.size() + 1, written);
        }
        String script = Files.readString(out.resolve("boot.source"));
        assertTrue(script.endsWith("setenv fdt_high 0xffffffffffffffff\nbooti " + script.lines()
                .filter(l -> l.endsWith("bin/xen")).findFirst().orElseThrow().split(" ")[name.equals("true-dom0less") ? 3 : 1]
                + " - " + script.lines().filter(l -> l.endsWith("boot.dtb")).findFirst().orElseThrow().split(" ")[name.equals("true-dom0less") ? 3 : 1] + "\n"), script);
    }

    @Test
    void aFailureWhileWritingLeavesNoOutput() throws IOException {
        Path out = dir.resolve("boot.dtb");
        Path notADir = file("domu", "a file where --domu-dir wants a directory");
        Run r = xldt("dom0less", "examples/dom0less/true-dom0less/system.cfg", "-o", out.toString(), "--domu-dir", notADir.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith(notADir.resolve("rtos.dtb") + ": error: cannot write"), r.err());
        assertFalse(Files.exists(out), "boot.dtb is not written when another output fails");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(notADir), s.toList());
        }
    }

    @Test
    void standardOutputIsNotAnOutputFile() {
        Run r = xldt("dom0less", "examples/dom0less/one-domu/system.cfg", "-o", "-");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("xldt: -o must name a file"), r.err());
    }

    @Test
    void twoOutputsOnOneFile() throws IOException {
        Path out = dir.resolve("boot.dtb");
        Run r = xldt("dom0less", "examples/dom0less/true-dom0less/system.cfg", "-o", out.toString(), "--uboot-script", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(out + ": error: two outputs would be written to this file\n", r.err());
        assertFalse(Files.exists(out));
    }
}
