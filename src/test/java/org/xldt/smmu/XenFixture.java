package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;

/**
 * Two physical SMMUs (A at 0x09050000, B at 0x09070000), a domU "guest" with 16 MiB of RAM at
 * 0x40000000 and two devices (vSID 0 = pSID 0x10 of A, vSID 1 = pSID 0x20 of B), and a second
 * domU "other" (vSID 0 = pSID 0x11 of A). The guest's Linux-like driver allocates from its RAM.
 */
final class XenFixture {
    static final long A = 0x0905_0000L;
    static final long B = 0x0907_0000L;
    static final long RAM = 0x4000_0000L;
    static final long RAM_SIZE = 16L << 20;

    final XenSystem xen;
    final Domain guest;
    final Domain other;
    final VSmmu vsmmu;
    final TableAllocator alloc = new TableAllocator(RAM + 0x10_0000L, 0x40_0000L);
    SmmuDriver drv;

    XenFixture() {
        this(XenSystem.DEFAULT_COMMAND_BUDGET, SmmuConfig.builder().build());
    }

    XenFixture(int budget, SmmuConfig host) {
        xen = new XenSystem(List.of(new XenSystem.HostSpec(A, host, 74),
                new XenSystem.HostSpec(B, host, 78)), budget);
        guest = xen.addDomain(XenSystem.DomainSpec.domU("guest",
                List.of(new XenSystem.Ram(RAM, RAM_SIZE)),
                List.of(new XenSystem.StreamSpec(0, A, 0x10),
                        new XenSystem.StreamSpec(1, B, 0x20))));
        other = xen.addDomain(XenSystem.DomainSpec.domU("other",
                List.of(new XenSystem.Ram(RAM, RAM_SIZE)),
                List.of(new XenSystem.StreamSpec(0, A, 0x11))));
        vsmmu = guest.vsmmu();
    }

    /** The guest's driver probes and enables its vSMMU (2-level stream table, 256-entry queues). */
    XenFixture init() {
        drv = new SmmuDriver(vsmmu, guest.memory(), alloc).init(8, 16, true);
        return this;
    }

    Memory gmem() {
        return guest.memory();
    }

    /** Guest stage 1 tables (4K, T0SZ 16) in guest memory. */
    PageTableBuilder s1() {
        return PageTableBuilder.stage1(gmem(), Granule.G4K, 16, alloc);
    }

    /** A guest CD for {@code asid} over {@code pt}, written in guest memory; its IPA. */
    long cd(int asid, PageTableBuilder pt) {
        long a = alloc.alloc(64, 64);
        CdBuilder.of(asid, Granule.G4K, 16, pt.root()).writeTo(gmem(), a);
        return a;
    }

    /** Writes the guest STE of {@code vsid} and invalidates it (CFGI_STE + SYNC). */
    void ste(int vsid, SteBuilder ste) {
        drv.streamTable().put(vsid, ste);
        submit(Commands.cfgiSte(vsid, true), Commands.sync(CmdLayout.CS_NONE));
    }

    /** Submits and waits as Linux does (polls CMDQ_CONS); fails the test on a stall. */
    void submit(long[]... cmds) {
        if (!drv.submitAndWait(1000, cmds)) {
            throw new AssertionError("command queue did not complete: error "
                    + drv.commandError());
        }
    }

    DmaResult dma(int vsid, long iova, Access a) {
        return xen.dma(guest, vsid, iova, a);
    }

    long pa(int vsid, long iova, Access a) {
        return Fixture.okPa(dma(vsid, iova, a));
    }

    List<Event> guestEvents() {
        return drv.drainEvents();
    }

    List<XenLogEntry> logSince(int n) {
        return new ArrayList<>(xen.xenLog().subList(n, xen.xenLog().size()));
    }
}
