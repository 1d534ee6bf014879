package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** One test (or more) per register: reset value, fields, write rules and access widths. */
class RegisterFileTest {
    final SparseMemory mem = new SparseMemory();

    Smmu smmu(SmmuConfig c) {
        return new Smmu(c, mem);
    }

    Smmu smmu() {
        return smmu(SmmuConfig.builder().build());
    }

    @Test
    void idr0ReflectsFeatures() {
        long v = smmu().read(Reg.IDR0);
        assertEquals(1, Regs.IDR0.S1P.get(v));
        assertEquals(1, Regs.IDR0.S2P.get(v));
        assertEquals(Regs.IDR0.TTF_AARCH64, Regs.IDR0.TTF.get(v));
        assertEquals(1, Regs.IDR0.COHACC.get(v));
        assertEquals(1, Regs.IDR0.ASID16.get(v));
        assertEquals(1, Regs.IDR0.VMID16.get(v));
        assertEquals(Regs.IDR0.TTENDIAN_LE, Regs.IDR0.TTENDIAN.get(v));
        assertEquals(Regs.IDR0.STALL_NONE, Regs.IDR0.STALL_MODEL.get(v));
        assertEquals(1, Regs.IDR0.TERM_MODEL.get(v));
        assertEquals(1, Regs.IDR0.ST_LVL.get(v));
        assertEquals(0, Regs.IDR0.MSI.get(v));
        assertEquals(0, Regs.IDR0.PRI.get(v));
        assertEquals(0, Regs.IDR0.ATS.get(v));
        long s1only = smmu(SmmuConfig.builder().s2p(false).vmid16(false).asid16(false)
                .twoLevelStreamTable(false).cohacc(false).msi(true).hyp(true).build())
                .read(Reg.IDR0);
        assertEquals(0, Regs.IDR0.S2P.get(s1only));
        assertEquals(1, Regs.IDR0.S1P.get(s1only));
        assertEquals(0, Regs.IDR0.ST_LVL.get(s1only));
        assertEquals(0, Regs.IDR0.VMID16.get(s1only));
        assertEquals(0, Regs.IDR0.ASID16.get(s1only));
        assertEquals(0, Regs.IDR0.COHACC.get(s1only));
        assertEquals(1, Regs.IDR0.MSI.get(s1only));
        assertEquals(1, Regs.IDR0.HYP.get(s1only));
    }

    @Test
    void idr1Idr3Idr5AndIdentification() {
        Smmu s = smmu(SmmuConfig.builder().sidSize(12).ssidSize(5).cmdqs(10).eventqs(9)
                .oas(40).granules(true, false, true).ril(false).build());
        long i1 = s.read(Reg.IDR1);
        assertEquals(12, Regs.IDR1.SIDSIZE.get(i1));
        assertEquals(5, Regs.IDR1.SSIDSIZE.get(i1));
        assertEquals(10, Regs.IDR1.CMDQS.get(i1));
        assertEquals(9, Regs.IDR1.EVENTQS.get(i1));
        assertEquals(0, Regs.IDR1.PRIQS.get(i1));
        assertEquals(0, Regs.IDR3.RIL.get(s.read(Reg.IDR3)));
        assertEquals(1, Regs.IDR3.HAD.get(s.read(Reg.IDR3)));
        long i5 = s.read(Reg.IDR5);
        assertEquals(2, Regs.IDR5.OAS.get(i5)); // 40 bits
        assertEquals(1, Regs.IDR5.GRAN4K.get(i5));
        assertEquals(0, Regs.IDR5.GRAN16K.get(i5));
        assertEquals(1, Regs.IDR5.GRAN64K.get(i5));
        assertEquals(0, s.read(Reg.IDR2));
        assertEquals(0, s.read(Reg.IDR4));
        assertEquals(0x43B, Regs.IIDR.IMPLEMENTER.get(s.read(Reg.IIDR)));
        assertEquals(2, Regs.AIDR.MINOR.get(s.read(Reg.AIDR)));
        assertEquals(0, Regs.AIDR.MAJOR.get(s.read(Reg.AIDR)));
        s.write(Reg.IDR0, 0);
        s.write(Reg.IIDR, 0);
        assertNotEquals(0, s.read(Reg.IDR0), "ID registers are read-only");
        assertEquals(0x43B, s.read(Reg.IIDR));
    }

