package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xldt.xen.GuestMemoryMap;

/**
 * Acceptance 2: a guest drives its vSMMU as Linux's arm-smmu-v3 driver does (probe the IDRs,
 * queues and a 2-level stream table in guest memory, STE and CD, CFGI_STE + SYNC, map, DMA,
 * unmap + TLBI, DMA fault) and the test checks DMA results, events and interrupts.
 */
class VSmmuLinuxDriverTest {
    static final long IOVA = 0x1000_0000L;
    static final long BUF = XenFixture.RAM + 0x80_0000L;

    @Test
    void probeSeesStage1OnlyAnd2LevelStreamTable() {
        XenFixture f = new XenFixture();
        VSmmu v = f.vsmmu;
        assertEquals(GuestMemoryMap.VSMMUV3.base(), v.base());
        assertSame(v, f.guest.vsmmuAt(GuestMemoryMap.VSMMUV3.base() + 0x3ffff));
        assertEquals(GuestMemoryMap.VSMMU_SPI, v.virq());
        long idr0 = v.mmioRead(Reg.IDR0.offset, 4);
        assertEquals(1, Regs.IDR0.S1P.get(idr0));
        assertEquals(0, Regs.IDR0.S2P.get(idr0));
        assertEquals(1, Regs.IDR0.ST_LVL.get(idr0)); // 2-level
        assertEquals(Regs.IDR0.TTF_AARCH64, Regs.IDR0.TTF.get(idr0));
        assertEquals(0, Regs.IDR0.MSI.get(idr0));
        assertEquals(0, Regs.IDR0.HYP.get(idr0));
        long idr1 = v.mmioRead(Reg.IDR1.offset, 4);
        assertEquals(16, Regs.IDR1.SIDSIZE.get(idr1));
        assertEquals(0, Regs.IDR1.SSIDSIZE.get(idr1));
        long idr5 = v.mmioRead(Reg.IDR5.offset, 4);
        assertEquals(SmmuConfig.oasEncoding(f.guest.p2m().ipaBits()), Regs.IDR5.OAS.get(idr5));
        assertEquals(1, Regs.IDR5.GRAN4K.get(idr5));
        // page 1: EVENTQ_PROD/CONS
        assertEquals(0, v.mmioRead(Reg.EVENTQ_PROD.offset, 4));
    }

