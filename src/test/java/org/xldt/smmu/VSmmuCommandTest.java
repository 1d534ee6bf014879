package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xldt.smmu.CmdLayout.Opcode;

/** Guest commands reach exactly their scope on the physical SMMUs; guest-visible faults. */
class VSmmuCommandTest {
    static final long IOVA = 0x3000_0000L;
    static final long BUF = XenFixture.RAM + 0xa0_0000L;

    private static long cdOf(XenFixture f, int vsid, int asid) {
        PageTableBuilder pt = f.s1();
        pt.mapPage(IOVA, BUF + 0x1000L * vsid, PageTableBuilder.S1_RW);
        long cd = f.cd(asid, pt);
        f.ste(vsid, SteBuilder.s1(cd));
        return cd;
    }

    @Test
    void cfgiCdInvalidatesThePhysicalCdOfThatStreamOnly() {
        XenFixture f = new XenFixture().init();
        cdOf(f, 0, 1);
        f.pa(0, IOVA, Access.READ);
        f.xen.dma(XenFixture.A, 0x11, 0, Access.READ); // the other domain's stream: S2 only
        ConfigCache cc = f.xen.host(XenFixture.A).smmu().configCache();
        assertTrue(cc.hasCd(0x10, 0));
        assertTrue(cc.hasSte(0x11));
        long before = f.xen.host(XenFixture.A).smmu().commandCount(Opcode.CFGI_CD);
        f.submit(Commands.cfgiCd(0, 0, true), Commands.sync(0));
        assertFalse(cc.hasCd(0x10, 0));
        assertTrue(cc.hasSte(0x10));
        assertTrue(cc.hasSte(0x11));
        assertEquals(before + 1, f.xen.host(XenFixture.A).smmu().commandCount(Opcode.CFGI_CD));
        // a vSID with no device behind it: nothing reaches the physical SMMUs
        long issued = f.xen.host(XenFixture.A).commandsIssued();
        f.submit(Commands.cfgiCdAll(9), Commands.cfgiSte(9, true), Commands.prefetchConfig(9));
        assertEquals(issued, f.xen.host(XenFixture.A).commandsIssued());
    }

    @Test
    void cfgiSteRangeReshadowsEveryStreamInRangeAndNoOther() {
        XenFixture f = new XenFixture().init();
        cdOf(f, 0, 1);
        cdOf(f, 1, 2);
        f.drv.streamTable().put(0, SteBuilder.abort());
        f.drv.streamTable().put(1, SteBuilder.bypass());
        f.submit(Commands.cfgiSteRange(2, 0), Commands.sync(0)); // vSIDs 2..3: nobody
        assertEquals(VSmmu.Shadow.NESTED, f.vsmmu.stream(0).shadow());
        assertEquals(VSmmu.Shadow.NESTED, f.vsmmu.stream(1).shadow());
        f.submit(Commands.cfgiSteRange(1, 0), Commands.sync(0)); // vSIDs 0..1
        assertEquals(VSmmu.Shadow.ABORT, f.vsmmu.stream(0).shadow());
        assertEquals(VSmmu.Shadow.BYPASS, f.vsmmu.stream(1).shadow());
        assertEquals(f.guest.p2m().translate(BUF), f.pa(1, BUF, Access.READ)); // bypass = IPA
        f.drv.streamTable().put(0, SteBuilder.bypass());
        f.submit(Commands.cfgiAll(), Commands.sync(0));
        assertEquals(VSmmu.Shadow.BYPASS, f.vsmmu.stream(0).shadow());
    }

    @Test
    void prefetchGoesToThePhysicalStream() {
        XenFixture f = new XenFixture().init();
        Smmu b = f.xen.host(XenFixture.B).smmu();
        long before = b.commandCount(Opcode.PREFETCH_CONFIG);
        f.submit(Commands.prefetchConfig(1), Commands.sync(0));
        assertEquals(before + 1, b.commandCount(Opcode.PREFETCH_CONFIG));
        assertEquals(0, f.xen.host(XenFixture.A).smmu().commandCount(Opcode.PREFETCH_CONFIG));
    }

