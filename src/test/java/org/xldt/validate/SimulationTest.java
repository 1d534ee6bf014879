package org.xldt.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtsReader;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.EventType;
import org.xldt.smmu.VSmmu;
import org.xldt.validate.Report.Outcome;
import org.xldt.validate.Simulation.DomainFacts;
import org.xldt.validate.Simulation.Facts;
import org.xldt.validate.Simulation.StreamFacts;
import org.xldt.validate.TopologyReader.Named;

/**
 * The simulation is real: the guest's driver finds the vSMMU and RAM in the guest tree alone and
 * programs the vSMMU through trapped MMIO; devices' DMA goes through the physical SMMU's nested
 * translation to the host page Xen backs the buffer with; an unmapped IOVA faults to the guest
 * with its vSID and interrupt; other domains' memory is out of reach. Fixtures:
 * {@code src/test/resources/validate/} (guest.dts + guest.json on host.dts).
 */
class SimulationTest {
    static final Path DIR = Path.of("src/test/resources/validate");

    static Named tree(String file) {
        return new Named(DtsReader.read(DIR.resolve(file)), file);
    }

    static DeviceTree guestWith(String extra) {
        return DtsReader.read("guest-mod.dts", "/include/ \"guest.dts\"\n" + extra, DIR.toAbsolutePath());
    }

    static byte[] map(String file) throws Exception {
        return Files.readAllBytes(DIR.resolve(file));
    }

    static Facts run(DeviceTree guest, String mapJson) throws Exception {
        return Simulation.run(TopologyReader.fromTrees(new Named(guest, "guest.dts"), Optional.of(tree("host.dts")),
                mapJson.getBytes(StandardCharsets.UTF_8), "map.json"));
    }

    static Facts run(DeviceTree guest) throws Exception {
        return run(guest, new String(map("guest.json"), StandardCharsets.UTF_8));
    }

    static StreamFacts stream(Facts f, String device) {
        return f.domains().get(0).streams().stream().filter(s -> s.device().equals(device)).findFirst().orElseThrow();
    }

