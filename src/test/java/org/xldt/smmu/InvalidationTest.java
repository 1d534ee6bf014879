package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xldt.smmu.CmdLayout.Opcode;

/**
 * Each TLBI/CFGI command removes exactly its scope: checked by inspecting the caches and by
 * translations that still see stale (cached) state outside the scope.
 */
class InvalidationTest {
    static final long OUT = 0x40_0000_0000L;
    static final Granule G = Granule.G4K;
    static final long GLOBAL_VA = 0x5000;

    Fixture f;
    PageTableBuilder a; // sid 1, vmid 1, asid 1
    PageTableBuilder b; // sid 2, vmid 1, asid 2
    PageTableBuilder c; // sid 3, vmid 2, asid 1

    @BeforeEach
    void setUp() {
        f = new Fixture(SmmuConfig.builder().hyp(true).build());
        a = f.s1Stream(1, 1, 1, G, 16);
        b = f.s1Stream(2, 2, 1, G, 16);
        c = f.s1Stream(3, 1, 2, G, 16);
        for (PageTableBuilder pt : new PageTableBuilder[] {a, b, c}) {
            pt.mapPage(0x1000, OUT + 0x1000, PageTableBuilder.S1_RW);
            pt.mapPage(0x2000, OUT + 0x2000, PageTableBuilder.S1_RW);
        }
        a.mapPage(GLOBAL_VA, OUT + GLOBAL_VA, PageTableBuilder.S1_RW & ~PteLayout.NG.mask());
        for (int sid = 1; sid <= 3; sid++) {
            f.pa(sid, 0x1000, Access.READ);
            f.pa(sid, 0x2000, Access.READ);
        }
        f.pa(1, GLOBAL_VA, Access.READ);
        assertEquals(7, f.smmu.iotlb().size());
    }

    boolean cached(int vmid, int asid, long va) {
        return f.smmu.iotlb().entries().stream().anyMatch(e -> e.vmid() == vmid
                && e.asid() == asid && e.inBase() == va && e.kind() == TlbEntry.S1);
    }

    void run(long[] cmd) {
        f.drv.submit(cmd, Commands.sync(0));
        assertEquals(0, f.drv.commandError());
    }

    /** Runs the command and returns how many cache entries it removed. */
    int removed(long[] cmd) {
        f.drv.submit(cmd);
        assertEquals(0, f.drv.commandError());
        return f.smmu.lastInvalidated();
    }

    @Test
    void nhAllScopesOneVmidIncludingGlobals() {
        int n = removed(Commands.tlbiNhAll(1));
        assertFalse(cached(1, 1, 0x1000));
        assertFalse(cached(1, 2, 0x2000));
        assertFalse(cached(1, -1, GLOBAL_VA));
        assertTrue(cached(2, 1, 0x1000));
        assertTrue(cached(2, 1, 0x2000));
        assertEquals(2, f.smmu.iotlb().size());
        assertTrue(n >= 5, "5 TLB entries plus walk-cache entries");
        assertEquals(Opcode.TLBI_NH_ALL, f.smmu.lastOpcode());
    }

    @Test
    void nhAsidKeepsGlobalsAndOtherAsidsAndVmids() {
        run(Commands.tlbiNhAsid(1, 1));
        assertFalse(cached(1, 1, 0x1000));
        assertFalse(cached(1, 1, 0x2000));
        assertTrue(cached(1, -1, GLOBAL_VA), "global entries survive TLBI by ASID");
        assertTrue(cached(1, 2, 0x1000));
        assertTrue(cached(2, 1, 0x1000), "same ASID in another VMID");
        assertEquals(5, f.smmu.iotlb().size());
    }

    @Test
    void nhVaIsOneAddressOfOneAsidPlusGlobals() {
        run(Commands.tlbiNhVa(1, 1, 0x1000, true));
        assertFalse(cached(1, 1, 0x1000));
        assertTrue(cached(1, 1, 0x2000));
        assertTrue(cached(1, 2, 0x1000));
        assertTrue(cached(2, 1, 0x1000));
        assertEquals(6, f.smmu.iotlb().size());
        run(Commands.tlbiNhVa(1, 2, GLOBAL_VA + 0x123, true));
        assertFalse(cached(1, -1, GLOBAL_VA), "global entry matched whatever the ASID");
        assertEquals(5, f.smmu.iotlb().size());
    }