    @Test
    void rangeTlbiKeepsItsRangeOnTheDomainsVmid() {
        XenFixture f = new XenFixture().init();
        PageTableBuilder pt = f.s1();
        for (int p = 0; p < 8; p++) {
            pt.mapPage(IOVA + p * 0x1000L, BUF + p * 0x1000L, PageTableBuilder.S1_RW);
        }
        f.ste(0, SteBuilder.s1(f.cd(5, pt)));
        for (int p = 0; p < 8; p++) {
            f.pa(0, IOVA + p * 0x1000L, Access.READ);
        }
        Iotlb tlb = f.xen.host(XenFixture.A).smmu().iotlb();
        // pages 2..5: NUM = 3, SCALE = 0, TG = 4K, TTL = 3
        f.submit(Commands.tlbiRange(Opcode.TLBI_NH_VA, 0, 5, IOVA + 0x2000, true, Granule.G4K,
                3, 3, 0), Commands.sync(0));
        List<Long> left = tlb.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED)
                .map(TlbEntry::inBase).sorted().toList();
        assertEquals(List.of(IOVA, IOVA + 0x1000, IOVA + 0x6000, IOVA + 0x7000), left);
        assertTrue(tlb.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED)
                .allMatch(e -> e.vmid() == f.guest.vmid()));
    }

    @Test
    void syncWithIrqSignalsTheGuest() {
        XenFixture f = new XenFixture().init();
        long c = f.vsmmu.irq("combined").pulses();
        f.submit(Commands.sync(CmdLayout.CS_IRQ));
        assertEquals(1, f.vsmmu.irq("cmdq-sync").pulses());
        assertEquals(c + 1, f.vsmmu.irq("combined").pulses());
    }

    @Test
    void guestStreamTableFaultsReachTheGuestAsItsOwnEvents() {
        XenFixture f = new XenFixture().init();
        // RECINVSID = 1: C_BAD_STREAMID is recorded (no level 2 table for vSID 1 yet)
        f.drv.write(Reg.CR2, Regs.CR2.RECINVSID.mask());
        f.submit(Commands.cfgiSte(1, false), Commands.sync(0));
        assertInstanceOf(DmaResult.Fault.class, f.dma(1, IOVA, Access.READ));
        List<Event> ev = f.guestEvents();
        assertEquals(1, ev.size());
        assertEquals(EventType.C_BAD_STREAMID, ev.get(0).type());
        assertEquals(1, ev.get(0).sid());
        // an L1 descriptor pointing outside the guest's RAM: F_STE_FETCH at the guest address
        long l1 = f.drv.streamTable().l1Address(0);
        long bad = 0x7ff0_0000L;
        f.gmem().writeLongs(l1, new long[] {SteLayout.L1STD_SPAN.insert(bad, 9)}, 0, 1);
        f.submit(Commands.cfgiSte(0, false), Commands.sync(0));
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA, Access.READ));
        ev = f.guestEvents();
        assertEquals(1, ev.size());
        assertEquals(EventType.F_STE_FETCH, ev.get(0).type());
        assertEquals(0, ev.get(0).sid());
        assertEquals(bad, ev.get(0).addr());
    }

    @Test
    void unmappedGuestEventQueueRaisesGuestGerror() {
        XenFixture f = new XenFixture().init();
        cdOf(f, 0, 1);
        f.drv.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.SMMUEN.mask());
        f.drv.write(Reg.EVENTQ_BASE, 0x7000_0000L | 4); // not the guest's memory
        f.drv.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.SMMUEN.mask()
                | Regs.CR0.EVENTQEN.mask());
        long g = f.vsmmu.irq("gerror").pulses();
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA + 0x10_0000L, Access.READ));
        long active = f.vsmmu.mmioRead(Reg.GERROR.offset, 4)
                ^ f.vsmmu.mmioRead(Reg.GERRORN.offset, 4);
        assertTrue(Regs.GERROR.EVENTQ_ABT_ERR.isSet(active));
        assertEquals(g + 1, f.vsmmu.irq("gerror").pulses());
    }

    @Test
    void cdAtAnUnmappedIpaIsAStage2FaultForXen() {
        XenFixture f = new XenFixture().init();
        f.ste(0, SteBuilder.s1(0x5000_0000L)); // inside the IPA space, no RAM there
        int log = f.xen.xenLog().size();
        DmaResult.Fault fault = assertInstanceOf(DmaResult.Fault.class,
                f.dma(0, IOVA, Access.READ));
        assertTrue(fault.event().s2());
        assertEquals(EvtLayout.CLASS_CD, fault.event().clazz());
        assertTrue(f.guestEvents().isEmpty());
        assertEquals(log + 1, f.xen.xenLog().size());
    }

    @Test
    void xenUnmappingGuestMemoryInvalidatesTheSmmus() {
        XenFixture f = new XenFixture().init();
        cdOf(f, 0, 1);
        long pa = f.pa(0, IOVA, Access.WRITE);
        f.guest.unmap(BUF, 0x1000);
        assertFalse(f.guest.owns(pa));
        int log = f.xen.xenLog().size();
        DmaResult.Fault fault = assertInstanceOf(DmaResult.Fault.class,
                f.dma(0, IOVA, Access.WRITE));
        assertTrue(fault.event().s2());
        assertEquals(EventType.F_TRANSLATION, fault.event().type());
        assertEquals("stage2_fault", f.xen.xenLog().get(log).message());
    }

    @Test
    void theOtherDomainsFaultsNeverReachThisGuest() {
        XenFixture f = new XenFixture().init();
        SmmuDriver od = new SmmuDriver(f.other.vsmmu(), f.other.memory(),
                new TableAllocator(XenFixture.RAM + 0x10_0000L, 0x40_0000L)).init(8, 16, true);
        od.streamTable().steAddress(0);
        assertTrue(od.submitAndWait(10, Commands.cfgiSte(0, false), Commands.sync(0)));
        assertInstanceOf(DmaResult.Fault.class, f.xen.dma(f.other, 0, IOVA, Access.READ));
        assertEquals(1, od.drainEvents().size());
        assertTrue(f.guestEvents().isEmpty());
    }

    @Test
    void eventRoutingRulesAreNamedAndOrdered() {
        Event s1 = new Event(EventType.F_TRANSLATION, 1, false, 0, false, false, true, false,
                EvtLayout.CLASS_IN, false, 0x1000, 0);
        Event s2 = new Event(EventType.F_TRANSLATION, 1, false, 0, false, false, true, true,
                EvtLayout.CLASS_IN, false, 0x1000, 0x4000_0000L);
        Event bste = Event.config(EventType.C_BAD_STE, 1, -1);
        Event fetch = new Event(EventType.F_CD_FETCH, 1, false, 0, false, false, false, false,
                0, false, 0, 0x1_0000_0000L);
        assertEquals("guest_stage1_fault", route(s1, true, true, false));
        assertEquals("stage2_fault", route(s2, true, true, false));
        assertEquals("unassigned_stream", route(s1, false, false, false));
        assertEquals("no_vsmmu", route(s1, true, false, false));
        assertEquals("guest_stream_table_entry", route(bste, true, true, true));
        assertEquals("xen", route(bste, true, true, false));
        assertEquals("xen", route(fetch, true, true, false));
        assertEquals("guest_context_descriptor",
                route(Event.config(EventType.C_BAD_CD, 1, -1), true, true, false));
    }

    private static String route(Event e, boolean assigned, boolean vsmmu, boolean unusable) {
        return EventRouting.route(new EventRouting.Context(e, assigned, vsmmu, unusable)).name();
    }
}
