package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Acceptance 3: hostile guests. dom0 and an attacker domU program their vSMMUs with random
 * register writes, random words (and pointers into other domains, Xen's heap and the SMMUs'
 * own tables) written over their STEs, CDs, page tables and queues, random commands, and random
 * DMA from every stream, while a victim domU keeps a working device. Invariants: every DMA that
 * succeeds lands in the memory of the domain owning the stream (an unassigned stream never
 * succeeds); no exception escapes; every trap returns after at most the command budget; the
 * victim's event queue only receives its own events.
 *
 * <p>Default: 100 tries × {@value #DEFAULT_OPS} operations = 100,000 per run. Long run:
 * {@code mvn -q test -Dtest=AdversarialGuestPropertyTest -Dxldt.adversary.ops=100000}
 * (10 million operations).
 */
class AdversarialGuestPropertyTest {
    static final int DEFAULT_OPS = 1000;
    static final int BUDGET = 8;
    static final long A = 0x0905_0000L;
    static final long B = 0x0907_0000L;
    static final long GUEST_RAM = 0x4000_0000L;
    static final long DOM0_RAM = 0x8000_0000L;
    static final long RAM_SIZE = 8L << 20;
    static final long IOVA = 0x1000_0000L;

    /** One operation: {@code kind} below, {@code who} picks the domain, a/b/c the rest. */
    record Op(int kind, int who, long a, long b, long c) {
    }

    static final int REG_WRITE = 0;
    static final int REG_READ = 1;
    static final int MEM_WRITE = 2;
    static final int SUBMIT = 3;
    static final int DMA = 4;
    static final int CONTINUE = 5;
    static final int REINIT = 6;
    static final int UNMAP = 7;

    @Provide
    Arbitrary<List<Op>> ops() {
        int n = Integer.getInteger("xldt.adversary.ops", DEFAULT_OPS);
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(8, REG_WRITE),
                Tuple.of(3, REG_READ), Tuple.of(20, MEM_WRITE), Tuple.of(15, SUBMIT),
                Tuple.of(40, DMA), Tuple.of(4, CONTINUE), Tuple.of(12, REINIT), Tuple.of(1, UNMAP));
        Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 2),
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs()).as(Op::new);
        return op.list().ofSize(n);
    }

    /** What the runs exercised (checked after all tries: the generator must not degenerate). */
    static final long[] SEEN = new long[9];
    static final int OPS = 0;
    static final int DMA_OK = 1;
    static final int DMA_FAULT = 2;
    static final int TO_GUEST = 3;
    static final int TO_XEN = 4;
    static final int NESTED = 5;
    static final int ILLEGAL = 6;
    /** Times a vSMMU had commands left for a later trap or continuation. */
    static final int CONTINUATIONS = 7;
    /** Successful DMA from the streams of dom0 and the attacker. */
    static final int HOSTILE_OK = 8;

    @Property(tries = 100)
    void hostileGuestsStayInTheirMemory(@ForAll("ops") List<Op> ops) {
        World w = new World();
        for (Op op : ops) {
            w.run(op);
            if (op.kind() == SUBMIT || op.kind() == MEM_WRITE) {
                for (VSmmu v : w.actor(op).domain.vsmmus()) {
                    for (VSmmu.Stream s : v.streams()) {
                        SEEN[NESTED] += s.shadow() == VSmmu.Shadow.NESTED ? 1 : 0;
                    }
                }
            }
        }
        for (Guest g : w.guests) {
            for (VSmmu v : g.domain.vsmmus()) {
                assertTrue(v.maxCommandsPerTrap() <= BUDGET, "trap ran past its budget");
                SEEN[TO_GUEST] += v.forwardedEvents();
                SEEN[ILLEGAL] += v.illegalCommands();
            }
        }
        SEEN[OPS] += ops.size();
        SEEN[TO_XEN] += w.xen.xenLog().size();
    }

    @AfterContainer
    static void theRunsReachedEveryPath() {
        System.out.printf("adversary: %d ops, %d DMA ok, %d DMA failed, %d events to guests,"
                + " %d to Xen's log, %d nested stream states, %d illegal commands,"
                + " %d times commands left for later%n", SEEN[OPS], SEEN[DMA_OK], SEEN[DMA_FAULT],
                SEEN[TO_GUEST], SEEN[TO_XEN], SEEN[NESTED], SEEN[ILLEGAL], SEEN[CONTINUATIONS]);
        System.out.printf("adversary: %d successful DMA from hostile domains%n",
                SEEN[HOSTILE_OK]);
        if (SEEN[OPS] >= 100_000) {
            for (int i = 0; i < SEEN.length; i++) {
                assertTrue(SEEN[i] > 0, "path " + i + " never exercised");
            }
        }
    }

    /** A domain with its guest driver and the addresses of its structures. */
    static final class Guest {
        final Domain domain;
        final long ram;
        final List<Long> structures = new ArrayList<>();
        final List<SmmuDriver> drivers = new ArrayList<>();

        final long dataPa;

        Guest(Domain d, long ram) {
            this.domain = d;
            this.ram = ram;
            this.dataPa = d.p2m().translate(ram + 0x70_0000L);
        }

        /** Xen gives back the data pages an UNMAP took (same PAs). */
        void remapDataPages() {
            for (int p = 0; p < 4; p++) {
                long ipa = ram + 0x70_0000L + p * 0x1000L;
                if (domain.p2m().translate(ipa) < 0) {
                    domain.map(ipa, dataPa + p * 0x1000L, 0x1000, true);
                }
            }
        }

        /** Linux-like setup: each vSMMU enabled, each stream nested over a few pages. */
        void init() {
            structures.clear();
            drivers.clear();
            TableAllocator alloc = new TableAllocator(ram + 0x10_0000L, 0x60_0000L);
            Memory m = domain.memory();
            int asid = 1;
            for (VSmmu v : domain.vsmmus()) {
                SmmuDriver drv = new SmmuDriver(v, m, alloc).init(6, 16, true);
                drv.acknowledgeErrors(); // a command error left by the previous driver
                drivers.add(drv);
                structures.add(drv.cmdqBase());
                structures.add(drv.eventqBase());
                structures.add(drv.streamTable().strtabBase());
                for (VSmmu.Stream s : v.streams()) {
                    PageTableBuilder pt = PageTableBuilder.stage1(m, Granule.G4K, 16, alloc);
                    for (int p = 0; p < 4; p++) {
                        long iova = IOVA + ((long) s.vsid() << 24) + p * 0x1000L;
                        pt.mapPage(iova, ram + 0x70_0000L + p * 0x1000L,
                                p == 3 ? PageTableBuilder.S1_RO : PageTableBuilder.S1_RW);
                    }
                    long cd = alloc.alloc(64, 64);
                    CdBuilder.of(asid++, Granule.G4K, 16, pt.root()).writeTo(m, cd);
                    drv.streamTable().put(s.vsid(), SteBuilder.s1(cd));
                    structures.add(drv.streamTable().steAddress(s.vsid()));
                    structures.add(drv.streamTable().l1Address(s.vsid()));
                    structures.add(cd);
                    for (int level = pt.startLevel(); level <= 3; level++) {
                        structures.add(pt.entryAddress(IOVA + ((long) s.vsid() << 24), level,
                                false));
                    }
                }
                drv.submitAndWait(64, Commands.cfgiAll(), Commands.sync(0));
            }
        }
    }

    static final class World {
        final XenSystem xen = new XenSystem(List.of(
                new XenSystem.HostSpec(A, SmmuConfig.builder().build(), 74),
                new XenSystem.HostSpec(B, SmmuConfig.builder().sidSize(12).build(), 78)),
                BUDGET);
        final List<Guest> guests = new ArrayList<>();
        final Guest victim;
        final List<Long> pointers = new ArrayList<>();

        World() {
            Domain dom0 = xen.addDomain(XenSystem.DomainSpec.dom0(
                    List.of(new XenSystem.Ram(DOM0_RAM, RAM_SIZE)),
                    List.of(new XenSystem.StreamSpec(0x30, A, 0x30),
                            new XenSystem.StreamSpec(0x31, B, 0x31))));
            Domain attacker = xen.addDomain(XenSystem.DomainSpec.domU("attacker",
                    List.of(new XenSystem.Ram(GUEST_RAM, RAM_SIZE)),
                    List.of(new XenSystem.StreamSpec(0, A, 0x10),
                            new XenSystem.StreamSpec(1, B, 0x20),
                            new XenSystem.StreamSpec(2, A, 0x12))));
            Domain vic = xen.addDomain(XenSystem.DomainSpec.domU("victim",
                    List.of(new XenSystem.Ram(GUEST_RAM, RAM_SIZE)),
                    List.of(new XenSystem.StreamSpec(0, A, 0x11))));
            guests.add(new Guest(dom0, DOM0_RAM));
            guests.add(new Guest(attacker, GUEST_RAM));
            victim = new Guest(vic, GUEST_RAM);
            guests.add(victim);
            for (Guest g : guests) {
                g.init();
            }
            // addresses worth pointing at: other domains' PAs, Xen's heap, the SMMUs' tables
            for (Guest g : guests) {
                pointers.add(g.domain.p2m().translate(g.ram));
                pointers.add(g.ram);
            }
            pointers.add(XenSystem.XEN_HEAP_BASE);
            for (HostSmmu h : xen.hosts()) {
                pointers.add(h.smmu().registers().get64(Reg.STRTAB_BASE));
            }
        }

        /** The attacker is "who" 0 or 1 (twice as likely), dom0 is 2. */
        Guest actor(Op op) {
            return op.who() == 2 ? guests.get(0) : guests.get(1);
        }

        void run(Op op) {
            long victimEvents = victim.domain.vsmmu().forwardedEvents();
            boolean victimDma = false;
            Guest g = actor(op);
            switch (op.kind()) {
                case REG_WRITE -> regWrite(g, op);
                case REG_READ -> vsmmu(g, op).mmioRead(regOffset(op.a()), size(op.b()));
                case MEM_WRITE -> memWrite(g, op);
                case SUBMIT -> submit(g, op);
                case DMA -> victimDma = dma(op);
                case CONTINUE -> xen.runContinuations();
                case REINIT -> {
                    g.remapDataPages();
                    g.init();
                }
                case UNMAP -> g.domain.unmap(g.ram + 0x70_0000L + (op.a() & 3) * 0x1000L,
                        0x1000);
                default -> throw new AssertionError(op);
            }
            if (!victimDma) {
                assertEquals(victimEvents, victim.domain.vsmmu().forwardedEvents(),
                        "another guest's activity reached the victim's event queue");
            }
        }

        VSmmu vsmmu(Guest g, Op op) {
            List<VSmmu> vs = g.domain.vsmmus();
            return vs.get((int) Math.floorMod(op.c(), vs.size()));
        }

        static int size(long v) {
            return 1 << Math.floorMod(v, 4);
        }

        /** A register offset (or a random one in the window, 1 in 8). */
        static long regOffset(long v) {
            Reg[] regs = Reg.values();
            int i = (int) Math.floorMod(v, regs.length * 2 + 4);
            if (i >= regs.length * 2) {
                return Math.floorMod(v >>> 8, 0x40000L);
            }
            Reg r = regs[i / 2];
            return r.offset + (i % 2 == 1 && r.size == 8 ? 4 : 0);
        }

        void regWrite(Guest g, Op op) {
            long off = regOffset(op.a());
            long v = op.b();
            Reg r = Reg.at(off & ~3L);
            if (r == Reg.CR0 && (op.c() & 1) == 0) {
                v &= 0xd; // mostly keep the queues and the SMMU enabled
            }
            vsmmu(g, op).mmioWrite(off, (op.c() & 6) == 0 ? size(op.b()) : r == null ? 4
                    : r.size, v);
        }

        void memWrite(Guest g, Op op) {
            long addr;
            int t = (int) Math.floorMod(op.a(), g.structures.size() + 2);
            if (t < g.structures.size()) {
                addr = g.structures.get(t) + 8 * Math.floorMod(op.a() >>> 20, 16);
            } else if (t == g.structures.size()) {
                addr = g.ram + Math.floorMod(op.a() >>> 8, RAM_SIZE) & ~7L;
            } else {
                addr = op.a() & 0xffff_ffff_fff8L; // anywhere, mostly unmapped
            }
            long[] word = new long[1];
            Memory m = g.domain.memory();
            long value = switch ((int) Math.floorMod(op.c(), 4)) {
                case 0 -> op.b();
                case 1 -> m.readLongs(addr, word, 0, 1) ? word[0] ^ (1L << (op.b() & 63)) : 0;
                default -> { // a pointer somewhere interesting, with low control bits
                    long p = pointers.get((int) Math.floorMod(op.b(), pointers.size()));
                    yield (p + ((op.b() >>> 16) & 0xff000L)) | (op.b() >>> 59)
                            | (op.b() & 0x3);
                }
            };
            word[0] = value;
            m.writeLongs(addr, word, 0, 1); // may abort: that is the guest's problem
        }

        void submit(Guest g, Op op) {
            VSmmu v = vsmmu(g, op);
            int vi = g.domain.vsmmus().indexOf(v);
            SmmuDriver drv = g.drivers.get(vi);
            long w0 = op.a();
            long w1 = op.b();
            if ((op.c() & 3) != 0) {
                // mostly a real opcode with only its fields set (often legal)
                CmdLayout.Opcode[] all = CmdLayout.Opcode.values();
                CmdLayout.Opcode code = all[(int) Math.floorMod(op.c() >>> 2, all.length)];
                w0 = (w0 & code.allowed0) | code.code;
                w1 &= code.allowed1;
                if ((op.c() & 0x100) != 0) {
                    w0 = CmdLayout.SID.insert(w0, Math.floorMod(op.a() >>> 40, 4));
                }
            }
            // a burst of 1..24 commands (the budget is 8: the rest wait for a later trap)
            int n = 1 + (int) Math.floorMod(op.c() >>> 12, 24);
            long[][] cmds = new long[n][];
            for (int i = 0; i < n; i++) {
                cmds[i] = new long[] {i == 0 ? w0 : CmdLayout.SID.insert(w0, i & 3), w1};
            }
            drv.submit(cmds);
            SEEN[CONTINUATIONS] += v.hasContinuation() ? 1 : 0;
            if (drv.commandError() != 0 && (op.c() & 0x200) != 0) {
                drv.skipFailedCommand();
            }
        }

        /** A DMA from some stream; returns true if it was the victim's. */
        boolean dma(Op op) {
            int which = (int) Math.floorMod(op.a(), 7);
            Guest owner;
            long base;
            int psid;
            int vsid;
            switch (which) {
                case 0 -> { owner = guests.get(0); base = A; psid = 0x30; vsid = 0x30; }
                case 1 -> { owner = guests.get(0); base = B; psid = 0x31; vsid = 0x31; }
                case 2 -> { owner = guests.get(1); base = A; psid = 0x10; vsid = 0; }
                case 3 -> { owner = guests.get(1); base = B; psid = 0x20; vsid = 1; }
                case 4 -> { owner = guests.get(1); base = A; psid = 0x12; vsid = 2; }
                case 5 -> { owner = victim; base = A; psid = 0x11; vsid = 0; }
                default -> {
                    owner = null;
                    base = (op.a() & 8) != 0 ? A : B;
                    psid = 0x55;
                    vsid = 0;
                }
            }
            long iova;
            if ((op.c() & 3) != 0) { // one of the pages the guest driver mapped for the stream
                iova = IOVA + ((long) vsid << 24) + (op.b() & 3) * 0x1000L
                        + ((op.b() >>> 32) & 0xfff);
            } else {
                iova = (op.c() & 4) != 0 ? op.b() : op.b() & 0xffff_ffffL;
            }
            int ssid = (op.c() & 0x38) == 0 ? (int) ((op.c() >>> 8) & 0xf) : Smmu.NO_SSID;
            Access a = Access.of((op.c() & 0x40) != 0, (op.c() & 0x80) != 0,
                    (op.c() & 0x300) == 0x300);
            DmaResult r = xen.dma(base, psid, ssid, iova, a);
            assertNotNull(r);
            SEEN[r.ok() ? DMA_OK : DMA_FAULT]++;
            if (r.ok() && owner != victim) {
                SEEN[HOSTILE_OK]++;
            }
            if (r instanceof DmaResult.Ok ok) {
                assertNotNull(owner, "an unassigned stream translated: " + ok);
                assertTrue(owner.domain.owns(ok.pa()), () -> String.format(
                        "DMA from pSID 0x%x of %s landed at PA 0x%x outside its memory",
                        psid, owner.domain, ok.pa()));
            }
            return owner == victim;
        }
    }
}
