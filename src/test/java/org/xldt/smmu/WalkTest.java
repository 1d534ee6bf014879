package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stage 1, stage 2 and nested walks per granule, start level, block and page mapping. */
class WalkTest {

    static final long OUT = 0x40_0000_0000L; // 256 GiB: inside a 44-bit OAS

    @ParameterizedTest(name = "S1 {0} T0SZ={1} starts at L{2}")
    @CsvSource({"G4K,16,0", "G4K,25,1", "G4K,30,1", "G4K,34,2", "G4K,39,2",
        "G16K,16,0", "G16K,17,1", "G16K,28,2", "G16K,39,3",
        "G64K,16,1", "G64K,23,2", "G64K,39,3"})
    void stage1StartLevels(Granule g, int tsz, int start) {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1Stream(1, 1, 0, g, tsz);
        assertEquals(start, pt.startLevel());
        int ias = 64 - tsz;
        long va = (1L << (ias - 1)) + 5 * g.size(); // uses the top index bit at every level
        pt.mapPage(va, OUT + 7 * g.size(), PageTableBuilder.S1_RW);
        assertEquals(OUT + 7 * g.size() + 0x18, f.pa(1, va + 0x18, Access.READ));
        // a second page in another start-level slot walks every level again: 4 - start reads
        long va2 = 3 * g.size();
        pt.mapPage(va2, OUT, PageTableBuilder.S1_RW);
        long reads = f.smmu.structureReads();
        assertEquals(OUT + 8, f.pa(1, va2 + 8, Access.WRITE));
        assertEquals(4 - start, f.smmu.structureReads() - reads);
        // the IOTLB now answers without reading memory
        reads = f.smmu.structureReads();
        assertEquals(OUT + 16, f.pa(1, va2 + 16, Access.READ));
        assertEquals(reads, f.smmu.structureReads());
        // just beyond the input range: translation fault
        assertEquals(EventType.F_TRANSLATION, f.fault(1, 1L << ias, Access.READ).type());
    }

    @ParameterizedTest(name = "S1 {0} block at L{1}")
    @CsvSource({"G4K,1", "G4K,2", "G16K,2", "G64K,2"})
    void stage1Blocks(Granule g, int level) {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1Stream(2, 1, 0, g, 16);
        long size = 1L << g.levelShift(level);
        long va = 3 * size;
        pt.map(va, OUT, level, PageTableBuilder.S1_RW);
        long off = size - 8;
        DmaResult r = f.dma(2, va + off, Access.READ);
        assertEquals(new DmaResult.Ok(OUT + off, 7, g.levelShift(level)), r);
        TlbEntry e = f.smmu.iotlb().entries().get(0);
        assertEquals(level, e.level());
        assertEquals(g.levelShift(level), e.shift());
    }

    @ParameterizedTest(name = "S1 {0}: no block at L{1}")
    @CsvSource({"G4K,0", "G16K,1", "G64K,1"})
    void blocksWhereTheGranuleHasNoneAreTranslationFaults(Granule g, int level) {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1Stream(2, 1, 0, g, 16);
        pt.map(0, 0, level, PageTableBuilder.S1_RW);
        Event e = f.fault(2, 0x1000, Access.READ);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertFalse(e.s2());
        assertEquals(EvtLayout.CLASS_IN, e.clazz());
    }

    @Test
    void level3BlockEncodingIsReserved() {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1Stream(2, 1, 0, Granule.G4K, 16);
        pt.mapPage(0x5000, OUT, PageTableBuilder.S1_RW);
        long d = pt.descriptor(0x5000, 3);
        pt.setDescriptor(0x5000, 3, d & ~PteLayout.TYPE.mask());
        assertEquals(EventType.F_TRANSLATION, f.fault(2, 0x5000, Access.READ).type());
    }

