package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream table and CD lookup: every Config value, validity checks and configuration events. */
class ConfigTest {
    static final long OUT = 0x40_0000_0000L;
    static final Granule G = Granule.G4K;

    @Test
    void abortAndBypass() {
        Fixture f = new Fixture();
        f.ste(1, SteBuilder.abort());
        assertInstanceOf(DmaResult.Abort.class, f.dma(1, 0x1000, Access.READ));
        f.ste(2, SteBuilder.bypass());
        assertEquals(0x1234_5678L, f.pa(2, 0x1234_5678L, Access.WRITE));
        assertTrue(f.events().isEmpty());
        Event e = f.fault(2, 1L << 44, Access.READ);
        assertEquals(EventType.F_ADDR_SIZE, e.type(), "bypass input beyond the OAS");
        assertFalse(e.s2());
        assertEquals(List.of(e), f.events());
    }

    @ParameterizedTest(name = "reserved Config {0} behaves as abort, no event")
    @ValueSource(ints = {1, 2, 3})
    void reservedConfigValuesAbortSilently(int config) {
        Fixture f = new Fixture();
        f.ste(1, new SteBuilder().config(config));
        assertInstanceOf(DmaResult.Abort.class, f.dma(1, 0x1000, Access.READ));
        assertTrue(f.events().isEmpty());
    }

    @Test
    void invalidSteIsCBadSteAndNotCached() {
        Fixture f = new Fixture();
        f.ste(1, SteBuilder.bypass().valid(false));
        assertEquals(EventType.C_BAD_STE, f.fault(1, 0, Access.READ).type());
        assertFalse(f.smmu.configCache().hasSte(1));
        // making it valid needs no invalidation: nothing was cached
        f.drv.streamTable().put(1, SteBuilder.bypass());
        assertEquals(0x10, f.pa(1, 0x10, Access.READ));
        assertTrue(f.smmu.configCache().hasSte(1));
    }

    static void assertIllegalSte(SmmuConfig c, SteBuilder ste, String why) {
        Fixture f = new Fixture(c);
        f.ste(1, ste);
        Event e = f.fault(1, 0x1000, Access.READ);
        assertEquals(EventType.C_BAD_STE, e.type(), why);
        assertEquals(1, e.sid());
        Checked<Ste> d = SteDecoder.decode(ste.words(), c, false);
        assertFalse(d.isOk(), why);
    }