    @Test
    void nhVaaIsOneAddressOfEveryAsidInTheVmid() {
        run(Commands.tlbiNhVaa(1, 0x1000, true));
        assertFalse(cached(1, 1, 0x1000));
        assertFalse(cached(1, 2, 0x1000));
        assertTrue(cached(2, 1, 0x1000));
        assertTrue(cached(1, 1, 0x2000));
        assertEquals(5, f.smmu.iotlb().size());
    }

    @Test
    void staleTranslationsOutsideTheScope() {
        a.mapPage(0x1000, OUT + 0x9000, PageTableBuilder.S1_RW);
        b.mapPage(0x1000, OUT + 0x9000, PageTableBuilder.S1_RW);
        run(Commands.tlbiNhVa(1, 1, 0x1000, true));
        assertEquals(OUT + 0x9000, f.pa(1, 0x1000, Access.READ), "invalidated: new mapping");
        assertEquals(OUT + 0x1000, f.pa(2, 0x1000, Access.READ), "ASID 2 still cached");
    }

    @Test
    void leafInvalidationKeepsTheWalkCache() {
        // move A's 0x1000 to a new level 3 table by rewriting the level 2 descriptor
        TableAllocator extra = new TableAllocator(0x3000_0000L, 0x10_0000L);
        long l3 = extra.alloc(4096, 4096);
        f.mem.write64(l3 + 8, (OUT + 0x7000) | 3 | PageTableBuilder.S1_RW);
        a.setDescriptor(0x1000, 2, l3 | 3);
        int walkBefore = f.smmu.walkCache().size();
        run(Commands.tlbiNhVa(1, 1, 0x1000, true));
        assertEquals(walkBefore, f.smmu.walkCache().size(), "Leaf = 1 keeps table entries");
        assertEquals(OUT + 0x1000, f.pa(1, 0x1000, Access.READ),
                "the cached level 2 descriptor still points at the old table");
        run(Commands.tlbiNhVa(1, 1, 0x1000, false));
        assertTrue(f.smmu.walkCache().size() < walkBefore);
        assertEquals(OUT + 0x7000, f.pa(1, 0x1000, Access.READ), "Leaf = 0: new table");
        assertEquals(OUT + 0x1000, f.pa(2, 0x1000, Access.READ), "other ASIDs unaffected");
    }

