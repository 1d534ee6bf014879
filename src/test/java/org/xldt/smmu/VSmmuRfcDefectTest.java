package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Acceptance 4: one test per defect of the RFC emulator (reference xen-vsmmuv3-series.md §5, §7).
 * Each javadoc says what the RFC does and why the test fails on that behaviour.
 */
class VSmmuRfcDefectTest {
    static final long IOVA = 0x2000_0000L;
    static final long BUF = XenFixture.RAM + 0x90_0000L;

    /** A nested-capable guest stream 0 with ASID {@code asid} mapping IOVA → BUF. */
    private static PageTableBuilder stream0(XenFixture f, int asid) {
        PageTableBuilder pt = f.s1();
        pt.mapPage(IOVA, BUF, PageTableBuilder.S1_RW);
        pt.mapPage(IOVA + 0x1000, BUF + 0x1000, PageTableBuilder.S1_RW);
        f.ste(0, SteBuilder.s1(f.cd(asid, pt)));
        return pt;
    }

    /**
     * RFC: {@code decode_ste} reaches {@code BUG()} for Config 1–3 and 7 (a guest crashes Xen);
     * here that would be an exception. Architecture (§5.2 STE.Config): 0b0xx is "Reserved
     * (behaves as 0b000)", i.e. "Report abort to device, no event recorded"; 0b111 with
     * IDR0.S2P = 0 is ILLEGAL, i.e. C_BAD_STE on the guest's event queue.
     */
    @Test
    void reservedAndStage2SteConfigsDoNotCrashXen() {
        XenFixture f = new XenFixture().init();
        for (int config : new int[] {0b001, 0b010, 0b011}) {
            f.ste(0, new SteBuilder().config(config));
            assertEquals(VSmmu.Shadow.ABORT, f.vsmmu.stream(0).shadow(), "Config " + config);
            assertInstanceOf(DmaResult.Abort.class, f.dma(0, IOVA, Access.READ));
            assertTrue(f.guestEvents().isEmpty(), "abort records no event");
        }
        for (int config : new int[] {SteLayout.CONFIG_S2, SteLayout.CONFIG_NESTED}) {
            f.ste(0, SteBuilder.nested(BUF, 1, Granule.G4K, 24, 1, 5, BUF)
                    .config(config));
            assertEquals(VSmmu.Shadow.INVALID, f.vsmmu.stream(0).shadow());
            assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA, Access.READ));
            List<Event> ev = f.guestEvents();
            assertEquals(1, ev.size());
            assertEquals(EventType.C_BAD_STE, ev.get(0).type());
            assertEquals(0, ev.get(0).sid());
        }
    }

    /**
     * RFC: writing EVTQ_BASE clamps {@code cmdq}'s size (copy-paste bug), so a large event
     * queue shrinks the command queue. Here CMDQ_BASE and the command queue are untouched.
     */
    @Test
    void eventQueueBaseWriteLeavesTheCommandQueueAlone() {
        XenFixture f = new XenFixture().init();
        long cmdqBase = f.vsmmu.mmioRead(Reg.CMDQ_BASE.offset, 8);
        f.drv.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.SMMUEN.mask()); // EVENTQEN = 0
        long evq = XenFixture.RAM; // 16 MiB aligned: the capped 2^19-entry queue
        f.drv.write(Reg.EVENTQ_BASE, evq | 31); // LOG2SIZE 31: capped to IDR1.EVENTQS = 19
        assertEquals(cmdqBase, f.vsmmu.mmioRead(Reg.CMDQ_BASE.offset, 8));
        assertEquals(evq | 31, f.vsmmu.mmioRead(Reg.EVENTQ_BASE.offset, 8));
        assertEquals(8, Regs.Q_BASE.LOG2SIZE.get(f.vsmmu.mmioRead(Reg.CMDQ_BASE.offset, 8)));
        // 300 commands through the 256-entry queue (it wraps): all complete, in order
        for (int i = 0; i < 300; i += 30) {
            long[][] cmds = new long[30][];
            for (int j = 0; j < 30; j++) {
                cmds[j] = Commands.prefetchConfig(j);
            }
            f.submit(cmds);
        }
        assertEquals(0, f.drv.commandError());
        assertEquals(300 + 3, f.vsmmu.commands()); // + the driver's CFGI_ALL, TLBI, SYNC
    }

    /**
     * RFC: a guest STE with V = 0 is ignored and the old configuration stays, so the device
     * keeps translating. Architecture: V = 0 aborts transactions and records C_BAD_STE.
     */
    @Test
    void invalidatingAnSteTearsDownTheOldConfiguration() {
        XenFixture f = new XenFixture().init();
        stream0(f, 1);
        assertEquals(f.guest.p2m().translate(BUF), f.pa(0, IOVA, Access.READ));
        f.ste(0, new SteBuilder().valid(false));
        assertEquals(VSmmu.Shadow.INVALID, f.vsmmu.stream(0).shadow());
        f.submit(Commands.tlbiNhAsid(0, 1), Commands.sync(0));
        DmaResult.Fault fault = assertInstanceOf(DmaResult.Fault.class,
                f.dma(0, IOVA, Access.READ));
        assertEquals(EventType.C_BAD_STE, fault.event().type());
        List<Event> ev = f.guestEvents();
        assertEquals(1, ev.size());
        assertEquals(EventType.C_BAD_STE, ev.get(0).type());
    }

    /**
     * RFC: IRQ_CTRL is stored but never checked before injecting, so a guest that disabled its
     * interrupts still gets them. Here EVENTQ_IRQEN and GERROR_IRQEN gate the guest interrupt
     * while the event and the global error are still recorded.
     */
    @Test
    void irqCtrlGatesTheGuestInterrupt() {
        XenFixture f = new XenFixture().init();
        stream0(f, 1);
        f.drv.write(Reg.IRQ_CTRL, 0);
        assertEquals(0, f.vsmmu.mmioRead(Reg.IRQ_CTRLACK.offset, 4));
        IrqLine comb = f.vsmmu.irq("combined");
        long before = comb.pulses();
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA + 0x5000, Access.READ));
        f.drv.submit(Commands.of(CmdLayout.Opcode.TLBI_EL2_ALL)); // ILL: no HYP in the vSMMU
        assertEquals(CmdLayout.CERROR_ILL, f.drv.commandError());
        assertEquals(before, comb.pulses(), "no interrupt while IRQ_CTRL = 0");
        assertEquals(1, f.guestEvents().size(), "the event is still recorded");
        f.drv.skipFailedCommand();
        f.drv.write(Reg.IRQ_CTRL, Regs.IRQ_CTRL.EVENTQ_IRQEN.mask()
                | Regs.IRQ_CTRL.GERROR_IRQEN.mask());
        assertInstanceOf(DmaResult.Fault.class, f.dma(0, IOVA + 0x5000, Access.READ));
        assertEquals(before + 1, comb.pulses());
        f.drv.submit(Commands.of(CmdLayout.Opcode.TLBI_EL2_ALL));
        assertEquals(before + 2, comb.pulses());
    }

    /**
     * RFC: GBPA (and GERROR_IRQ_CFG1/2, EVTQ_IRQ_CFG1/2) accesses abort, so Linux's probe
     * faults. Here GBPA works (UPDATE protocol, ABORT decides what the devices of a disabled
     * vSMMU do) and the absent IRQ_CFG registers read as zero.
     */
    @Test
    void gbpaIsEmulated() {
        XenFixture f = new XenFixture();
        VSmmu v = f.vsmmu;
        assertEquals(Regs.GBPA.SHCFG.insert(0, 1), v.mmioRead(Reg.GBPA.offset, 4));
        v.mmioWrite(Reg.GBPA.offset, 4, Regs.GBPA.UPDATE.mask() | Regs.GBPA.ABORT.mask());
        assertEquals(Regs.GBPA.ABORT.mask(), v.mmioRead(Reg.GBPA.offset, 4));
        assertInstanceOf(DmaResult.Abort.class, f.dma(0, BUF, Access.READ));
        assertEquals(VSmmu.Shadow.ABORT, v.stream(1).shadow());
        v.mmioWrite(Reg.GBPA.offset, 4, Regs.GBPA.UPDATE.mask());
        assertEquals(f.guest.p2m().translate(BUF), f.pa(0, BUF, Access.READ)); // bypass: IPA
        assertEquals(0, v.mmioRead(Reg.GERROR_IRQ_CFG1.offset, 4));
        assertEquals(0, v.mmioRead(Reg.EVENTQ_IRQ_CFG2.offset, 4));
    }

    /**
     * RFC: unknown opcodes are logged and consumed (CONS advances), no CERROR, no GERROR.
     * Architecture: CONS stops on the command, CMDQ_CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR
     * toggles, and nothing after it runs until GERRORN acknowledges.
     */
    @Test
    void unknownCommandStopsTheQueueWithCerrorIll() {
        XenFixture f = new XenFixture().init();
        PageTableBuilder pt = f.s1();
        pt.mapPage(IOVA, BUF, PageTableBuilder.S1_RW);
        f.drv.streamTable().put(0, SteBuilder.s1(f.cd(1, pt)));
        long cons = f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4);
        f.drv.submit(new long[] {0x7f, 0}, Commands.cfgiSte(0, true), Commands.sync(0));
        assertEquals(cons, f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4) & 0xfffff);
        assertEquals(CmdLayout.CERROR_ILL, Regs.Q_PTR.ERR.get(
                f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4)));
        long gerror = f.vsmmu.mmioRead(Reg.GERROR.offset, 4)
                ^ f.vsmmu.mmioRead(Reg.GERRORN.offset, 4);
        assertTrue(Regs.GERROR.CMDQ_ERR.isSet(gerror));
        assertNotEquals(VSmmu.Shadow.NESTED, f.vsmmu.stream(0).shadow(), "CFGI_STE waits");
        f.drv.skipFailedCommand();
        assertEquals(VSmmu.Shadow.NESTED, f.vsmmu.stream(0).shadow());
        assertEquals(1, f.vsmmu.illegalCommands());
    }

    /**
     * RFC: every TLBI_NH_ASID/VA and TLBI_NSNH_ALL becomes {@code iommu_iotlb_flush_all}, a
     * whole-VMID flush of every context of the domain. Here each removes exactly its scope:
     * one page of one ASID, or one ASID; Xen's stage 2 entries and other ASIDs stay.
     */
    @Test
    void tlbiKeepsItsScopeInsteadOfFlushingTheVmid() {
        XenFixture f = new XenFixture().init();
        stream0(f, 1);
        PageTableBuilder pt1 = f.s1();
        pt1.mapPage(IOVA, BUF + 0x2000, PageTableBuilder.S1_RW);
        f.ste(1, SteBuilder.s1(f.cd(2, pt1)));
        f.pa(0, IOVA, Access.READ);
        f.pa(0, IOVA + 0x1000, Access.READ);
        f.pa(1, IOVA, Access.READ);
        Iotlb a = f.xen.host(XenFixture.A).smmu().iotlb();
        Iotlb b = f.xen.host(XenFixture.B).smmu().iotlb();
        int vmid = f.guest.vmid();
        long nestedA = a.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED).count();
        long s2A = a.entries().stream().filter(e -> e.kind() == TlbEntry.S2).count();
        assertEquals(2, nestedA);
        assertTrue(s2A > 0);
        f.submit(Commands.tlbiNhVa(0, 1, IOVA, true), Commands.sync(0));
        List<TlbEntry> left = a.entries();
        assertEquals(1, left.stream().filter(e -> e.kind() == TlbEntry.NESTED).count());
        assertTrue(left.stream().anyMatch(e -> e.kind() == TlbEntry.NESTED
                && e.inBase() == IOVA + 0x1000 && e.asid() == 1 && e.vmid() == vmid));
        assertEquals(s2A, left.stream().filter(e -> e.kind() == TlbEntry.S2).count());
        assertEquals(1, b.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED).count());
        f.submit(Commands.tlbiNhAsid(0, 2), Commands.sync(0)); // ASID 2 lives on SMMU B
        assertEquals(0, b.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED).count());
        assertEquals(1, a.entries().stream().filter(e -> e.kind() == TlbEntry.NESTED).count());
        assertEquals(s2A, a.entries().stream().filter(e -> e.kind() == TlbEntry.S2).count());
    }

    /**
     * RFC: a PROD write runs the whole guest-sized queue under a spin lock (no budget, no
     * preemption). Here each trap runs at most the budget; the rest continue on later traps or
     * Xen's scheduled continuation.
     */
    @Test
    void commandsRunWithinABudgetPerTrap() {
        XenFixture f = new XenFixture(16, SmmuConfig.builder().build()).init();
        long start = f.vsmmu.commands();
        long[][] cmds = new long[200][];
        for (int i = 0; i < cmds.length; i++) {
            cmds[i] = Commands.prefetchConfig(i);
        }
        f.drv.submit(cmds);
        assertEquals(16, f.vsmmu.commands() - start);
        assertTrue(f.vsmmu.hasContinuation());
        f.vsmmu.mmioRead(Reg.CMDQ_CONS.offset, 4); // a later trap continues
        assertEquals(32, f.vsmmu.commands() - start);
        int runs = 0;
        while (f.xen.runContinuations()) {
            runs++;
        }
        assertEquals(200, f.vsmmu.commands() - start);
        assertEquals((200 - 32 + 15) / 16 - 1, runs);
        assertEquals(16, f.vsmmu.maxCommandsPerTrap());
        assertFalse(f.vsmmu.hasContinuation());
    }

    /**
     * RFC: the STE lookup always walks a 2-level table with a fixed split of 8 (FMT ignored).
     * Here a guest's linear stream table works.
     */
    @Test
    void linearGuestStreamTableIsHonoured() {
        XenFixture f = new XenFixture();
        f.drv = new SmmuDriver(f.vsmmu, f.gmem(), f.alloc).init(8, 4, false);
        stream0(f, 3);
        assertEquals(f.guest.p2m().translate(BUF + 0x1000), f.pa(0, IOVA + 0x1000,
                Access.WRITE));
    }
}
