package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    static Event ev(int sid) {
        return Event.config(EventType.C_BAD_STE, sid, -1);
    }

    /** An SMMU with a 4-entry event queue, enabled. */
    static Fixture small() {
        Fixture f = new Fixture();
        f.smmu.write(Reg.CR0, Regs.CR0.CMDQEN.mask());
        f.smmu.write(Reg.EVENTQ_BASE, f.drv.eventqBase() | 2);
        f.smmu.write(Reg.EVENTQ_PROD, 0);
        f.smmu.write(Reg.EVENTQ_CONS, 0);
        f.smmu.write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.EVENTQEN.mask());
        return f;
    }

    @Test
    void recordsAreWrittenAtProdInTheArchitectedLayout() {
        Fixture f = small();
        Event e = new Event(EventType.F_TRANSLATION, 0x1234, true, 7, true, false, true, true,
                EvtLayout.CLASS_TT, true, 0xdead_b000L, 0x8765_4000L);
        assertTrue(f.smmu.recordEvent(e));
        assertEquals(1, f.smmu.read(Reg.EVENTQ_PROD));
        long a = f.drv.eventqBase();
        long w0 = f.mem.read64(a);
        long w1 = f.mem.read64(a + 8);
        assertEquals(0x10, w0 & 0xff);
        assertEquals(1, (w0 >>> 11) & 1);
        assertEquals(7, (w0 >>> 12) & 0xfffff);
        assertEquals(0x1234, w0 >>> 32);
        assertEquals(1, (w1 >>> 33) & 1, "PnU");
        assertEquals(0, (w1 >>> 34) & 1, "InD");
        assertEquals(1, (w1 >>> 35) & 1, "RnW");
        assertEquals(1, (w1 >>> 39) & 1, "S2");
        assertEquals(1, (w1 >>> 40) & 3, "CLASS");
        assertEquals(1, (w1 >>> 44) & 1, "TTRnW");
        assertEquals(0xdead_b000L, f.mem.read64(a + 16));
        assertEquals(0x8765_4000L, f.mem.read64(a + 24), "IPA[51:12]");
        assertEquals(List.of(e), f.drv.drainEvents());
    }

    @Test
    void fetchAddressGoesToWord3() {
        Event e = new Event(EventType.F_STE_FETCH, 3, false, 0, false, false, false, false, 0,
                false, 0, 0x1234_5678L);
        long[] w = e.toWords();
        assertEquals(0x1234_5678L, w[3]);
        assertEquals(0, w[2]);
        assertEquals(e, EventParser.parse(w));
    }

    @Test
    void fullQueueTogglesOverflowOnceAndDrops() {
        Fixture f = small();
        for (int i = 0; i < 4; i++) {
            assertTrue(f.smmu.recordEvent(ev(i)));
        }
        long prod = f.smmu.read(Reg.EVENTQ_PROD);
        assertEquals(4, prod, "index 0 with the wrap bit set: full");
        assertFalse(f.smmu.recordEvent(ev(9)));
        assertEquals(prod | 0x8000_0000L, f.smmu.read(Reg.EVENTQ_PROD), "OVFLG toggled");
        assertFalse(f.smmu.recordEvent(ev(10)));
        assertEquals(prod | 0x8000_0000L, f.smmu.read(Reg.EVENTQ_PROD),
                "no second toggle while the overflow is unacknowledged");
        assertEquals(2, f.smmu.eventsDropped());
        List<Event> got = f.drv.drainEvents(); // also acknowledges: OVACKFLG = OVFLG
        assertEquals(4, got.size());
        assertEquals(0, got.get(0).sid());
        assertEquals(0x8000_0000L, f.smmu.read(Reg.EVENTQ_CONS) & 0x8000_0000L);
        for (int i = 0; i < 4; i++) {
            assertTrue(f.smmu.recordEvent(ev(i)));
        }
        assertFalse(f.smmu.recordEvent(ev(11)));
        assertEquals(0, f.smmu.read(Reg.EVENTQ_PROD) & 0x8000_0000L,
                "a new overflow toggles OVFLG back");
    }

    @Test
    void writeAbortRaisesEventqAbtErr() {
        Fixture f = small();
        f.mem.addAbortRegion(f.drv.eventqBase(), 32);
        long p = f.smmu.gerrorIrq().pulses();
        assertFalse(f.smmu.recordEvent(ev(1)));
        assertEquals(Regs.GERROR.EVENTQ_ABT_ERR.mask(),
                f.smmu.registers().activeErrors() & Regs.GERROR.EVENTQ_ABT_ERR.mask());
        assertEquals(p + 1, f.smmu.gerrorIrq().pulses());
        assertEquals(0, f.smmu.read(Reg.EVENTQ_PROD), "PROD does not move");
        f.mem.clearAbortRegions();
        assertFalse(f.smmu.recordEvent(ev(2)), "discarded while EVENTQ_ABT_ERR is active");
        f.drv.acknowledgeErrors();
        assertTrue(f.smmu.recordEvent(ev(3)));
    }

    @Test
    void interruptsFireOnlyWhenEnabled() {
        Fixture f = small();
        long p = f.smmu.eventqIrq().pulses();
        assertTrue(f.smmu.recordEvent(ev(1)));
        assertEquals(p + 1, f.smmu.eventqIrq().pulses());
        assertTrue(f.smmu.eventqIrq().level());
        f.smmu.write(Reg.IRQ_CTRL, Regs.IRQ_CTRL.GERROR_IRQEN.mask());
        assertFalse(f.smmu.eventqIrq().level());
        assertTrue(f.smmu.recordEvent(ev(2)));
        assertEquals(p + 1, f.smmu.eventqIrq().pulses(), "EVENTQ_IRQEN = 0");
        f.smmu.write(Reg.IRQ_CTRL, Regs.IRQ_CTRL.EVENTQ_IRQEN.mask());
        assertTrue(f.smmu.eventqIrq().level());
        f.drv.drainEvents();
        assertFalse(f.smmu.eventqIrq().level(), "level drops when the queue is empty");
    }

    @Test
    void disabledQueueDiscards() {
        Fixture f = small();
        f.smmu.write(Reg.CR0, Regs.CR0.CMDQEN.mask());
        assertFalse(f.smmu.recordEvent(ev(1)));
        assertEquals(0, f.smmu.read(Reg.EVENTQ_PROD));
    }

    @Test
    void msiReplacesTheWiredLine() {
        Fixture f = new Fixture(SmmuConfig.builder().msi(true).build());
        long doorbell = f.alloc.alloc(8, 8);
        f.smmu.write(Reg.EVENTQ_IRQ_CFG0, doorbell);
        f.smmu.write(Reg.EVENTQ_IRQ_CFG1, 0x55);
        long p = f.smmu.eventqIrq().pulses();
        assertTrue(f.smmu.recordEvent(ev(1)));
        assertEquals(0x55, f.mem.read32(doorbell));
        assertEquals(p, f.smmu.eventqIrq().pulses());
        f.smmu.write(Reg.EVENTQ_IRQ_CFG0, 0x7000_0000L);
        f.mem.addAbortRegion(0x7000_0000L, 0x1000);
        assertTrue(f.smmu.recordEvent(ev(2)));
        assertTrue((f.smmu.registers().activeErrors()
                & Regs.GERROR.MSI_EVENTQ_ABT_ERR.mask()) != 0);
    }

    @Test
    void linesAreNamedAndNotifyListeners() {
        Fixture f = small();
        int[] seen = new int[1];
        IrqLine l = f.smmu.irq("eventq");
        assertSame(f.smmu.eventqIrq(), l);
        assertSame(f.smmu.cmdqSyncIrq(), f.smmu.irq("cmdq-sync"));
        assertSame(f.smmu.gerrorIrq(), f.smmu.irq("gerror"));
        assertSame(f.smmu.priqIrq(), f.smmu.irq("priq"));
        assertNull(f.smmu.irq("combined"));
        l.addListener(line -> seen[0]++);
        f.smmu.recordEvent(ev(1));
        assertEquals(1, seen[0]);
        assertEquals(0, f.smmu.priqIrq().pulses(), "no PRI queue: never fires");
    }

    @Test
    void gerrorMsiAndItsAbort() {
        Fixture f = new Fixture(SmmuConfig.builder().msi(true).build());
        long doorbell = f.alloc.alloc(8, 8);
        f.smmu.write(Reg.GERROR_IRQ_CFG0, doorbell);
        f.smmu.write(Reg.GERROR_IRQ_CFG1, 0x77);
        long pulses = f.smmu.gerrorIrq().pulses();
        f.drv.submit(new long[] {0, 0}); // CERROR_ILL
        assertEquals(0x77, f.mem.read32(doorbell));
        assertEquals(pulses, f.smmu.gerrorIrq().pulses(), "MSI instead of the wired line");
        f.smmu.write(Reg.GERROR_IRQ_CFG0, 0x7000_0000L);
        f.mem.addAbortRegion(0x7000_0000L, 0x1000);
        f.smmu.raiseGlobalError(Regs.GERROR.EVENTQ_ABT_ERR);
        assertTrue((f.smmu.registers().activeErrors()
                & Regs.GERROR.MSI_GERROR_ABT_ERR.mask()) != 0);
        assertEquals(pulses + 1, f.smmu.gerrorIrq().pulses(),
                "a failed GERROR MSI falls back to one wired pulse, no loop");
    }
}