    @Test
    void rangeInvalidationByGranuleCountAndLevel() {
        for (long va = 0x10000; va < 0x15000; va += 0x1000) {
            a.mapPage(va, OUT + va, PageTableBuilder.S1_RW);
            f.pa(1, va, Access.READ);
        }
        a.map(0x40_0000L, OUT + 0x40_0000L, 2, PageTableBuilder.S1_RW);
        f.pa(1, 0x40_0000L, Access.READ);
        // (NUM + 1) * 2^SCALE = 4 pages from 0x10000
        run(Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 1, 0x10000, true, G, 0, 1, 1));
        for (long va = 0x10000; va < 0x14000; va += 0x1000) {
            assertFalse(cached(1, 1, va), Long.toHexString(va));
        }
        assertTrue(cached(1, 1, 0x14000));
        // TTL = 3 over the 2 MiB block: level 2 entries are outside the hint
        run(Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 1, 0x40_0000L, true, G, 3, 0, 9));
        assertTrue(cached(1, 1, 0x40_0000L));
        run(Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 1, 0x40_0000L, true, G, 2, 0, 0));
        assertFalse(cached(1, 1, 0x40_0000L));
        // TG selects entries inserted with that granule only
        run(Commands.tlbiRange(Opcode.TLBI_NH_VAA, 1, 0, 0x14000, true, Granule.G16K, 3, 0, 1));
        assertTrue(cached(1, 1, 0x14000), "a 4K entry is not in a 16K-granule TLBI");
        run(Commands.tlbiRange(Opcode.TLBI_NH_VAA, 1, 0, 0x14000, true, G, 3, 0, 0));
        assertFalse(cached(1, 1, 0x14000));
    }

    @Test
    void s12VmallIsEverythingOfOneVmid() {
        PageTableBuilder s2 = f.s2(G, 24, 1);
        s2.mapPage(0x8000, OUT, PageTableBuilder.S2_RW);
        f.ste(5, SteBuilder.s2(1, G, 24, 1, 4, s2.root()));
        f.pa(5, 0x8000, Access.READ);
        assertTrue(f.smmu.iotlb().entries().stream().anyMatch(e -> e.kind() == TlbEntry.S2));
        run(Commands.tlbiS12Vmall(1));
        assertTrue(f.smmu.iotlb().entries().stream().allMatch(e -> e.vmid() == 2));
        assertEquals(2, f.smmu.iotlb().size());
    }

    @Test
    void s2IpaLeavesCombinedEntries() {
        PageTableBuilder s2 = f.s2(G, 24, 1);
        for (long o = 0; o < (8L << 20); o += 1L << 21) {
            s2.map(o, OUT + o, 2, PageTableBuilder.S2_RW);
        }
        TableAllocator galloc = new TableAllocator(0x40_0000L, 0x20_0000L);
        PageTableBuilder s1 = PageTableBuilder.stage1(f.mem, G, 16, galloc, ipa -> OUT + ipa);
        long cd = galloc.alloc(64, 64);
        CdBuilder.of(3, G, 16, s1.root()).writeTo(f.mem, OUT + cd);
        f.ste(7, SteBuilder.nested(cd, 9, G, 24, 1, 4, s2.root()));
        s1.mapPage(0x1000, 0x20_1000L, PageTableBuilder.S1_RW);
        assertEquals(OUT + 0x20_1000L, f.pa(7, 0x1000, Access.READ));
        // move IPA 2 MiB..4 MiB elsewhere at stage 2
        s2.map(0x20_0000L, OUT + 0x100_0000L, 2, PageTableBuilder.S2_RW);
        run(Commands.tlbiS2Ipa(9, 0x20_1000L, true));
        assertFalse(f.smmu.iotlb().entries().stream().anyMatch(e -> e.kind() == TlbEntry.S2
                && e.inBase() == 0x20_0000L), "the stage 2 entry is gone");
        assertEquals(OUT + 0x20_1000L, f.pa(7, 0x1000, Access.READ),
                "the combined stage 1+2 entry is not affected by TLBI_S2_IPA");
        run(Commands.tlbiNhAll(9));
        assertEquals(OUT + 0x100_1000L, f.pa(7, 0x1000, Access.READ), "NH_ALL, then rewalk");
    }

    @Test
    void nsnhAllKeepsEl2Entries() {
        PageTableBuilder e = f.s1(G, 16);
        long cd = f.cd(CdBuilder.of(0, G, 16, e.root()));
        f.ste(6, SteBuilder.s1(cd).set(SteLayout.STRW, SteLayout.STRW_EL2));
        e.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        f.pa(6, 0x1000, Access.READ);
        assertTrue(f.smmu.iotlb().entries().stream()
                .anyMatch(t -> t.world() == StreamWorld.NS_EL2 && t.vmid() == -1));
        run(Commands.tlbiNsnhAll());
        assertEquals(1, f.smmu.iotlb().size());
        assertEquals(StreamWorld.NS_EL2, f.smmu.iotlb().entries().get(0).world());
        run(Commands.tlbiEl2Va(77, 0x1000, true)); // E2H = 0: ASID ignored
        assertEquals(0, f.smmu.iotlb().size());
    }

    @Test
    void el2CommandsScopeTheEl2Worlds() {
        f.smmu.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.EVENTQEN.mask());
        f.smmu.write(Reg.CR2, Regs.CR2.E2H.mask());
        f.smmu.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.EVENTQEN.mask()
                | Regs.CR0.SMMUEN.mask());
        PageTableBuilder e = f.s1(G, 16);
        long cd = f.cd(CdBuilder.of(4, G, 16, e.root()));
        f.ste(6, SteBuilder.s1(cd).set(SteLayout.STRW, SteLayout.STRW_EL2));
        e.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        e.mapPage(0x2000, OUT, PageTableBuilder.S1_RW);
        f.pa(6, 0x1000, Access.READ);
        f.pa(6, 0x2000, Access.READ);
        long el2 = f.smmu.iotlb().entries().stream()
                .filter(t -> t.world() == StreamWorld.NS_EL2_E2H).count();
        assertEquals(2, el2);
        run(Commands.tlbiEl2Va(5, 0x1000, true));
        assertEquals(9, f.smmu.iotlb().size(), "other ASID: nothing");
        run(Commands.tlbiEl2Va(4, 0x1000, true));
        assertEquals(8, f.smmu.iotlb().size());
        run(Commands.tlbiEl2Asid(4));
        assertEquals(7, f.smmu.iotlb().size());
        f.pa(6, 0x2000, Access.READ);
        run(Commands.tlbiEl2All());
        assertEquals(7, f.smmu.iotlb().size(), "EL1 entries untouched");
        run(Commands.tlbiNhAll(1));
        assertEquals(2, f.smmu.iotlb().size());
    }

    // ---- configuration cache ---------------------------------------------------------

    @Test
    void cfgiSteIsOneStreamAndItsCds() {
        ConfigCache cc = f.smmu.configCache();
        assertTrue(cc.hasSte(1) && cc.hasSte(2) && cc.hasCd(1, 0) && cc.hasCd(2, 0));
        f.drv.streamTable().put(1, SteBuilder.abort());
        f.drv.streamTable().put(2, SteBuilder.abort());
        assertEquals(OUT + 0x1000, f.pa(1, 0x1000, Access.READ), "stale STE in use");
        run(Commands.cfgiSte(1, true));
        assertFalse(cc.hasSte(1));
        assertFalse(cc.hasCd(1, 0), "CDs fetched through the STE go too");
        assertTrue(cc.hasSte(2) && cc.hasCd(2, 0));
        assertInstanceOf(DmaResult.Abort.class, f.dma(1, 0x1000, Access.READ));
        assertEquals(OUT + 0x1000, f.pa(2, 0x1000, Access.READ));
        assertEquals(1, cc.l1StdCount(), "Leaf = 1 keeps the L1STD");
        run(Commands.cfgiSte(1, false));
        assertEquals(0, cc.l1StdCount(), "Leaf = 0 removes it");
    }

    @Test
    void cfgiSteRangeIsAnAlignedPowerOfTwo() {
        for (int sid = 0x100; sid < 0x120; sid++) {
            f.ste(sid, SteBuilder.bypass());
            f.pa(sid, 0, Access.READ);
        }
        ConfigCache cc = f.smmu.configCache();
        run(Commands.cfgiSteRange(0x10a, 3)); // 16 SIDs 0x100..0x10f
        for (int sid = 0x100; sid < 0x120; sid++) {
            assertEquals(sid >= 0x110, cc.hasSte(sid), Integer.toHexString(sid));
        }
        assertTrue(cc.hasSte(1));
        run(Commands.cfgiAll());
        assertEquals(0, cc.steCount());
        assertEquals(0, cc.cdCount());
        assertEquals(0, cc.l1StdCount());
    }

    @Test
    void cfgiCdAndCdAll() {
        Fixture s = new Fixture(SmmuConfig.builder().ssidSize(4).build());
        long table = s.alloc.alloc(64 * 16, 64 * 16);
        PageTableBuilder pt = s.s1(G, 16);
        for (int i = 1; i < 4; i++) {
            CdBuilder.of(i, G, 16, pt.root()).writeTo(s.mem, table + 64 * i);
        }
        s.ste(1, SteBuilder.s1(table).substreams(4, 0, SteLayout.S1DSS_TERMINATE));
        s.ste(2, SteBuilder.s1(table).substreams(4, 0, SteLayout.S1DSS_TERMINATE));
        pt.mapPage(0x1000, OUT, PageTableBuilder.S1_RW);
        for (int sid = 1; sid <= 2; sid++) {
            for (int i = 1; i < 4; i++) {
                assertTrue(s.smmu.translate(sid, i, 0x1000, Access.READ).ok());
            }
        }
        ConfigCache cc = s.smmu.configCache();
        assertEquals(6, cc.cdCount());
        s.drv.submit(Commands.cfgiCd(1, 2, true));
        assertFalse(cc.hasCd(1, 2));
        assertTrue(cc.hasCd(1, 1) && cc.hasCd(1, 3) && cc.hasCd(2, 2));
        assertTrue(cc.hasSte(1), "CFGI_CD keeps the STE");
        s.drv.submit(Commands.cfgiCdAll(2));
        assertEquals(2, cc.cdCount());
        assertTrue(cc.hasCd(1, 1) && cc.hasCd(1, 3));
    }
}