    @Test
    void cr0IsAcknowledgedAtOnceAndReservedBitsAreDropped() {
        Smmu s = smmu();
        s.write(Reg.CR0, 0xffff_ffffL);
        long expect = Regs.CR0.SMMUEN.mask() | Regs.CR0.EVENTQEN.mask() | Regs.CR0.CMDQEN.mask();
        assertEquals(expect, s.read(Reg.CR0));
        assertEquals(expect, s.read(Reg.CR0ACK));
        s.write(Reg.CR0, Regs.CR0.CMDQEN.mask());
        assertEquals(Regs.CR0.CMDQEN.mask(), s.read(Reg.CR0ACK));
        s.write(Reg.CR0ACK, 0);
        assertEquals(Regs.CR0.CMDQEN.mask(), s.read(Reg.CR0ACK), "CR0ACK is read-only");
    }

    @Test
    void cr1AndCr2KeepOnlyTheirFields() {
        Smmu s = smmu();
        s.write(Reg.CR1, 0xffff_ffffL);
        assertEquals(0xfff, s.read(Reg.CR1));
        s.write(Reg.CR2, 0xffff_ffffL);
        assertEquals(Regs.CR2.RECINVSID.mask() | Regs.CR2.PTM.mask(), s.read(Reg.CR2),
                "E2H is RES0 without HYP");
        Smmu h = smmu(SmmuConfig.builder().hyp(true).build());
        h.write(Reg.CR2, 0xffff_ffffL);
        assertEquals(7, h.read(Reg.CR2));
    }

    @Test
    void statusrReadsZeroAndIgnoresWrites() {
        Smmu s = smmu();
        s.write(Reg.STATUSR, 1);
        assertEquals(0, s.read(Reg.STATUSR));
    }

    @Test
    void gbpaUpdateProtocol() {
        Smmu s = smmu();
        assertEquals(0x1000, s.read(Reg.GBPA), "reset: SHCFG = use incoming");
        s.write(Reg.GBPA, Regs.GBPA.ABORT.mask());
        assertEquals(0x1000, s.read(Reg.GBPA), "a write without UPDATE is ignored");
        s.write(Reg.GBPA, Regs.GBPA.UPDATE.mask() | Regs.GBPA.ABORT.mask());
        assertEquals(Regs.GBPA.ABORT.mask(), s.read(Reg.GBPA), "applied; UPDATE reads 0");
        assertTrue(smmu(SmmuConfig.builder().gbpaAbortAtReset(true).build())
                .read(Reg.GBPA) != 0x1000);
    }

    @Test
    void gbpaGovernsTrafficWhileDisabled() {
        Smmu s = smmu();
        assertEquals(new DmaResult.Ok(0x1234, 7, 64), s.translate(1, 0x1234, false));
        s.write(Reg.GBPA, Regs.GBPA.UPDATE.mask() | Regs.GBPA.ABORT.mask());
        assertInstanceOf(DmaResult.Abort.class, s.translate(1, 0x1234, true));
        s.write(Reg.GBPA, Regs.GBPA.UPDATE.mask());
        assertInstanceOf(DmaResult.Abort.class, s.translate(1, 1L << 44, false),
                "bypass beyond the OAS aborts");
        assertEquals(0, s.eventsRecorded());
    }