    @Test
    void linuxLikeGuestTranslatesThroughNestedStages() {
        XenFixture f = new XenFixture();
        // before the guest enables its vSMMU, its devices are confined by Xen's stage 2 alone
        assertEquals(f.guest.p2m().translate(BUF), f.pa(0, BUF, Access.READ));
        f.init();
        long irqs = f.vsmmu.irq("combined").pulses();
        // enabled, no level 2 table yet: C_BAD_STREAMID, not recorded (CR2.RECINVSID = 0)
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA, Access.READ));
        assertTrue(f.guestEvents().isEmpty());
        assertEquals(EventType.C_BAD_STREAMID, f.vsmmu.stream(0).guestFault());
        // level 2 table present, STE V = 0: the guest gets C_BAD_STE with its vSID
        f.drv.streamTable().steAddress(0);
        f.submit(Commands.cfgiSte(0, false), Commands.sync(CmdLayout.CS_NONE));
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA, Access.READ));
        List<Event> ev = f.guestEvents();
        assertEquals(1, ev.size());
        assertEquals(EventType.C_BAD_STE, ev.get(0).type());
        assertEquals(0, ev.get(0).sid());
        assertEquals(irqs + 1, f.vsmmu.irq("combined").pulses());

        PageTableBuilder pt = f.s1();
        pt.mapPage(IOVA, BUF, PageTableBuilder.S1_RW);
        long cd = f.cd(7, pt);
        f.ste(0, SteBuilder.s1(cd));
        assertEquals(VSmmu.Shadow.NESTED, f.vsmmu.stream(0).shadow());
        long[] pste = f.vsmmu.stream(0).host().ste(0x10);
        assertEquals(SteLayout.CONFIG_NESTED, SteLayout.CONFIG.get(pste));
        assertEquals(f.guest.vmid(), SteLayout.S2VMID.get(pste));

        byte[] data = "hello, nested DMA".getBytes(StandardCharsets.US_ASCII);
        DmaResult w = f.xen.dmaWrite(XenFixture.A, 0x10, IOVA + 0x123, data);
        DmaResult.Ok ok = assertInstanceOf(DmaResult.Ok.class, w);
        assertEquals(f.guest.p2m().translate(BUF + 0x123), ok.pa());
        assertTrue(f.guest.owns(ok.pa()));
        assertFalse(f.other.owns(ok.pa()));
        byte[] back = new byte[data.length];
        assertTrue(f.gmem().read(BUF + 0x123, back, 0, back.length));
        assertArrayEquals(data, back);

        // unmap without TLBI: the IOTLB still holds the translation (the guest must invalidate)
        pt.unmap(IOVA, 3);
        assertEquals(ok.pa() - 0x123, f.pa(0, IOVA, Access.READ));
        long before = f.vsmmu.irq("combined").pulses();
        int log = f.xen.xenLog().size();
        f.submit(Commands.tlbiNhVa(0, 7, IOVA, true), Commands.sync(CmdLayout.CS_NONE));
        DmaResult.Fault fault = assertInstanceOf(DmaResult.Fault.class,
                f.dma(0, IOVA + 8, Access.WRITE));
        assertEquals(EventType.F_TRANSLATION, fault.event().type());
        ev = f.guestEvents();
        assertEquals(1, ev.size());
        Event e = ev.get(0);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertEquals(0, e.sid()); // the vSID, not pSID 0x10
        assertEquals(IOVA + 8, e.inputAddr());
        assertFalse(e.s2());
        assertFalse(e.rnw());
        assertEquals(before + 1, f.vsmmu.irq("combined").pulses());
        assertEquals(before + 1, f.vsmmu.irq("eventq").pulses());
        assertEquals(log, f.xen.xenLog().size(), "a stage 1 fault is the guest's, not Xen's");
    }

    @Test
    void secondDeviceOnAnotherPhysicalSmmuKeepsItsVsid() {
        XenFixture f = new XenFixture().init();
        PageTableBuilder pt0 = f.s1();
        PageTableBuilder pt1 = f.s1();
        pt0.mapPage(IOVA, BUF, PageTableBuilder.S1_RW);
        pt1.mapPage(IOVA, BUF + 0x1000, PageTableBuilder.S1_RO);
        f.ste(0, SteBuilder.s1(f.cd(1, pt0)));
        f.ste(1, SteBuilder.s1(f.cd(2, pt1)));
        assertEquals(f.guest.p2m().translate(BUF), f.pa(0, IOVA, Access.WRITE));
        assertEquals(f.guest.p2m().translate(BUF + 0x1000), f.pa(1, IOVA, Access.READ));
        // a write through the read-only mapping: F_PERMISSION for vSID 1 (pSID 0x20 of B)
        DmaResult.Fault pf = assertInstanceOf(DmaResult.Fault.class,
                f.dma(1, IOVA, Access.WRITE));
        assertEquals(0x20, pf.event().sid());
        List<Event> ev = f.guestEvents();
        assertEquals(1, ev.size());
        assertEquals(EventType.F_PERMISSION, ev.get(0).type());
        assertEquals(1, ev.get(0).sid());
    }

    @Test
    void stage2FaultGoesToXenNeverToTheGuest() {
        XenFixture f = new XenFixture().init();
        PageTableBuilder pt = f.s1();
        // the guest maps an IOVA to an IPA outside its RAM
        pt.mapPage(IOVA, 0x8000_0000L, PageTableBuilder.S1_RW);
        f.ste(0, SteBuilder.s1(f.cd(3, pt)));
        long irqs = f.vsmmu.irq("combined").pulses();
        int log = f.xen.xenLog().size();
        DmaResult.Fault fault = assertInstanceOf(DmaResult.Fault.class,
                f.dma(0, IOVA, Access.READ));
        assertTrue(fault.event().s2());
        assertTrue(f.guestEvents().isEmpty());
        assertEquals(irqs, f.vsmmu.irq("combined").pulses());
        List<XenLogEntry> l = f.logSince(log);
        assertEquals(1, l.size());
        assertEquals("guest", l.get(0).domain());
        assertEquals("stage2_fault", l.get(0).message());
        assertEquals(0x10, l.get(0).event().sid());
        assertEquals(0x8000_0000L, l.get(0).event().addr()); // the IPA
    }

    @Test
    void guestCannotReachAnotherDomainsMemory() {
        XenFixture f = new XenFixture().init();
        PageTableBuilder pt = f.s1();
        // map every page of the first 4 GiB the guest could name as an IPA: only its RAM maps
        long otherPa = f.other.p2m().translate(XenFixture.RAM);
        pt.mapPage(IOVA, otherPa, PageTableBuilder.S1_RW); // the other domain's PA, as an IPA
        pt.mapPage(IOVA + 0x1000, XenFixture.RAM, PageTableBuilder.S1_RW);
        f.ste(0, SteBuilder.s1(f.cd(4, pt)));
        DmaResult r = f.dma(0, IOVA, Access.WRITE);
        if (r instanceof DmaResult.Ok ok) {
            assertTrue(f.guest.owns(ok.pa()));
        }
        long pa = f.pa(0, IOVA + 0x1000, Access.WRITE);
        assertTrue(f.guest.owns(pa));
        assertFalse(f.other.owns(pa));
    }

    @Test
    void dom0VsmmuSitsAtThePhysicalAddressWithIdentitySids() {
        long ram = 0x8000_0000L;
        XenSystem xen = new XenSystem(List.of(new XenSystem.HostSpec(XenFixture.A,
                SmmuConfig.builder().build(), 74)));
        Domain d0 = xen.addDomain(XenSystem.DomainSpec.dom0(
                List.of(new XenSystem.Ram(ram, 8L << 20)),
                List.of(new XenSystem.StreamSpec(0x42, XenFixture.A, 0x42))));
        VSmmu v = d0.vsmmu();
        assertEquals(XenFixture.A, v.base());
        assertSame(v, d0.vsmmuAt(XenFixture.A + Reg.EVENTQ_PROD.offset));
        assertNull(d0.vsmmuAt(XenFixture.A + Reg.WINDOW));
        assertEquals(74, v.virq());
        assertEquals(0, d0.domid());
        assertEquals(ram + 0x5000, d0.p2m().translate(ram + 0x5000)); // identity
        TableAllocator alloc = new TableAllocator(ram, 4L << 20);
        SmmuDriver drv = new SmmuDriver(v, d0.memory(), alloc).init(8, 16, true);
        PageTableBuilder pt = PageTableBuilder.stage1(d0.memory(), Granule.G4K, 16, alloc);
        pt.mapPage(IOVA, ram + 0x60_0000L, PageTableBuilder.S1_RW);
        long cd = alloc.alloc(64, 64);
        CdBuilder.of(9, Granule.G4K, 16, pt.root()).writeTo(d0.memory(), cd);
        drv.streamTable().put(0x42, SteBuilder.s1(cd));
        assertTrue(drv.submitAndWait(100, Commands.cfgiSte(0x42, true), Commands.sync(0)));
        DmaResult.Ok ok = assertInstanceOf(DmaResult.Ok.class,
                xen.dma(XenFixture.A, 0x42, IOVA + 4, Access.READ));
        assertEquals(ram + 0x60_0004L, ok.pa());
        assertInstanceOf(DmaResult.Fault.class, xen.dma(XenFixture.A, 0x42, 0, Access.READ));
        List<Event> ev = drv.drainEvents();
        assertEquals(1, ev.size());
        assertEquals(0x42, ev.get(0).sid());
    }

    @Test
    void illegalCommandRaisesGerrorAndStopsTheQueueUntilAcknowledged() {
        XenFixture f = new XenFixture().init();
        long g = f.vsmmu.irq("gerror").pulses();
        long comb = f.vsmmu.irq("combined").pulses();
        f.drv.submit(Commands.tlbiS12Vmall(1), Commands.sync(0)); // no stage 2 in the vSMMU
        assertEquals(CmdLayout.CERROR_ILL, f.drv.commandError());
        assertEquals(g + 1, f.vsmmu.irq("gerror").pulses());
        assertEquals(comb + 1, f.vsmmu.irq("combined").pulses());
        long cons = f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4);
        long prod = f.vsmmu.mmioRead(Reg.CMDQ_PROD.offset, 4);
        assertNotEquals(prod & 0x1ff, cons & 0x1ff, "the queue stopped on the bad command");
        f.drv.skipFailedCommand();
        assertEquals(0, f.drv.commandError());
        assertEquals(prod, f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4) & 0xfffff);
    }
}