    @Test
    void illegalStes() {
        SmmuConfig d = SmmuConfig.builder().build();
        long ttb = 0x100_0000L;
        assertIllegalSte(SmmuConfig.builder().s1p(false).build(), SteBuilder.s1(0x1000), "S1P");
        assertIllegalSte(SmmuConfig.builder().s2p(false).build(),
                SteBuilder.s2(1, G, 24, 1, 4, ttb), "S2P");
        assertIllegalSte(d, SteBuilder.s1(0x1000).set(SteLayout.S1STALLD, 1), "S1STALLD");
        assertIllegalSte(d, SteBuilder.s1(1L << 44), "S1ContextPtr beyond OAS");
        assertIllegalSte(d, SteBuilder.s2(1, G, 15, 2, 4, ttb), "S2T0SZ < 16");
        assertIllegalSte(d, SteBuilder.s2(1, G, 40, 0, 4, ttb), "S2T0SZ > 39");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 0, 4, ttb), "SL0 inconsistent");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 3, 4, ttb), "SL0 = 3");
        assertIllegalSte(SmmuConfig.builder().oas(40).build(), SteBuilder.s2(1, G, 24, 2, 2,
                ttb), "SL0 = 2 needs a 44-bit PA");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 4, ttb).set(SteLayout.S2TG, 3), "S2TG");
        assertIllegalSte(SmmuConfig.builder().granules(true, false, true).build(),
                SteBuilder.s2(1, Granule.G16K, 28, 1, 4, ttb), "granule not implemented");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 4, ttb).set(SteLayout.S2AA64, 0),
                "AArch32 stage 2");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 4, ttb).set(SteLayout.S2ENDI, 1), "BE");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 4, ttb).set(SteLayout.S2HA, 1), "HTTU");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 4, ttb).set(SteLayout.S2S, 1), "stall");
        assertIllegalSte(d, SteBuilder.s2(1, G, 24, 1, 2, 1L << 40), "S2TTB beyond S2PS");
        assertIllegalSte(SmmuConfig.builder().vmid16(false).build(),
                SteBuilder.s2(0x100, G, 24, 1, 4, ttb), "VMID[15:8] without VMID16");
        assertIllegalSte(SmmuConfig.builder().hyp(true).build(),
                SteBuilder.s1(0x1000).set(SteLayout.STRW, 1), "STRW reserved");
        assertIllegalSte(SmmuConfig.builder().ssidSize(4).build(),
                SteBuilder.s1(0x1000).substreams(5, 0, 0), "S1CDMax > SSIDSIZE");
        assertIllegalSte(SmmuConfig.builder().ssidSize(8).build(),
                SteBuilder.s1(0x1000).substreams(4, 1, 0), "2-level CD without CD2L");
    }

    @Test
    void ignoredFieldsOfDisabledStagesAreNotChecked() {
        Fixture f = new Fixture();
        // stage 2 fields are IGNORED with stage 2 bypassed
        f.ste(1, SteBuilder.bypass().set(SteLayout.S2T0SZ, 63).set(SteLayout.S2TG, 3));
        assertEquals(0x1000, f.pa(1, 0x1000, Access.READ));
        // STRW is RES0 without HYP (world stays NS-EL1)
        f.ste(2, SteBuilder.bypass().set(SteLayout.STRW, 1));
        assertEquals(0x1000, f.pa(2, 0x1000, Access.READ));
        // S2VMID is IGNORED for bypass, so VMID[15:8] does not matter without VMID16
        Fixture g = new Fixture(SmmuConfig.builder().vmid16(false).build());
        g.ste(3, SteBuilder.bypass().vmid(0x1234));
        assertEquals(0x1000, g.pa(3, 0x1000, Access.READ));
    }

    static void assertIllegalCd(SmmuConfig c, Consumer<CdBuilder> change, String why) {
        Fixture f = new Fixture(c);
        PageTableBuilder pt = f.s1(G, 16);
        CdBuilder cd = CdBuilder.of(1, G, 16, pt.root());
        change.accept(cd);
        f.ste(1, SteBuilder.s1(f.cd(cd)));
        Event e = f.fault(1, 0x1000, Access.READ);
        assertEquals(EventType.C_BAD_CD, e.type(), why);
        assertFalse(f.smmu.configCache().hasCd(1, 0));
    }

    @Test
    void illegalCds() {
        SmmuConfig d = SmmuConfig.builder().build();
        assertIllegalCd(d, cd -> cd.set(CdLayout.V, 0), "V = 0");
        assertIllegalCd(d, cd -> cd.set(CdLayout.AA64, 0), "AArch32");
        assertIllegalCd(d, cd -> cd.set(CdLayout.T0SZ, 40), "T0SZ > 39");
        assertIllegalCd(d, cd -> cd.set(CdLayout.T0SZ, 15), "T0SZ < 16");
        assertIllegalCd(d, cd -> cd.set(CdLayout.TG0, 3), "TG0 reserved");
        assertIllegalCd(SmmuConfig.builder().granules(true, true, false).build(),
                cd -> cd.set(CdLayout.TG0, Granule.G64K.tg0), "granule not implemented");
        assertIllegalCd(d, cd -> cd.tt1(G, 16, 0).set(CdLayout.TG1, 0), "TG1 reserved");
        assertIllegalCd(d, cd -> cd.set(CdLayout.ENDI, 1), "big-endian");
        assertIllegalCd(d, cd -> cd.set(CdLayout.HA, 1), "HA");
        assertIllegalCd(d, cd -> cd.set(CdLayout.HD, 1), "HD");
        assertIllegalCd(d, cd -> cd.set(CdLayout.S, 1), "stall");
        assertIllegalCd(d, cd -> cd.set(CdLayout.A, 0), "A = 0 with TERM_MODEL = 1");
        assertIllegalCd(d, cd -> cd.ips(0).set(CdLayout.TTB0, 0x1_0000_0000L >>> 4),
                "TTB0 beyond the IPS");
        assertIllegalCd(SmmuConfig.builder().asid16(false).build(), cd -> cd.asid(0x100),
                "ASID[15:8] without ASID16");
    }

    @Test
    void epdMakesTheTtbFieldsIgnored() {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1(G, 16);
        // EPD1 = 1 with TG1 = 0 and T1SZ = 0, as Linux writes it
        long cd = f.cd(CdBuilder.of(1, G, 16, pt.root()).set(CdLayout.TG1, 0));
        f.ste(1, SteBuilder.s1(cd));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        assertEquals(OUT, f.pa(1, 0x1000, Access.READ));
    }

    @Test
    void ipsIsCappedToTheOas() {
        Fixture f = new Fixture(SmmuConfig.builder().oas(40).build());
        PageTableBuilder pt = f.s1(G, 16);
        f.ste(1, SteBuilder.s1(f.cd(CdBuilder.of(1, G, 16, pt.root()).ips(7))));
        pt.mapPage(0x1000, 1L << 40, PageTableBuilder.S1_RW);
        pt.mapPage(0x2000, (1L << 40) - 0x1000, PageTableBuilder.S1_RW);
        assertEquals(EventType.F_ADDR_SIZE, f.fault(1, 0x1000, Access.READ).type());
        assertEquals((1L << 40) - 0x1000, f.pa(1, 0x2000, Access.READ));
    }

    @Test
    void streamIdOutOfRange() {
        Fixture f = new Fixture(SmmuConfig.builder().sidSize(16).build(), false);
        f.smmu.write(Reg.CR2, Regs.CR2.RECINVSID.mask());
        Event e = f.fault(1 << 16, 0, Access.READ); // LOG2SIZE 16
        assertEquals(EventType.C_BAD_STREAMID, e.type());
        assertEquals(1 << 16, e.sid());
        assertEquals(List.of(e), f.events());
        f.smmu.write(Reg.CR2, 0);
        DmaResult r = f.dma(1 << 17, 0, Access.READ);
        assertFalse(((DmaResult.Fault) r).recorded(), "RECINVSID = 0: not recorded");
        assertTrue(f.events().isEmpty());
    }

    @Test
    void twoLevelStreamTableSpanChecks() {
        Fixture f = new Fixture();
        f.smmu.write(Reg.CR2, Regs.CR2.RECINVSID.mask());
        StreamTableBuilder st = f.drv.streamTable();
        assertEquals(EventType.C_BAD_STREAMID, f.fault(0x300, 0, Access.READ).type(),
                "Span = 0");
        f.ste(0x301, SteBuilder.bypass());
        assertEquals(0x42, f.pa(0x301, 0x42, Access.READ));
        // Span = 2: only two STEs in the level 2 table
        long l1 = st.l1Address(0x400);
        long l2 = f.alloc.alloc(64 * 256, 64 * 256);
        SteBuilder.bypass().writeTo(f.mem, l2 + 64);
        f.mem.write64(l1, l2 | 2);
        f.drv.submit(Commands.cfgiSte(0x401, false), Commands.cfgiSte(0x402, false));
        assertEquals(0x42, f.pa(0x401, 0x42, Access.READ));
        assertEquals(EventType.C_BAD_STREAMID, f.fault(0x402, 0, Access.READ).type());
        f.mem.write64(l1, l2 | 10); // Span > SPLIT + 1
        f.drv.submit(Commands.cfgiSte(0x401, false));
        assertEquals(EventType.C_BAD_STREAMID, f.fault(0x401, 0, Access.READ).type());
    }

    @Test
    void linearStreamTable() {
        Fixture f = new Fixture(SmmuConfig.builder().sidSize(8).build(), false);
        assertEquals(0, Regs.STRTAB_BASE_CFG.FMT.get(f.smmu.read(Reg.STRTAB_BASE_CFG)));
        f.ste(200, SteBuilder.bypass());
        assertEquals(0x5000, f.pa(200, 0x5000, Access.READ));
        assertEquals(f.drv.streamTable().strtabBase() + 64 * 200,
                f.drv.streamTable().steAddress(200));
    }

    @Test
    void steFetchAbort() {
        Fixture f = new Fixture();
        long steAddr = f.drv.streamTable().steAddress(7);
        f.mem.addAbortRegion(steAddr, 64);
        Event e = f.fault(7, 0, Access.READ);
        assertEquals(EventType.F_STE_FETCH, e.type());
        assertEquals(steAddr, e.addr());
        assertEquals(List.of(e), f.events());
        f.mem.clearAbortRegions();
        f.mem.addAbortRegion(f.drv.streamTable().l1Address(0x900), 8);
        assertEquals(EventType.F_STE_FETCH, f.fault(0x900, 0, Access.READ).type());
    }

    @Test
    void cdFetchAbort() {
        Fixture f = new Fixture();
        long cd = f.alloc.alloc(64, 64);
        f.mem.addAbortRegion(cd, 64);
        f.ste(3, SteBuilder.s1(cd));
        Event e = f.fault(3, 0, Access.READ);
        assertEquals(EventType.F_CD_FETCH, e.type());
        assertEquals(cd, e.addr());
    }

    // ---- substreams ------------------------------------------------------------------

    static SmmuConfig ssid() {
        return SmmuConfig.builder().ssidSize(10).cd2l(true).build();
    }

    @Test
    void linearCdTableBySubstream() {
        Fixture f = new Fixture(ssid());
        long table = f.alloc.alloc(64 * 16, 64 * 16);
        PageTableBuilder a = f.s1(G, 16);
        PageTableBuilder b = f.s1(G, 16);
        CdBuilder.of(10, G, 16, a.root()).writeTo(f.mem, table);
        CdBuilder.of(11, G, 16, b.root()).writeTo(f.mem, table + 64 * 5);
        f.ste(1, SteBuilder.s1(table).substreams(4, 0, SteLayout.S1DSS_SSID0));
        a.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        b.mapPage(0x1000, OUT + 0x5000, PageTableBuilder.S1_RW);
        assertEquals(OUT, f.pa(1, 0x1000, Access.READ), "no SSID: CD 0 (S1DSS = SSID0)");
        assertEquals(OUT + 0x5000,
                ((DmaResult.Ok) f.smmu.translate(1, 5, 0x1000, Access.READ)).pa());
        Event bad = ((DmaResult.Fault) f.smmu.translate(1, 16, 0, Access.READ)).event();
        assertEquals(EventType.C_BAD_SUBSTREAMID, bad.type());
        assertEquals(16, bad.ssid());
        Event zero = ((DmaResult.Fault) f.smmu.translate(1, 0, 0, Access.READ)).event();
        assertEquals(EventType.F_STREAM_DISABLED, zero.type(), "SSID 0 reserved by S1DSS");
        Event inv = ((DmaResult.Fault) f.smmu.translate(1, 3, 0, Access.READ)).event();
        assertEquals(EventType.C_BAD_CD, inv.type());
        assertTrue(inv.ssv());
        assertEquals(3, inv.ssid());
    }

    @Test
    void s1dssTerminateAndBypass() {
        Fixture f = new Fixture(ssid());
        long table = f.alloc.alloc(64 * 4, 64 * 4);
        f.ste(1, SteBuilder.s1(table).substreams(2, 0, SteLayout.S1DSS_TERMINATE));
        assertEquals(EventType.F_STREAM_DISABLED, f.fault(1, 0, Access.READ).type());
        f.ste(2, SteBuilder.s1(table).substreams(2, 0, SteLayout.S1DSS_BYPASS));
        assertEquals(0x7000, f.pa(2, 0x7000, Access.READ));
    }

    @Test
    void substreamWithoutSubstreamsIsBad() {
        Fixture f = new Fixture(ssid());
        f.ste(1, SteBuilder.bypass());
        assertEquals(EventType.C_BAD_SUBSTREAMID,
                ((DmaResult.Fault) f.smmu.translate(1, 1, 0, Access.READ)).event().type());
        Fixture g = new Fixture();
        g.ste(1, SteBuilder.bypass());
        assertEquals(EventType.C_BAD_SUBSTREAMID,
                ((DmaResult.Fault) g.smmu.translate(1, 0, 0, Access.READ)).event().type(),
                "SSIDSIZE = 0");
    }

    @Test
    void twoLevelCdTable() {
        Fixture f = new Fixture(ssid());
        long l1 = f.alloc.alloc(64, 64);
        long l2 = f.alloc.alloc(4096, 4096);
        f.mem.write64(l1 + 8 * 2, l2 | 1); // L1CD #2: SSIDs 128..191
        PageTableBuilder pt = f.s1(G, 16);
        CdBuilder.of(12, G, 16, pt.root()).writeTo(f.mem, l2 + 64 * 3);
        f.ste(1, SteBuilder.s1(l1).substreams(8, 1, SteLayout.S1DSS_TERMINATE));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        assertEquals(OUT, ((DmaResult.Ok) f.smmu.translate(1, 131, 0x1000, Access.READ)).pa());
        assertTrue(f.smmu.configCache().hasL1Cd(1, 2));
        assertEquals(EventType.C_BAD_SUBSTREAMID,
                ((DmaResult.Fault) f.smmu.translate(1, 64, 0, Access.READ)).event().type(),
                "L1CD.V = 0");
    }

    @Test
    void reservedSplitBehavesAsSix() {
        Fixture f = new Fixture();
        f.smmu.write(Reg.CR0, 0);
        long base = f.alloc.alloc(8L << 10, 8L << 10);
        f.smmu.write(Reg.STRTAB_BASE, base);
        f.smmu.write(Reg.STRTAB_BASE_CFG, Regs.STRTAB_BASE_CFG.LOG2SIZE.insert(
                Regs.STRTAB_BASE_CFG.SPLIT.insert(Regs.STRTAB_BASE_CFG.FMT.insert(0, 1), 7), 16));
        long l2 = f.alloc.alloc(64 * 64, 64 * 64);
        f.mem.write64(base + 8 * (0x85 >>> 6), l2 | 7); // SID 0x85: L1 index 2, Span 7
        SteBuilder.bypass().writeTo(f.mem, l2 + 64 * (0x85 & 63));
        f.smmu.write(Reg.CR0, Regs.CR0.SMMUEN.mask() | Regs.CR0.CMDQEN.mask()
                | Regs.CR0.EVENTQEN.mask());
        assertEquals(0x99, f.pa(0x85, 0x99, Access.READ));
    }
}
