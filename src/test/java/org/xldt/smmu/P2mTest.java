package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The p2m: extents, stage-2 tables the physical SMMU walks, the guest memory view. */
class P2mTest {
    static final long IPA = 0x4000_0000L;
    static final long PA = 0x1_0000_0000L;

    private final SparseMemory mem = new SparseMemory(48);
    private final TableAllocator heap = new TableAllocator(0x7000_0000L, 0x100_0000L);

    /** An S2-only stream 1 over {@code p} on a fresh physical SMMU. */
    private Smmu smmuOver(P2m p) {
        Smmu s = new Smmu(SmmuConfig.builder().build(), mem);
        SmmuDriver d = new SmmuDriver(s, mem, heap).init(6, 8, true);
        d.streamTable().put(1, p.stage2(new SteBuilder().config(SteLayout.CONFIG_S2), 3));
        d.submit(Commands.cfgiAll(), Commands.sync(0));
        return s;
    }

    @Test
    void startLevelsFollowTheIpaSize() {
        assertEquals(0, P2m.startLevelSl0(32)); // level 2, 4 concatenated tables
        assertEquals(1, P2m.startLevelSl0(40)); // level 1, 2 concatenated tables
        assertEquals(2, P2m.startLevelSl0(44)); // level 0
        assertEquals(2, P2m.startLevelSl0(48));
    }

    @Test
    void blocksAndPagesTranslateAsTheExtentsSay() {
        P2m p = new P2m(mem, heap, 44, 44);
        p.map(IPA, PA, 4L << 20, true); // two 2 MiB blocks
        p.map(IPA + (4L << 20), PA + (9L << 20) + 0x3000, 0x5000, false); // unaligned: pages
        Smmu s = smmuOver(p);
        for (long off : new long[] {0, 0x1234, (2L << 20) + 8, (4L << 20) - 1}) {
            DmaResult.Ok ok = assertInstanceOf(DmaResult.Ok.class,
                    s.translate(1, IPA + off, true));
            assertEquals(PA + off, ok.pa());
            assertEquals(p.translate(IPA + off), ok.pa());
        }
        assertEquals(21, ((DmaResult.Ok) s.translate(1, IPA, false)).blockShift());
        long ro = IPA + (4L << 20) + 0x4000;
        assertEquals(PA + (9L << 20) + 0x7000, ((DmaResult.Ok) s.translate(1, ro, false)).pa());
        assertInstanceOf(DmaResult.Fault.class, s.translate(1, ro, true)); // read-only
        assertInstanceOf(DmaResult.Fault.class, s.translate(1, IPA + (5L << 20), false));
        assertTrue(p.ownsPa(PA + 5));
        assertFalse(p.ownsPa(PA + (4L << 20)));
        assertThrows(IllegalArgumentException.class, () -> p.map(IPA + 0x1000, PA, 0x1000,
                true));
    }

    @Test
    void unmapSplitsBlocksAndExtents() {
        P2m p = new P2m(mem, heap, 40, 44);
        p.map(IPA, PA, 4L << 20, true);
        assertEquals(2, p.unmap(IPA + 0x20_0000L + 0x3000, 0x2000));
        assertEquals(List.of(new P2m.Extent(IPA, PA, 0x20_3000L, true),
                new P2m.Extent(IPA + 0x20_5000L, PA + 0x20_5000L, 0x1f_b000L, true)),
                p.extents());
        Smmu s = smmuOver(p);
        assertEquals(PA + 0x20_2000L, ((DmaResult.Ok) s.translate(1, IPA + 0x20_2000L, true))
                .pa());
        assertInstanceOf(DmaResult.Fault.class, s.translate(1, IPA + 0x20_3000L, true));
        assertInstanceOf(DmaResult.Fault.class, s.translate(1, IPA + 0x20_4fffL, true));
        assertEquals(PA + 0x20_5000L, ((DmaResult.Ok) s.translate(1, IPA + 0x20_5000L, true))
                .pa());
        assertEquals(PA + 0x10_0000L, ((DmaResult.Ok) s.translate(1, IPA + 0x10_0000L, true))
                .pa());
    }

    @Test
    void guestViewAbortsUnlessEveryByteIsMappedAndWritable() {
        P2m p = new P2m(mem, heap, 40, 44);
        p.map(IPA, PA, 0x1000, true);
        p.map(IPA + 0x1000, PA + 0x20_0000L, 0x1000, true);
        p.map(IPA + 0x2000, PA + 0x10_0000L, 0x1000, false);
        Memory g = p.memory();
        byte[] b = new byte[0x100];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        assertTrue(g.write(IPA + 0xf80, b, 0, b.length)); // crosses two extents
        assertEquals(0x7f, mem.read8(PA + 0xfff));
        assertEquals(0x80, mem.read8(PA + 0x20_0000L));
        assertFalse(g.write(IPA + 0x2f80, b, 0, b.length), "read-only page");
        assertEquals(0, mem.read8(PA + 0x10_0000L + 0xf80));
        byte[] r = new byte[0x100];
        assertTrue(g.read(IPA + 0xf80, r, 0, r.length));
        assertArrayEquals(b, r);
        assertFalse(g.read(IPA + 0x2f80, r, 0, r.length), "runs into unmapped IPA");
        assertFalse(g.read(-8, r, 0, 8));
    }
}
