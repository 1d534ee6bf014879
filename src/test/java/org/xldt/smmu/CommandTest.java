package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xldt.smmu.CmdLayout.Opcode;

/** One test per opcode: legal forms complete, illegal ones stop the queue with CERROR_ILL. */
class CommandTest {

    static SmmuConfig full() {
        return SmmuConfig.builder().hyp(true).msi(true).build();
    }

    /** Submits one command; returns CMDQ_CONS.ERR (and acknowledges the error). */
    static int run(Fixture f, long[] cmd) {
        f.drv.submit(cmd);
        int err = f.drv.commandError();
        if (err != 0) {
            f.drv.acknowledgeErrors();
        }
        return err;
    }

    static void assertOk(Fixture f, long[] cmd, Opcode op) {
        long before = f.smmu.commandCount(op);
        assertEquals(0, run(f, cmd), op.name());
        assertEquals(before + 1, f.smmu.commandCount(op), op.name());
    }

    static void assertIll(Fixture f, long[] cmd) {
        long cons = f.smmu.read(Reg.CMDQ_CONS) & 0xfffff;
        long gerror = f.smmu.read(Reg.GERROR);
        f.drv.submit(cmd);
        assertEquals(CmdLayout.CERROR_ILL, f.drv.commandError());
        assertEquals(cons, f.smmu.read(Reg.CMDQ_CONS) & 0xfffff, "CONS stays on the command");
        assertEquals(gerror ^ 1, f.smmu.read(Reg.GERROR), "GERROR.CMDQ_ERR toggled");
        // skip the bad command: overwrite it with a SYNC, then acknowledge
        f.mem.writeLongs(f.drv.cmdqBase() + 16 * (cons & 0xff), Commands.sync(0), 0, 2);
        f.drv.acknowledgeErrors();
        assertEquals(0, f.smmu.registers().activeErrors());
        assertFalse(f.smmu.commandsPending(), "the queue resumed after GERRORN");
    }

    @Test
    void prefetchConfigAndAddr() {
        Fixture f = new Fixture(full());
        assertOk(f, Commands.prefetchConfig(3), Opcode.PREFETCH_CONFIG);
        assertOk(f, Commands.of(Opcode.PREFETCH_ADDR, CmdLayout.SID, 3, CmdLayout.ADDR, 0x4000,
                CmdLayout.PF_SIZE, 2), Opcode.PREFETCH_ADDR);
    }

    @Test
    void cfgiCommandsComplete() {
        Fixture f = new Fixture(full());
        assertOk(f, Commands.cfgiSte(1, true), Opcode.CFGI_STE);
        assertOk(f, Commands.cfgiSteRange(16, 3), Opcode.CFGI_STE_RANGE);
        assertOk(f, Commands.cfgiAll(), Opcode.CFGI_STE_RANGE);
        assertOk(f, Commands.cfgiCd(1, 0, false), Opcode.CFGI_CD);
        assertOk(f, Commands.cfgiCdAll(1), Opcode.CFGI_CD_ALL);
    }

