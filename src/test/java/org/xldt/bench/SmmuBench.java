package org.xldt.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xldt.smmu.Access;
import org.xldt.smmu.CdBuilder;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.Granule;
import org.xldt.smmu.PageTableBuilder;
import org.xldt.smmu.Smmu;
import org.xldt.smmu.SmmuConfig;
import org.xldt.smmu.SmmuDriver;
import org.xldt.smmu.SparseMemory;
import org.xldt.smmu.SteBuilder;
import org.xldt.smmu.TableAllocator;

/**
 * SMMUv3 model speed: an IOTLB-hit translation, and a full nested walk (4-level stage 1 over
 * 4-level stage 2, 4K granules: 24 descriptor reads) with the STE and CD already cached.
 * Run: see README "SMMUv3 model".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmmuBench {
    static final long OUT = 0x40_0000_0000L;
    static final int SID = 0x42;
    static final long VA = 0x7f12_3456_7000L;

    Smmu smmu;

    @Setup(Level.Trial)
    public void setUp() {
        SparseMemory mem = new SparseMemory();
        TableAllocator alloc = new TableAllocator(0x1000_0000L, 0x1000_0000L);
        smmu = new Smmu(SmmuConfig.builder().build(), mem);
        SmmuDriver drv = new SmmuDriver(smmu, mem, alloc).init(8, 16, true);
        Granule g = Granule.G4K;
        // stage 2: 44-bit IPA, start level 0 (SL0 = 2): four levels
        PageTableBuilder s2 = PageTableBuilder.stage2(mem, g, 20, 2, alloc);
        long guest = 32L << 20;
        for (long o = 0; o < guest; o += g.size()) {
            s2.mapPage(o, OUT + o, PageTableBuilder.S2_RW); // pages: every level is walked
        }
        TableAllocator galloc = new TableAllocator(0x10_0000L, 0x100_0000L);
        PageTableBuilder s1 = PageTableBuilder.stage1(mem, g, 16, galloc, ipa -> OUT + ipa);
        long cd = galloc.alloc(64, 64);
        CdBuilder.of(7, g, 16, s1.root()).writeTo(mem, OUT + cd);
        drv.streamTable().put(SID, SteBuilder.nested(cd, 3, g, 20, 2, 4, s2.root()));
        s1.mapPage(VA, 0x1ff_0000L, PageTableBuilder.S1_RW);
        long pa = smmu.translatePa(SID, Smmu.NO_SSID, VA, Access.READ);
        if (pa != OUT + 0x1ff_0000L) {
            throw new IllegalStateException("setup translation failed: " + smmu.lastFailure());
        }
    }

    /** Full walk each time: the IOTLB and walk cache are emptied before every call. */
    @State(Scope.Thread)
    public static class Cold {
        Smmu smmu;

        @Setup(Level.Invocation)
        public void flush(SmmuBench b) {
            smmu = b.smmu;
            smmu.iotlb().invalidate(e -> true);
            smmu.walkCache().invalidate(e -> true);
        }
    }

    @Benchmark
    public long iotlbHitPa() {
        return smmu.translatePa(SID, Smmu.NO_SSID, VA + 0x18, Access.READ);
    }

    @Benchmark
    public DmaResult iotlbHitResult() {
        return smmu.translate(SID, Smmu.NO_SSID, VA + 0x18, Access.READ);
    }

    @Benchmark
    public long nestedFullWalk(Cold cold) {
        return cold.smmu.translatePa(SID, Smmu.NO_SSID, VA + 0x18, Access.READ);
    }
}
