package org.xldt.bench;

import java.util.List;
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
import org.xldt.smmu.CmdLayout;
import org.xldt.smmu.Commands;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.Domain;
import org.xldt.smmu.Granule;
import org.xldt.smmu.PageTableBuilder;
import org.xldt.smmu.Reg;
import org.xldt.smmu.SmmuConfig;
import org.xldt.smmu.SmmuDriver;
import org.xldt.smmu.SteBuilder;
import org.xldt.smmu.TableAllocator;
import org.xldt.smmu.VSmmu;
import org.xldt.smmu.XenSystem;

/**
 * vSMMU trap path: a trapped register read, a guest TLBI_NH_VA + CMD_SYNC (two traps: the
 * driver reads CMDQ_PROD, writes the commands into guest memory, writes CMDQ_PROD; Xen forwards
 * the TLBI to the physical SMMU and publishes it with a physical CMD_SYNC), and a guest
 * CFGI_STE + CMD_SYNC (re-reading the guest STE through the p2m and installing the nested STE).
 * Run: see README "SMMUv3 model".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VSmmuBench {
    static final long HOST = 0x0905_0000L;
    static final long RAM = 0x4000_0000L;
    static final long IOVA = 0x1000_0000L;

    XenSystem xen;
    VSmmu vsmmu;
    SmmuDriver drv;
    long[] tlbi;
    long[] cfgi;
    long[] sync;

    @Setup(Level.Trial)
    public void setUp() {
        xen = new XenSystem(List.of(new XenSystem.HostSpec(HOST, SmmuConfig.builder().build())));
        Domain d = xen.addDomain(XenSystem.DomainSpec.domU("bench",
                List.of(new XenSystem.Ram(RAM, 16L << 20)),
                List.of(new XenSystem.StreamSpec(0, HOST, 0x10))));
        vsmmu = d.vsmmu();
        TableAllocator alloc = new TableAllocator(RAM + 0x10_0000L, 0x40_0000L);
        drv = new SmmuDriver(vsmmu, d.memory(), alloc).init(8, 16, true);
        PageTableBuilder pt = PageTableBuilder.stage1(d.memory(), Granule.G4K, 16, alloc);
        pt.mapPage(IOVA, RAM + 0x80_0000L, PageTableBuilder.S1_RW);
        long cd = alloc.alloc(64, 64);
        CdBuilder.of(1, Granule.G4K, 16, pt.root()).writeTo(d.memory(), cd);
        drv.streamTable().put(0, SteBuilder.s1(cd));
        drv.submit(Commands.cfgiSte(0, true), Commands.sync(CmdLayout.CS_NONE));
        if (!(xen.dma(HOST, 0x10, IOVA, Access.READ) instanceof DmaResult.Ok)) {
            throw new IllegalStateException("setup translation failed");
        }
        tlbi = Commands.tlbiNhVa(0, 1, IOVA, true);
        cfgi = Commands.cfgiSte(0, true);
        sync = Commands.sync(CmdLayout.CS_NONE);
    }

    @Benchmark
    public long trapRegisterRead() {
        return vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4);
    }

    @Benchmark
    public long guestTlbiVaSync() {
        drv.submit(tlbi, sync);
        return vsmmu.commands();
    }

    @Benchmark
    public long guestCfgiSteSync() {
        drv.submit(cfgi, sync);
        return vsmmu.commands();
    }
}