    @Test
    void tlbiCommandsComplete() {
        Fixture f = new Fixture(full());
        assertOk(f, Commands.tlbiNhAll(1), Opcode.TLBI_NH_ALL);
        assertOk(f, Commands.tlbiNhAsid(1, 2), Opcode.TLBI_NH_ASID);
        assertOk(f, Commands.tlbiNhVa(1, 2, 0x1000, true), Opcode.TLBI_NH_VA);
        assertOk(f, Commands.tlbiNhVaa(1, 0x1000, false), Opcode.TLBI_NH_VAA);
        assertOk(f, Commands.tlbiEl2All(), Opcode.TLBI_EL2_ALL);
        assertOk(f, Commands.tlbiEl2Asid(4), Opcode.TLBI_EL2_ASID);
        assertOk(f, Commands.tlbiEl2Va(4, 0x2000, true), Opcode.TLBI_EL2_VA);
        assertOk(f, Commands.tlbiEl2Vaa(0x2000, true), Opcode.TLBI_EL2_VAA);
        assertOk(f, Commands.tlbiS12Vmall(1), Opcode.TLBI_S12_VMALL);
        assertOk(f, Commands.tlbiS2Ipa(1, 0x3000, true), Opcode.TLBI_S2_IPA);
        assertOk(f, Commands.tlbiNsnhAll(), Opcode.TLBI_NSNH_ALL);
        assertOk(f, Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 2, 0x10000, false, Granule.G4K, 3,
                3, 1), Opcode.TLBI_NH_VA);
        assertOk(f, Commands.tlbiRange(Opcode.TLBI_S2_IPA, 1, 0, 0x10000, true, Granule.G64K,
                0, 1, 0), Opcode.TLBI_S2_IPA);
    }

    @Test
    void syncSignalsAsAsked() {
        Fixture f = new Fixture(SmmuConfig.builder().build());
        long pulses = f.smmu.cmdqSyncIrq().pulses();
        f.smmu.write(Reg.IRQ_CTRL, 0); // CMD_SYNC's interrupt has no enable
        assertOk(f, Commands.sync(CmdLayout.CS_IRQ), Opcode.SYNC);
        assertEquals(pulses + 1, f.smmu.cmdqSyncIrq().pulses());
        long sev = f.smmu.sevCount();
        assertOk(f, Commands.sync(CmdLayout.CS_SEV), Opcode.SYNC);
        assertEquals(sev + 1, f.smmu.sevCount());
        assertOk(f, Commands.sync(CmdLayout.CS_NONE), Opcode.SYNC);
        assertEquals(pulses + 1, f.smmu.cmdqSyncIrq().pulses());
        assertEquals(sev + 1, f.smmu.sevCount());
        Fixture nosev = new Fixture(SmmuConfig.builder().sev(false).build());
        assertOk(nosev, Commands.sync(CmdLayout.CS_SEV), Opcode.SYNC);
        assertEquals(0, nosev.smmu.sevCount(), "SIG_SEV sends nothing without IDR0.SEV");
    }

    @Test
    void syncMsiWritesDataWhenMsiIsImplemented() {
        Fixture f = new Fixture(full());
        long flag = f.alloc.alloc(8, 8);
        long pulses = f.smmu.cmdqSyncIrq().pulses();
        assertOk(f, Commands.syncMsi(flag, 0xabcd1234), Opcode.SYNC);
        assertEquals(0xabcd1234L, f.mem.read32(flag) & 0xffffffffL);
        assertEquals(pulses, f.smmu.cmdqSyncIrq().pulses(), "an MSI replaces the wired line");
        f.mem.addAbortRegion(0x7000_0000L, 0x1000);
        assertOk(f, Commands.syncMsi(0x7000_0000L, 1), Opcode.SYNC);
        assertTrue((f.smmu.registers().activeErrors()
                & Regs.GERROR.MSI_CMDQ_ABT_ERR.mask()) != 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x08, 0x0A, 0x14, 0x19, 0x29, 0x31, 0x47, 0x80, 0x8F, 0xFF})
    void reservedOpcodesAreIllegal(int code) {
        Fixture f = new Fixture(full());
        assertIll(f, new long[] {code, 0});
    }

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = {"CFGI_VMS_PIDM", "TLBI_EL3_ALL", "TLBI_EL3_VA",
        "ATC_INV", "PRI_RESP", "RESUME", "STALL_TERM", "TLBI_S_EL2_ALL", "TLBI_S_EL2_ASID",
        "TLBI_S_EL2_VA", "TLBI_S_EL2_VAA", "TLBI_S_S12_VMALL", "TLBI_S_S2_IPA", "TLBI_SNH_ALL",
        "DPTI_ALL", "DPTI_PA"})
    void commandsForAbsentFeaturesAreIllegal(Opcode op) {
        Fixture f = new Fixture(full());
        assertIll(f, Commands.of(op));
        assertEquals(0, f.smmu.commandCount(op));
    }

    @Test
    void reservedBitsAreIllegal() {
        Fixture f = new Fixture(full());
        long[] c = Commands.cfgiSte(1, false);
        c[0] |= 1L << 8; // bit 8 is RES0 in CFGI_STE
        assertIll(f, c);
        long[] d = Commands.tlbiNsnhAll();
        d[1] = 1;
        assertIll(f, d);
        long[] s = Commands.tlbiNhAll(1);
        s[0] |= 1L << 50; // ASID is not a field of TLBI_NH_ALL
        assertIll(f, s);
    }

    @Test
    void ssecIsIllegalOnTheNonSecureQueue() {
        Fixture f = new Fixture(full());
        for (long[] c : new long[][] {Commands.cfgiSte(1, false), Commands.cfgiSteRange(0, 31),
                Commands.cfgiCd(1, 0, true), Commands.cfgiCdAll(1), Commands.prefetchConfig(1)}) {
            c[0] |= CmdLayout.SSEC.mask();
            assertIll(f, c);
        }
    }

    @Test
    void tlbiForAnAbsentStageIsIllegal() {
        Fixture s1 = new Fixture(SmmuConfig.builder().s2p(false).build());
        assertIll(s1, Commands.tlbiS12Vmall(0));
        assertIll(s1, Commands.tlbiS2Ipa(0, 0x1000, true));
        assertOk(s1, Commands.tlbiNhAll(0), Opcode.TLBI_NH_ALL);
        Fixture s2 = new Fixture(SmmuConfig.builder().s1p(false).build());
        assertIll(s2, Commands.tlbiNhAll(1));
        assertIll(s2, Commands.tlbiNhAsid(1, 1));
        assertIll(s2, Commands.tlbiNhVa(1, 1, 0, true));
        assertIll(s2, Commands.tlbiNhVaa(1, 0, true));
        assertIll(s2, Commands.cfgiCd(1, 0, true));
        assertIll(s2, Commands.cfgiCdAll(1));
        assertOk(s2, Commands.tlbiS12Vmall(1), Opcode.TLBI_S12_VMALL);
        Fixture nohyp = new Fixture(SmmuConfig.builder().build());
        assertIll(nohyp, Commands.tlbiEl2All());
        assertIll(nohyp, Commands.tlbiEl2Va(0, 0, true));
    }

    @Test
    void rangeFieldsAreChecked() {
        Fixture f = new Fixture(full());
        // TG != 0 with NUM = SCALE = TTL = 0 is reserved
        assertIll(f, Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 1, 0, true, Granule.G4K, 0, 0,
                0));
        // TTL = 1 with 16K is treated as 0: the same reserved combination
        assertIll(f, Commands.tlbiRange(Opcode.TLBI_NH_VAA, 1, 0, 0, true, Granule.G16K, 1, 0,
                0));
        // NUM/SCALE/TTL are RES0 when TG = 0
        long[] c = Commands.tlbiNhVa(1, 1, 0, true);
        CmdLayout.NUM.set(c, 1);
        assertIll(f, c);
        Fixture noril = new Fixture(SmmuConfig.builder().ril(false).build());
        assertIll(noril, Commands.tlbiRange(Opcode.TLBI_NH_VA, 1, 1, 0, true, Granule.G4K, 3, 0,
                0));
        assertOk(noril, Commands.tlbiNhVa(1, 1, 0x5000, true), Opcode.TLBI_NH_VA);
    }

    @Test
    void reservedSyncCompletionIsIllegal() {
        Fixture f = new Fixture(full());
        assertIll(f, Commands.sync(3));
    }

    @Test
    void commandFetchAbortGivesCerrorAbt() {
        Fixture f = new Fixture(full());
        long cons = f.smmu.read(Reg.CMDQ_CONS) & 0xfffff;
        long slot = f.drv.cmdqBase() + 16 * (cons & 0xff);
        f.mem.addAbortRegion(slot, 16);
        f.drv.submit(Commands.sync(0));
        assertEquals(CmdLayout.CERROR_ABT, f.drv.commandError());
        assertEquals(1, f.smmu.registers().activeErrors() & 1);
        assertEquals(CommandQueue.State.ERROR, f.smmu.processCommands(10));
        f.mem.clearAbortRegions();
        f.mem.writeLongs(slot, Commands.sync(0), 0, 2);
        f.drv.acknowledgeErrors();
        assertFalse(f.smmu.commandsPending());
        assertEquals(cons + 1, f.smmu.read(Reg.CMDQ_CONS) & 0xfffff);
    }

    @Test
    void errorRaisesGerrorInterruptOnlyWhenEnabled() {
        Fixture f = new Fixture(full());
        long p = f.smmu.gerrorIrq().pulses();
        long slot = f.drv.cmdqBase() + 16 * (f.smmu.read(Reg.CMDQ_CONS) & 0xff);
        f.drv.submit(new long[] {0, 0});
        assertEquals(p + 1, f.smmu.gerrorIrq().pulses());
        assertTrue(f.smmu.gerrorIrq().level());
        f.mem.writeLongs(slot, Commands.sync(0), 0, 2);
        f.drv.acknowledgeErrors();
        assertFalse(f.smmu.gerrorIrq().level());
        f.smmu.write(Reg.IRQ_CTRL, 0);
        f.drv.submit(new long[] {0, 0});
        assertEquals(CmdLayout.CERROR_ILL, f.drv.commandError());
        assertEquals(p + 1, f.smmu.gerrorIrq().pulses(), "GERROR_IRQEN = 0: no interrupt");
        assertFalse(f.smmu.gerrorIrq().level());
    }

    @Test
    void processingIsBounded() {
        Fixture f = new Fixture(SmmuConfig.builder().commandBudgetPerWrite(3).build());
        long before = f.smmu.syncCount();
        long[][] cmds = new long[10][];
        for (int i = 0; i < 10; i++) {
            cmds[i] = Commands.sync(0);
        }
        f.drv.submit(cmds);
        assertEquals(before + 3, f.smmu.syncCount(), "only the per-write budget ran");
        assertTrue(f.smmu.commandsPending());
        assertEquals(CommandQueue.State.MORE, f.smmu.processCommands(4));
        assertEquals(before + 7, f.smmu.syncCount());
        assertEquals(CommandQueue.State.IDLE, f.smmu.processCommands(100));
        assertEquals(before + 10, f.smmu.syncCount());
        f.smmu.write(Reg.CR0, 0);
        assertEquals(CommandQueue.State.DISABLED, f.smmu.processCommands(1));
    }

    @Test
    void everyOpcodeDecodesByName() {
        for (Opcode op : Opcode.values()) {
            assertSame(op, Opcode.of(op.code));
        }
        assertNull(Opcode.of(0x07 + 1));
        assertEquals(34, Opcode.values().length);
    }
}