    @Test
    void agbpaAndPriqAreRazWi() {
        Smmu s = smmu();
        for (Reg r : new Reg[] {Reg.AGBPA, Reg.PRIQ_BASE, Reg.PRIQ_PROD, Reg.PRIQ_CONS,
                Reg.PRIQ_IRQ_CFG0, Reg.PRIQ_IRQ_CFG1, Reg.PRIQ_IRQ_CFG2}) {
            assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(r.offset, r.size), r.name());
            s.write(r, -1L);
            assertEquals(0, s.read(r), r.name());
        }
    }

    @Test
    void irqCtrlAndAck() {
        Smmu s = smmu();
        s.write(Reg.IRQ_CTRL, 0xff);
        assertEquals(5, s.read(Reg.IRQ_CTRL), "PRIQ_IRQEN is RES0 without PRI");
        assertEquals(5, s.read(Reg.IRQ_CTRLACK));
        s.write(Reg.IRQ_CTRLACK, 0);
        assertEquals(5, s.read(Reg.IRQ_CTRLACK));
    }

    @Test
    void gerrorIsReadOnlyAndGerrornOnlyAcknowledges() {
        Smmu s = smmu();
        s.write(Reg.GERROR, 0x1fd);
        assertEquals(0, s.read(Reg.GERROR));
        s.write(Reg.GERRORN, Regs.GERROR.CMDQ_ERR.mask());
        assertEquals(0, s.read(Reg.GERRORN), "toggling an inactive error is ignored");
        assertEquals(0, s.registers().activeErrors());
        s.raiseGlobalError(Regs.GERROR.CMDQ_ERR);
        assertEquals(1, s.read(Reg.GERROR));
        assertEquals(1, s.registers().activeErrors());
        s.raiseGlobalError(Regs.GERROR.CMDQ_ERR);
        assertEquals(1, s.read(Reg.GERROR), "an active error is not toggled again");
        s.write(Reg.GERRORN, 1);
        assertEquals(1, s.read(Reg.GERRORN));
        assertEquals(0, s.registers().activeErrors());
        s.raiseGlobalError(Regs.GERROR.CMDQ_ERR);
        assertEquals(0, s.read(Reg.GERROR), "toggle semantics: the next error flips back");
        assertEquals(1, s.registers().activeErrors());
    }

    @Test
    void irqCfgRegistersExistOnlyWithMsi() {
        Smmu s = smmu();
        assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(0x68, 8));
        s.write(Reg.GERROR_IRQ_CFG0, 0x1234);
        assertEquals(0, s.read(Reg.GERROR_IRQ_CFG0));
        Smmu m = smmu(SmmuConfig.builder().msi(true).build());
        for (Reg r : new Reg[] {Reg.GERROR_IRQ_CFG0, Reg.EVENTQ_IRQ_CFG0}) {
            m.write(r, -1L);
            assertEquals(Regs.IRQ_CFG0.ADDR.mask(), m.read(r), r.name());
        }
        for (Reg r : new Reg[] {Reg.GERROR_IRQ_CFG1, Reg.EVENTQ_IRQ_CFG1}) {
            m.write(r, 0xcafef00dL);
            assertEquals(0xcafef00dL, m.read(r), r.name());
        }
        for (Reg r : new Reg[] {Reg.GERROR_IRQ_CFG2, Reg.EVENTQ_IRQ_CFG2}) {
            m.write(r, 0xff);
            assertEquals(0x3f, m.read(r), r.name());
        }
    }

    @Test
    void strtabRegistersIgnoreWritesWhileEnabled() {
        Smmu s = smmu();
        s.write(Reg.STRTAB_BASE, -1L);
        assertEquals(Regs.STRTAB_BASE.ADDR.mask() | Regs.STRTAB_BASE.RA.mask(),
                s.read(Reg.STRTAB_BASE));
        s.write(Reg.STRTAB_BASE_CFG, -1L);
        assertEquals(0x3_07ff, s.read(Reg.STRTAB_BASE_CFG));
        s.write(Reg.CR0, Regs.CR0.SMMUEN.mask());
        s.write(Reg.STRTAB_BASE, 0x4000);
        s.write(Reg.STRTAB_BASE_CFG, 0);
        assertNotEquals(0x4000, s.read(Reg.STRTAB_BASE));
        assertEquals(0x3_07ff, s.read(Reg.STRTAB_BASE_CFG));
        Smmu lin = smmu(SmmuConfig.builder().twoLevelStreamTable(false).build());
        lin.write(Reg.STRTAB_BASE_CFG, -1L);
        assertEquals(0x7ff, lin.read(Reg.STRTAB_BASE_CFG), "FMT is RES0 without ST_LVL");
    }

    @Test
    void cmdqRegisters() {
        Smmu s = smmu();
        s.write(Reg.CMDQ_BASE, -1L);
        assertEquals(Regs.Q_BASE.ADDR.mask() | Regs.Q_BASE.LOG2SIZE.mask()
                | Regs.Q_BASE.RA.mask(), s.read(Reg.CMDQ_BASE));
        s.write(Reg.CMDQ_PROD, -1L);
        assertEquals(0xfffff, s.read(Reg.CMDQ_PROD));
        s.write(Reg.CMDQ_CONS, -1L);
        assertEquals(0xfffff, s.read(Reg.CMDQ_CONS), "ERR is not writable");
        s.write(Reg.CMDQ_PROD, 0);
        s.write(Reg.CMDQ_CONS, 0);
        s.write(Reg.CMDQ_BASE, 0x10000 | 4);
        s.write(Reg.CR0, Regs.CR0.CMDQEN.mask());
        s.write(Reg.CMDQ_BASE, 0x20000);
        s.write(Reg.CMDQ_CONS, 3);
        assertEquals(0x10004, s.read(Reg.CMDQ_BASE), "BASE ignored while CMDQEN");
        assertEquals(0, s.read(Reg.CMDQ_CONS), "CONS ignored while CMDQEN");
    }

    @Test
    void eventqRegistersLiveOnPageOneOnly() {
        Smmu s = smmu();
        s.mmioWrite(0x100A8, 4, 0x8000_0005L);
        assertEquals(0x8000_0005L, s.mmioRead(0x100A8, 4));
        assertEquals(0, s.mmioRead(0xA8, 4), "page 0 does not alias page 1");
        assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(0xA8, 4));
        s.mmioWrite(0xAC, 4, 7);
        assertEquals(0, s.read(Reg.EVENTQ_CONS));
        s.mmioWrite(0x100AC, 4, 0xffff_ffffL);
        assertEquals(0x800f_ffffL, s.read(Reg.EVENTQ_CONS), "RD and OVACKFLG");
        s.write(Reg.EVENTQ_BASE, 0x40000 | 3);
        s.write(Reg.CR0, Regs.CR0.EVENTQEN.mask());
        s.write(Reg.EVENTQ_BASE, 0x50000);
        s.write(Reg.EVENTQ_PROD, 0);
        assertEquals(0x40003, s.read(Reg.EVENTQ_BASE), "BASE ignored while EVENTQEN");
        assertEquals(0x8000_0005L, s.read(Reg.EVENTQ_PROD), "PROD ignored while EVENTQEN");
    }

    @Test
    void accessWidths() {
        Smmu s = smmu();
        assertEquals(RegisterFile.Status.OK, s.mmioCheck(0x20, 4));
        for (int size : new int[] {1, 2, 8}) {
            assertEquals(RegisterFile.Status.BAD_WIDTH, s.mmioCheck(0x20, size), "CR0/" + size);
        }
        assertEquals(RegisterFile.Status.BAD_WIDTH, s.mmioCheck(0x21, 1));
        assertEquals(RegisterFile.Status.BAD_WIDTH, s.mmioCheck(0x22, 2));
        s.mmioWrite(0x20, 1, 0xff);
        s.mmioWrite(0x20, 8, 0xff);
        assertEquals(0, s.read(Reg.CR0), "bad widths write nothing");
        assertEquals(0, s.mmioRead(0x0, 2), "bad widths read zero");
        // 64-bit register: 64-bit, or either 32-bit half
        assertEquals(RegisterFile.Status.OK, s.mmioCheck(0x80, 8));
        assertEquals(RegisterFile.Status.OK, s.mmioCheck(0x80, 4));
        assertEquals(RegisterFile.Status.OK, s.mmioCheck(0x84, 4));
        assertEquals(RegisterFile.Status.BAD_WIDTH, s.mmioCheck(0x84, 8));
        s.mmioWrite(0x80, 4, 0x1234_5640L);
        s.mmioWrite(0x84, 4, 0x0000_00abL);
        assertEquals(0xab_1234_5640L, s.read(Reg.STRTAB_BASE));
        assertEquals(0xabL, s.mmioRead(0x84, 4));
        assertEquals(0x1234_5640L, s.mmioRead(0x80, 4));
        assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(0x30, 4), "unallocated");
        assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(0x1fffc, 4));
        assertEquals(RegisterFile.Status.RAZ_WI, s.mmioCheck(0x20000, 4), "outside");
    }

    @Test
    void everyDeclaredRegisterHasAWidthAndAnOffsetInItsPage() {
        for (Reg r : Reg.values()) {
            assertTrue(r.size == 4 || r.size == 8, r.name());
            assertEquals(0, r.offset % r.size, r.name());
            assertEquals(r, Reg.at(r.offset), r.name());
        }
        assertEquals(0x100A8, Reg.EVENTQ_PROD.offset);
        assertEquals(0x100AC, Reg.EVENTQ_CONS.offset);
    }
}
