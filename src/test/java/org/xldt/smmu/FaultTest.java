package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every translation fault kind, with its event fields and recording rules (CD.R, STE.S2R). */
class FaultTest {
    static final long OUT = 0x40_0000_0000L;
    static final Granule G = Granule.G4K;

    /** S1-only stream 1 (ASID 1) with 4K tables for a 48-bit VA range. */
    static PageTableBuilder s1(Fixture f, CdBuilder cd) {
        PageTableBuilder pt = f.s1(G, 16);
        long a = f.cd(cd.tt0(G, 16, pt.root()));
        f.ste(1, SteBuilder.s1(a));
        return pt;
    }

    static PageTableBuilder s1(Fixture f) {
        return s1(f, new CdBuilder().asid(1));
    }

    static Event only(Fixture f) {
        List<Event> ev = f.events();
        assertEquals(1, ev.size(), ev.toString());
        return ev.get(0);
    }

    @Test
    void translationFaultStage1() {
        Fixture f = new Fixture();
        s1(f);
        Event e = f.fault(1, 0xdead_0000L, Access.PRIV_WRITE);
        assertEquals(e, only(f));
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertEquals(1, e.sid());
        assertFalse(e.ssv());
        assertFalse(e.s2());
        assertEquals(EvtLayout.CLASS_IN, e.clazz());
        assertTrue(e.pnu());
        assertFalse(e.rnw());
        assertFalse(e.ind());
        assertEquals(0xdead_0000L, e.inputAddr());
        assertEquals(0, e.addr(), "IPA is UNKNOWN (0) for stage 1 faults");
    }

    @Test
    void cdRZeroSuppressesTheRecord() {
        Fixture f = new Fixture();
        s1(f, new CdBuilder().asid(1).record(false));
        DmaResult r = f.dma(1, 0x1000, Access.READ);
        assertEquals(new DmaResult.Fault(((DmaResult.Fault) r).event(), false), r);
        assertTrue(f.events().isEmpty());
    }