    @ParameterizedTest(name = "S2 {0} T0SZ={1} SL0={2}: L{3}, {4} concatenated")
    @CsvSource({"G4K,32,0,2,4", "G4K,34,0,2,1", "G4K,39,0,2,1", "G4K,25,1,1,1", "G4K,24,1,1,2",
        "G4K,21,1,1,16", "G4K,20,2,0,1",
        "G16K,28,1,2,1", "G16K,24,2,1,1", "G16K,36,0,3,8",
        "G64K,20,2,1,1", "G64K,25,1,2,1", "G64K,34,0,3,2"})
    void stage2StartLevelsAndConcatenation(Granule g, int t0sz, int sl0, int start,
            int tables) {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s2(g, t0sz, sl0);
        assertEquals(start, pt.startLevel());
        int ias = 64 - t0sz;
        int startBits = ias - g.levelShift(start);
        assertEquals(tables, startBits > g.stride ? 1 << (startBits - g.stride) : 1);
        f.ste(3, SteBuilder.s2(7, g, t0sz, sl0, 4, pt.root()));
        long ipa = (1L << ias) - g.size(); // last page: last concatenated table
        pt.mapPage(ipa, OUT + g.size(), PageTableBuilder.S2_RW);
        assertEquals(OUT + g.size() + 4, f.pa(3, ipa + 4, Access.WRITE));
        long ipa2 = g.size();
        pt.mapPage(ipa2, OUT, PageTableBuilder.S2_RO);
        long reads = f.smmu.structureReads();
        assertEquals(OUT, f.pa(3, ipa2, Access.READ));
        assertEquals(4 - start, f.smmu.structureReads() - reads);
        Event e = f.fault(3, ipa2, Access.WRITE);
        assertEquals(EventType.F_PERMISSION, e.type());
        assertTrue(e.s2());
        assertEquals(ipa2, e.addr());
        if (ias < 44) {
            Event t = f.fault(3, 1L << ias, Access.READ);
            assertEquals(EventType.F_TRANSLATION, t.type(), "IPA beyond S2T0SZ");
            assertTrue(t.s2());
            assertEquals(1L << ias, t.addr());
        }
    }

    @ParameterizedTest(name = "S2 {0} block at L{1}")
    @CsvSource({"G4K,1", "G4K,2", "G16K,2", "G64K,2"})
    void stage2Blocks(Granule g, int level) {
        Fixture f = new Fixture();
        int t0sz = g == Granule.G64K ? 20 : 24;
        int sl0 = g == Granule.G4K ? 1 : 2;
        PageTableBuilder pt = f.s2(g, t0sz, sl0);
        f.ste(3, SteBuilder.s2(7, g, t0sz, sl0, 4, pt.root()));
        long size = 1L << g.levelShift(level);
        pt.map(size, OUT, level, PageTableBuilder.S2_RW);
        assertEquals(OUT + size - 1, f.pa(3, 2 * size - 1, Access.READ));
    }

    @ParameterizedTest(name = "nested {0}: 4-level stage 1 over stage 2")
    @CsvSource({"G4K", "G16K", "G64K"})
    void nestedTranslation(Granule g) {
        Fixture f = new Fixture();
        int t0sz = g == Granule.G64K ? 20 : 24; // 44 / 40-bit IPA
        int sl0 = g == Granule.G4K ? 1 : 2;
        PageTableBuilder s2 = f.s2(g, t0sz, sl0);
        // guest memory: IPA [0, 64 MiB) -> PA [OUT, OUT + 64 MiB)
        long guest = 64L << 20;
        for (long o = 0; o < guest; o += 1L << g.levelShift(2)) {
            s2.map(o, OUT + o, 2, PageTableBuilder.S2_RW);
        }
        // guest stage 1 tables live in guest memory, written through the stage 2 view
        TableAllocator galloc = new TableAllocator(0x100_0000L, 0x100_0000L);
        PageTableBuilder s1 = PageTableBuilder.stage1(f.mem, g, 16, galloc, ipa -> OUT + ipa);
        long cdIpa = galloc.alloc(64, 64);
        CdBuilder.of(9, g, 16, s1.root()).writeTo(f.mem, OUT + cdIpa);
        f.ste(4, SteBuilder.nested(cdIpa, 5, g, t0sz, sl0, 4, s2.root()));
        long va = 0x7f12_3456_0000L & ~(g.size() - 1);
        long ipa = 0x20_0000L;
        s1.mapPage(va, ipa, PageTableBuilder.S1_RW);
        assertEquals(OUT + ipa + 0x10, f.pa(4, va + 0x10, Access.WRITE));
        TlbEntry combined = f.smmu.iotlb().entries().stream()
                .filter(e -> e.kind() == TlbEntry.NESTED).findFirst().orElseThrow();
        assertEquals(g.shift, combined.shift(), "the smaller of the two page sizes");
        assertEquals(ipa, combined.ipaBase());
        assertEquals(5, combined.vmid());
        assertEquals(9, combined.asid());
    }
}