    static Report.Check check(Report r, String device, String name) {
        return r.rows().stream().filter(x -> x.device().equals(device)).flatMap(x -> x.checks().stream()).filter(c -> c.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " for " + device + "\n" + ReportWriter.text(r)));
    }

    @Test
    void nestedDmaReachesTheHostPageXenBacksTheBufferWith() throws Exception {
        Facts f = run(tree("guest.dts").tree());
        StreamFacts dma = stream(f, "/passthrough/dma@9010000");
        assertEquals(0, dma.vsid());
        assertEquals(Optional.of(0x10L), dma.psid());
        assertEquals(0x2b400000L, dma.smmu().get().base());
        assertEquals(2, dma.buffers().size(), "the first and last pages of the one RAM bank");
        for (Simulation.BufferDma b : dma.buffers()) {
            DmaResult.Ok ok = assertInstanceOf(DmaResult.Ok.class, b.result());
            // the host page is Xen's (a domU's RAM starts at 4 GiB in XenSystem), not the IPA itself
            assertEquals(dma.xenDomain().p2m().translate(b.ipa()) + Simulation.DMA_OFFSET, ok.pa());
            assertTrue(ok.pa() >= 0x1_0000_0000L && ok.pa() != b.ipa() + Simulation.DMA_OFFSET, Long.toHexString(ok.pa()));
            assertTrue(b.dataSeen(), "the guest reads back what the device wrote");
        }
        assertEquals(List.of(0x40001000L, 0x4fffe000L), dma.buffers().stream().map(Simulation.BufferDma::ipa).toList());
    }

    @Test
    void theGuestProgramsTheVsmmuThroughTrapsAndXenNestsEachStream() throws Exception {
        Facts f = run(tree("guest.dts").tree());
        DomainFacts d = f.domains().get(0);
        VSmmu v = d.vsmmus().get(0).vsmmu().get();
        assertEquals(0x4040000L, v.base());
        assertTrue(v.traps() > 20, "register accesses trapped: " + v.traps());
        // CFGI_ALL, TLBI_NSNH_ALL, SYNC at probe; CFGI_STE + SYNC per attach (two devices and the foreign stream)
        assertTrue(v.commands() >= 3 + 2 * 3, "commands: " + v.commands());
        assertEquals(0, v.illegalCommands());
        assertEquals(VSmmu.Shadow.NESTED, v.stream(0).shadow());
        assertEquals(VSmmu.Shadow.NESTED, v.stream(1).shadow());
        assertEquals(0x20, v.stream(1).psid());
    }

    @Test
    void anUnmappedIovaFaultsToTheGuestWithItsVsidAndInterrupt() throws Exception {
        StreamFacts eth = stream(run(tree("guest.dts").tree()), "/passthrough/ethernet@9030000");
        Simulation.FaultProbe p = eth.fault().get();
        DmaResult.Fault ft = assertInstanceOf(DmaResult.Fault.class, p.result());
        assertEquals(0x20, ft.event().sid(), "the physical SMMU records the pSID");
        assertEquals(1, p.guestEvents().size());
        assertEquals(EventType.F_TRANSLATION, p.guestEvents().get(0).type());
        assertEquals(1, p.guestEvents().get(0).sid(), "the guest sees its vSID");
        assertEquals(Simulation.IOVA_UNMAPPED, p.guestEvents().get(0).inputAddr());
        assertEquals(Optional.of("combined"), p.irqName());
        assertTrue(p.irqRaised());
    }

    @Test
    void otherDomainsMemoryAndXensHeapAreOutOfReach() throws Exception {
        Topology one = TopologyReader.fromTrees(List.of(tree("guest.dts"), tree("guest.dts")), Optional.of(tree("host.dts")),
                List.of(map("guest.json"), map("other.json")), List.of("guest.json", "other.json"));
        Facts f = Simulation.run(one);
        StreamFacts s = f.domains().get(1).streams().get(0);
        // the guest aimed a device at the first domain's RAM (by its PA), Xen's heap and the IPA past its RAM
        assertEquals(3, s.foreign().size(), s.foreign().toString());
        assertTrue(s.foreign().get(0).what().startsWith("guest's RAM"));
        for (Simulation.ForeignDma x : s.foreign()) {
            DmaResult.Fault ft = assertInstanceOf(DmaResult.Fault.class, x.result(), x.what());
            assertTrue(ft.event().s2(), "stopped by Xen's stage 2: " + x.what());
        }
        Report r = ValidateChecks.report("two", f);
        assertTrue(r.ok(), ReportWriter.text(r));
    }

    @Test
    void theGuestCannotConfigureAStreamItWasNotGiven() throws Exception {
        DomainFacts d = run(tree("guest.dts").tree()).domains().get(0);
        Simulation.ForeignStream fs = d.vsmmus().get(0).foreignStream().get();
        assertEquals(2, fs.vsid(), "the first vSID Xen did not give (0 and 1 are the devices')");
        assertFalse(fs.vsmmuHasStream());
        assertTrue(fs.changedHostStes().isEmpty());
    }

    @Test
    void theDriverFindsTheVsmmuWhereTheTreeSaysOnly() throws Exception {
        Report r = ValidateChecks.report("t", run(guestWith("&vsmmu { reg = <0x0 0x5000000 0x0 0x40000>; };")));
        Report.Check c = check(r, Report.DOMAIN_ROW, "vsmmu");
        assertEquals(Outcome.FAIL, c.outcome());
        assertTrue(c.reason().contains("puts an SMMUv3 at 0x5000000 (/iommu@4040000), where Xen emulates none for guest"), c.reason());
        assertEquals(Outcome.SKIP, check(r, "/passthrough/dma@9010000", "dma").outcome());
        assertEquals("not run: the vsmmu check failed for the domain", check(r, "/passthrough/dma@9010000", "dma").reason());
    }

    @Test
    void theDriverPutsItsTablesInTheRamTheTreeNames() throws Exception {
        // the tree claims RAM at 2 GiB that Xen never mapped: the driver's queues land in a stage-2 hole
        Report r = ValidateChecks.report("t", run(guestWith("/ { memory@40000000 { reg = <0x0 0x80000000 0x0 0x10000000>; }; };")));
        Report.Check c = check(r, Report.DOMAIN_ROW, "vsmmu");
        assertEquals(Outcome.FAIL, c.outcome());
        assertTrue(c.reason().startsWith("Linux's driver failed on /iommu@4040000 (its tables at IPA 0x81000000)"), c.reason());
    }

    @Test
    void theEventInterruptIsTheOneTheTreeNames() throws Exception {
        Report eventq = ValidateChecks.report("t", run(guestWith("&vsmmu { interrupt-names = \"eventq\"; };")));
        assertTrue(eventq.ok(), ReportWriter.text(eventq));
        assertTrue(check(eventq, "/passthrough/dma@9010000", "fault").reason().endsWith("\"eventq\" interrupt raised"));

        Report gerror = ValidateChecks.report("t", run(guestWith("&vsmmu { interrupt-names = \"gerror\"; };")));
        assertEquals(List.of("guest (domain): vsmmu: /iommu@4040000: interrupt-names has neither \"combined\" nor \"eventq\" (it has [gerror]): "
                + "Linux's driver takes no event interrupt", "guest /passthrough/dma@9010000: fault: DMA to unmapped IOVA 0x70000000: "
                + "F_TRANSLATION is queued, but the SMMUv3 node names neither a \"combined\" nor an \"eventq\" interrupt, so Linux never hears of it",
                "guest /passthrough/ethernet@9030000: fault: DMA to unmapped IOVA 0x70000000: F_TRANSLATION is queued, but the SMMUv3 node "
                        + "names neither a \"combined\" nor an \"eventq\" interrupt, so Linux never hears of it"), gerror.failures());

        Report wrong = ValidateChecks.report("t", run(guestWith("&vsmmu { interrupts = <0 2 0xf04>; };")));
        assertEquals(List.of("guest (domain): vsmmu: /iommu@4040000: interrupt \"combined\" is 34 in the tree but Xen injects the vSMMU's "
                + "interrupt as 33"), wrong.failures());
    }

    @Test
    void twoMastersWithOneVsidAreRefusedAsLinuxDoes() throws Exception {
        Report r = ValidateChecks.report("t", run(guestWith("&eth { iommus = <&vsmmu 0>; };")));
        assertEquals(List.of("guest /passthrough/ethernet@9030000: psid-unique: vSID 0x0 is also /passthrough/dma@9010000's: Linux's driver "
                + "refuses a stream ID that two masters use, so the second gets no IOMMU"), r.failures());
    }

    @Test
    void iomemOverTheGuestsRamCollides() throws Exception {
        String json = new String(map("guest.json"), StandardCharsets.UTF_8).replace("\"irqs\" : [ 112, 114 ]",
                "\"iomem\" : [ { \"start_pfn\" : \"0x9010\", \"pages\" : \"0x1\", \"gfn\" : \"0x40000\" } ]");
        Report r = ValidateChecks.report("t", run(tree("guest.dts").tree(), json));
        assertEquals(List.of("guest (domain): mmio-disjoint: map.json: domain.iomem[0] maps host MMIO at [0x40000000, 0x40001000), over "
                + "RAM [0x40000000, 0x50000000)"), r.failures());
    }
}