    @Test
    void inputOutsideTheTtbRanges() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        assertEquals(EventType.F_TRANSLATION, f.fault(1, 1L << 48, Access.READ).type());
        assertEquals(EventType.F_TRANSLATION,
                f.fault(1, 0xff00_0000_0000_1000L, Access.READ).type(), "top byte without TBI");
        assertEquals(EventType.F_TRANSLATION,
                f.fault(1, 0xffff_8000_0000_0000L, Access.READ).type(), "EPD1 = 1");
    }

    @Test
    void topByteIgnore() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f, new CdBuilder().asid(1).set(CdLayout.TBI0, 1));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        assertEquals(OUT + 4, f.pa(1, 0xab00_0000_0000_1004L, Access.READ));
        assertEquals(OUT + 8, f.pa(1, 0x1008, Access.READ), "same TLB entry");
        assertEquals(1, f.smmu.iotlb().size());
    }

    @Test
    void ttb1Region() {
        Fixture f = new Fixture();
        PageTableBuilder hi = f.s1(G, 25);
        PageTableBuilder lo = f.s1(G, 25);
        long cd = f.cd(new CdBuilder().asid(1).tt0(G, 25, lo.root()).tt1(G, 25, hi.root()));
        f.ste(1, SteBuilder.s1(cd));
        hi.mapPage(0xffff_ff80_0000_1000L, OUT, PageTableBuilder.S1_RW);
        lo.mapPage(0x1000, OUT + 0x1000, PageTableBuilder.S1_RW);
        assertEquals(OUT, f.pa(1, 0xffff_ff80_0000_1000L, Access.READ));
        assertEquals(OUT + 0x1000, f.pa(1, 0x1000, Access.READ));
        assertEquals(EventType.F_TRANSLATION,
                f.fault(1, 0xffff_ff00_0000_1000L, Access.READ).type(), "below T1SZ range");
    }

    @Test
    void addressSizeFaults() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f, new CdBuilder().asid(1).ips(0)); // 32-bit IPA
        pt.mapPage(0x1000, 0x1_0000_0000L, PageTableBuilder.S1_RW);
        Event e = f.fault(1, 0x1000, Access.READ);
        assertEquals(EventType.F_ADDR_SIZE, e.type());
        assertFalse(e.s2());
        // a next-level table address beyond the IPS
        pt.setDescriptor(0x4000_0000L, 1, 0x2_0000_0000L | 3);
        assertEquals(EventType.F_ADDR_SIZE, f.fault(1, 0x4000_0000L, Access.READ).type());
        // descriptor bits [51:48] are RES0 with 48-bit addresses
        Fixture g = new Fixture();
        PageTableBuilder p2 = s1(g);
        p2.setDescriptor(0x1000, 3, 0x1_0000_0000_0000L | OUT | 3 | PageTableBuilder.S1_RW);
        assertEquals(EventType.F_ADDR_SIZE, g.fault(1, 0x1000, Access.READ).type());
    }

    @Test
    void accessFlagFaultAndAffd() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW & ~PteLayout.AF.mask());
        Event e = f.fault(1, 0x1000, Access.READ);
        assertEquals(EventType.F_ACCESS, e.type());
        Fixture g = new Fixture();
        PageTableBuilder p2 = s1(g, new CdBuilder().asid(1).set(CdLayout.AFFD, 1));
        p2.mapPage(0x1000, OUT, PageTableBuilder.S1_RW & ~PteLayout.AF.mask());
        assertEquals(OUT, g.pa(1, 0x1000, Access.READ));
    }

    @Test
    void stage1Permissions() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RO);
        pt.mapPage(0x2000, OUT, PageTableBuilder.S1_PRIV_RW);
        pt.mapPage(0x3000, OUT, PageTableBuilder.S1_RW | PteLayout.UXN.mask());
        pt.mapPage(0x4000, OUT, PageTableBuilder.S1_PRIV_RW | PteLayout.PXN.mask());
        assertEquals(OUT, f.pa(1, 0x1000, Access.READ));
        Event w = f.fault(1, 0x1000, Access.WRITE);
        assertEquals(EventType.F_PERMISSION, w.type());
        assertFalse(w.rnw());
        assertFalse(w.s2());
        assertEquals(OUT, f.pa(1, 0x2000, Access.PRIV_WRITE));
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x2000, Access.READ).type(),
                "AP[1] = 0: no unprivileged access");
        assertEquals(OUT, f.pa(1, 0x3000, Access.WRITE));
        Event x = f.fault(1, 0x3000, Access.INSTR);
        assertEquals(EventType.F_PERMISSION, x.type());
        assertTrue(x.ind());
        assertTrue(x.rnw());
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x4000, Access.PRIV_INSTR).type());
        // EL0-writable memory is never privileged-executable
        pt.mapPage(0x5000, OUT, PageTableBuilder.S1_RW);
        assertEquals(OUT, f.pa(1, 0x5000, Access.INSTR));
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x5000, Access.PRIV_INSTR).type());
    }

    @Test
    void hierarchicalPermissionsAndHad() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        pt.orTableBits(0x1000, 2, PteLayout.AP_TABLE1.mask()); // no writes below
        assertEquals(OUT, f.pa(1, 0x1000, Access.READ));
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x1000, Access.WRITE).type());
        pt.mapPage(0x20_0000_1000L, OUT, PageTableBuilder.S1_RW);
        pt.orTableBits(0x20_0000_1000L, 1, PteLayout.AP_TABLE0.mask()); // no EL0 below
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x20_0000_1000L, Access.READ).type());
        assertEquals(OUT, f.pa(1, 0x20_0000_1000L, Access.PRIV_READ));
        // HAD0 = 1: table attributes are ignored
        Fixture g = new Fixture();
        PageTableBuilder p2 = s1(g, new CdBuilder().asid(1).set(CdLayout.HAD0, 1));
        p2.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        p2.orTableBits(0x1000, 2, PteLayout.AP_TABLE1.mask());
        assertEquals(OUT, g.pa(1, 0x1000, Access.WRITE));
    }

    @Test
    void wxnAndPan() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f, new CdBuilder().asid(1).set(CdLayout.WXN, 1)
                .set(CdLayout.PAN, 1));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        pt.mapPage(0x2000, OUT, PageTableBuilder.S1_RO);
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x1000, Access.INSTR).type(), "WXN");
        assertEquals(OUT, f.pa(1, 0x2000, Access.INSTR));
        assertEquals(EventType.F_PERMISSION, f.fault(1, 0x2000, Access.PRIV_READ).type(),
                "PAN: privileged data access to EL0-accessible memory");
    }

    @Test
    void privAndInstOverridesFromTheSte() {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1(G, 16);
        long cd = f.cd(new CdBuilder().asid(1).tt0(G, 16, pt.root()));
        f.ste(1, SteBuilder.s1(cd).set(SteLayout.PRIVCFG, 0b11));
        pt.mapPage(0x2000, OUT, PageTableBuilder.S1_PRIV_RW);
        assertEquals(OUT, f.pa(1, 0x2000, Access.READ), "PRIVCFG = privileged");
        f.ste(1, SteBuilder.s1(cd).set(SteLayout.INSTCFG, 0b11));
        pt.mapPage(0x3000, OUT, PageTableBuilder.S1_RW | PteLayout.UXN.mask());
        Event e = f.fault(1, 0x3000, Access.READ);
        assertTrue(e.ind(), "INSTCFG = instruction");
        assertEquals(OUT, f.pa(1, 0x3000, Access.WRITE), "writes are always data");
    }

    @Test
    void walkExternalAbortIsAlwaysRecorded() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s1(f, new CdBuilder().asid(1).record(false));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        long desc = pt.entryAddress(0x1000, 3, false);
        f.mem.addAbortRegion(desc, 8);
        Event e = f.fault(1, 0x1000, Access.READ);
        assertEquals(e, only(f));
        assertEquals(EventType.F_WALK_EABT, e.type());
        assertFalse(e.s2());
        assertEquals(EvtLayout.CLASS_TT, e.clazz());
        assertEquals(desc, e.addr(), "FetchAddr");
        assertEquals(0x1000, e.inputAddr());
    }

    // ---- stage 2 ---------------------------------------------------------------------

    static PageTableBuilder s2(Fixture f, boolean record, boolean affd) {
        PageTableBuilder pt = f.s2(G, 24, 1);
        SteBuilder ste = SteBuilder.s2(3, G, 24, 1, 4, pt.root()).set(SteLayout.S2R,
                record ? 1 : 0).set(SteLayout.S2AFFD, affd ? 1 : 0);
        f.ste(2, ste);
        return pt;
    }

    @Test
    void stage2FaultsCarryTheIpa() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s2(f, true, false);
        Event t = f.fault(2, 0x5000, Access.READ);
        assertEquals(EventType.F_TRANSLATION, t.type());
        assertTrue(t.s2());
        assertEquals(EvtLayout.CLASS_IN, t.clazz());
        assertEquals(0x5000, t.addr());
        assertEquals(0x5000, t.inputAddr());
        pt.mapPage(0x6000, OUT, PageTableBuilder.S2_RW & ~PteLayout.AF.mask());
        assertEquals(EventType.F_ACCESS, f.fault(2, 0x6000, Access.READ).type());
        pt.mapPage(0x7000, 1L << 44, PageTableBuilder.S2_RW); // beyond S2PS (44)
        assertEquals(EventType.F_ADDR_SIZE, f.fault(2, 0x7000, Access.READ).type());
        pt.mapPage(0x8000, OUT, PageTableBuilder.S2_RO | PteLayout.UXN.mask());
        assertEquals(EventType.F_PERMISSION, f.fault(2, 0x8000, Access.WRITE).type());
        assertEquals(EventType.F_PERMISSION, f.fault(2, 0x8000, Access.INSTR).type());
        assertEquals(5, f.events().size());
        Event big = f.fault(2, 1L << 44, Access.READ);
        assertEquals(EventType.F_ADDR_SIZE, big.type(), "stage 1 bypass: input beyond IAS");
        assertFalse(big.s2());
    }

    @Test
    void stage2XnxByPrivilege() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s2(f, true, false);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S2_RW | PteLayout.PXN.mask()); // XN = 0b01
        assertEquals(OUT, f.pa(2, 0x1000, Access.INSTR));
        assertEquals(EventType.F_PERMISSION, f.fault(2, 0x1000, Access.PRIV_INSTR).type());
        pt.mapPage(0x2000, OUT, PageTableBuilder.S2_RW | PteLayout.PXN.mask()
                | PteLayout.UXN.mask()); // XN = 0b11
        assertEquals(OUT, f.pa(2, 0x2000, Access.PRIV_INSTR));
        assertEquals(EventType.F_PERMISSION, f.fault(2, 0x2000, Access.INSTR).type());
    }

    @Test
    void s2rZeroSuppressesAndS2affdDisables() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s2(f, false, true);
        pt.mapPage(0x6000, OUT, PageTableBuilder.S2_RW & ~PteLayout.AF.mask());
        assertEquals(OUT, f.pa(2, 0x6000, Access.READ), "S2AFFD");
        DmaResult r = f.dma(2, 0x9000, Access.READ);
        assertFalse(((DmaResult.Fault) r).recorded());
        assertTrue(f.events().isEmpty());
    }

    @Test
    void stage2WalkAbort() {
        Fixture f = new Fixture();
        PageTableBuilder pt = s2(f, false, false);
        pt.mapPage(0x1000, OUT, PageTableBuilder.S2_RW);
        long desc = pt.entryAddress(0x1000, 3, false);
        f.mem.addAbortRegion(desc, 8);
        Event e = f.fault(2, 0x1000, Access.WRITE);
        assertEquals(e, only(f));
        assertEquals(EventType.F_WALK_EABT, e.type());
        assertTrue(e.s2());
        assertEquals(EvtLayout.CLASS_IN, e.clazz());
        assertEquals(desc, e.addr());
    }

    // ---- nested ----------------------------------------------------------------------

    /** Nested stream 4: guest IPA [0, 16 MiB) at PA OUT; stage 1 tables in guest memory. */
    static final class Nested {
        final Fixture f = new Fixture();
        final PageTableBuilder s2 = f.s2(G, 24, 1);
        final TableAllocator galloc = new TableAllocator(0x40_0000L, 0x40_0000L);
        final PageTableBuilder s1;
        final long cdIpa;

        Nested(boolean cdRecord) {
            for (long o = 0; o < (16L << 20); o += 1L << 21) {
                s2.map(o, OUT + o, 2, PageTableBuilder.S2_RW);
            }
            s1 = PageTableBuilder.stage1(f.mem, G, 16, galloc, ipa -> OUT + ipa);
            cdIpa = galloc.alloc(64, 64);
            new CdBuilder().asid(2).tt0(G, 16, s1.root()).record(cdRecord)
                    .writeTo(f.mem, OUT + cdIpa);
            f.ste(4, SteBuilder.nested(cdIpa, 6, G, 24, 1, 4, s2.root()));
        }
    }

    @Test
    void nestedStage2FaultOnFinalIpa() {
        Nested n = new Nested(true);
        n.s1.mapPage(0x1000, 0x200_0000L, PageTableBuilder.S1_RW); // IPA 32 MiB: unmapped
        Event e = n.f.fault(4, 0x1000, Access.READ);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertTrue(e.s2());
        assertEquals(EvtLayout.CLASS_IN, e.clazz());
        assertEquals(0x200_0000L, e.addr());
    }

    @Test
    void nestedStage2FaultOnStage1TableFetch() {
        Nested n = new Nested(true);
        n.s1.mapPage(0x1000, 0x1000, PageTableBuilder.S1_RW);
        assertEquals(OUT + 0x1000, n.f.pa(4, 0x1000, Access.WRITE)); // caches the CD
        long rootDesc = n.s1.entryAddress(0x1000, 0, false);
        n.s2.unmap(rootDesc & ~((1L << 21) - 1), 2); // the block holding the guest tables
        n.f.drv.submit(Commands.tlbiS12Vmall(6), Commands.sync(0));
        assertTrue(n.f.smmu.configCache().hasCd(4, 0), "the CD stays cached");
        Event e = n.f.fault(4, 0x1000, Access.WRITE);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertTrue(e.s2());
        assertEquals(EvtLayout.CLASS_TT, e.clazz());
        assertTrue(e.ttRnW());
        assertEquals(rootDesc, e.addr(), "IPA of the stage 1 descriptor");
        assertEquals(0x1000, e.inputAddr());
    }

    @Test
    void nestedStage2FaultOnCdFetch() {
        Nested n = new Nested(true);
        n.s2.unmap(n.cdIpa & ~((1L << 21) - 1), 2);
        Event e = n.f.fault(4, 0x1000, Access.READ);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertTrue(e.s2());
        assertEquals(EvtLayout.CLASS_CD, e.clazz());
        assertEquals(n.cdIpa, e.addr());
    }

    @Test
    void nestedPermissionStages() {
        Nested n = new Nested(true);
        n.s1.mapPage(0x1000, 0x1000, PageTableBuilder.S1_RO);
        Event s1 = n.f.fault(4, 0x1000, Access.WRITE);
        assertEquals(EventType.F_PERMISSION, s1.type());
        assertFalse(s1.s2());
        n.s1.mapPage(0x3000, 0x60_0000L, PageTableBuilder.S1_RW);
        n.s2.map(0x60_0000L, OUT + 0x60_0000L, 2, PageTableBuilder.S2_RO);
        Event s2 = n.f.fault(4, 0x3000, Access.WRITE);
        assertEquals(EventType.F_PERMISSION, s2.type());
        assertTrue(s2.s2());
        assertEquals(0x60_0000L, s2.addr());
        assertEquals(OUT + 0x60_0000L, n.f.pa(4, 0x3000, Access.READ));
        // the combined entry now cached still reports the right stage and IPA
        Event again = n.f.fault(4, 0x3008, Access.WRITE);
        assertTrue(again.s2());
        assertEquals(0x60_0008L, again.addr());
    }

    @Test
    void nestedStage1WalkAbortIsStage1Tt() {
        Nested n = new Nested(false);
        n.s1.mapPage(0x1000, 0x1000, PageTableBuilder.S1_RW);
        long descPa = OUT + n.s1.entryAddress(0x1000, 3, false);
        n.f.mem.addAbortRegion(descPa, 8);
        Event e = n.f.fault(4, 0x1000, Access.READ);
        assertEquals(EventType.F_WALK_EABT, e.type());
        assertFalse(e.s2());
        assertEquals(EvtLayout.CLASS_TT, e.clazz());
        assertEquals(descPa, e.addr());
        assertEquals(e, only(n.f));
    }
}
