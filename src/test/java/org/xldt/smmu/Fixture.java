package org.xldt.smmu;

import java.util.List;

/** A physical SMMU over sparse memory, programmed through {@link SmmuDriver}. */
final class Fixture {
    final SparseMemory mem = new SparseMemory();
    final TableAllocator alloc = new TableAllocator(0x1000_0000L, 0x1000_0000L);
    final Smmu smmu;
    final SmmuDriver drv;

    Fixture() {
        this(SmmuConfig.builder().build());
    }

    Fixture(SmmuConfig cfg) {
        this(cfg, true);
    }

    Fixture(SmmuConfig cfg, boolean twoLevel) {
        smmu = new Smmu(cfg, mem);
        drv = new SmmuDriver(smmu, mem, alloc).init(8, Math.min(cfg.sidSize(), 16),
                twoLevel && cfg.twoLevelStreamTable());
    }

    /** Writes the STE for {@code sid} and invalidates it. */
    void ste(int sid, SteBuilder ste) {
        drv.streamTable().put(sid, ste);
        drv.submit(Commands.cfgiSte(sid, false), Commands.sync(0));
    }

    /** Writes a CD into fresh memory and returns its address. */
    long cd(CdBuilder cd) {
        long a = alloc.alloc(64, 64);
        cd.writeTo(mem, a);
        return a;
    }

    PageTableBuilder s1(Granule g, int tsz) {
        return PageTableBuilder.stage1(mem, g, tsz, alloc);
    }

    PageTableBuilder s2(Granule g, int t0sz, int sl0) {
        return PageTableBuilder.stage2(mem, g, t0sz, sl0, alloc);
    }

    /** An S1-only stream {@code sid} with ASID {@code asid}, returns its tables. */
    PageTableBuilder s1Stream(int sid, int asid, int vmid, Granule g, int tsz) {
        PageTableBuilder pt = s1(g, tsz);
        long cd = cd(CdBuilder.of(asid, g, tsz, pt.root()));
        ste(sid, SteBuilder.s1(cd).vmid(vmid));
        return pt;
    }

    DmaResult dma(int sid, long iova, Access a) {
        return smmu.translate(sid, Smmu.NO_SSID, iova, a);
    }

    long pa(int sid, long iova, Access a) {
        return okPa(dma(sid, iova, a));
    }

    /** The PA of a successful DMA; fails the test otherwise. */
    static long okPa(DmaResult r) {
        if (r instanceof DmaResult.Ok ok) {
            return ok.pa();
        }
        throw new AssertionError("DMA failed: " + r);
    }

    Event fault(int sid, long iova, Access a) {
        DmaResult r = dma(sid, iova, a);
        if (r instanceof DmaResult.Fault f) {
            return f.event();
        }
        throw new AssertionError("expected a fault: " + r);
    }

    List<Event> events() {
        return drv.drainEvents();
    }
}
