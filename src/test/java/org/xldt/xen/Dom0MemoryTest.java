package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xldt.xen.GuestMemoryMap.Region;

/** The allocate_memory_11 model and the range arithmetic behind dom0's memory layout. */
class Dom0MemoryTest {
    static final long M = 1L << 20;
    static final long G = 1L << 30;

    static Dom0Memory.Ranges free(long... startEnd) {
        Dom0Memory.Ranges r = new Dom0Memory.Ranges();
        for (int i = 0; i < startEnd.length; i += 2) r.add(startEnd[i], startEnd[i + 1]);
        return r;
    }

    @Test
    void bank0IsTheHighestAlignedBlockInTheSmallestWindow() {
        // RAM 0x40000000..0x48000000 (QEMU virt 128 MiB) minus Xen's first 2 MiB
        Dom0Memory.Ranges f = free(0x40200000L, 0x48000000L);
        assertEquals(List.of(new Region(0x44000000L, 64 * M)), Dom0Memory.allocate11(f, 64 * M));
    }

    @Test
    void aSizeThatIsNoPowerOfTwoIsMadeOfBlocksMergedIntoOneBank() {
        Dom0Memory.Ranges f = free(0x80200000L, 0x100000000L);
        // 768 MiB = 512 MiB at 0xe0000000 (bank 0), then 256 MiB just below it: one bank
        assertEquals(List.of(new Region(0xd0000000L, 768 * M)), Dom0Memory.allocate11(f, 768 * M));
    }

    @Test
    void memoryAbove4GiBIsUsedWhenLowMemoryRunsOut() {
        Dom0Memory.Ranges f = free(0x80200000L, 0xa0000000L, 0x880000000L, 0x900000000L);
        List<Region> banks = Dom0Memory.allocate11(f, 2 * G);
        // bank 0: 256 MiB at 0x90000000, then 128 MiB merged below it; low memory is then too fragmented,
        // so 1 GiB + 512 MiB + 128 MiB come from the top of the high bank, merged downwards
        assertEquals(List.of(new Region(0x88000000L, 384 * M), new Region(0x898000000L, 1664 * M)), banks);
    }

    @Test
    void tooLittleRamFails() {
        assertNull(Dom0Memory.allocate11(free(0x40200000L, 0x48000000L), 128 * M));
    }

    @Test
    void rangesAddAndRemove() {
        Dom0Memory.Ranges r = free(0, 100, 200, 300);
        r.add(90, 210);
        assertEquals(List.of(new Dom0Memory.Ranges.R(0, 300)), r.list);
        r.remove(50, 60);
        r.remove(250, 400);
        assertEquals(List.of(new Dom0Memory.Ranges.R(0, 50), new Dom0Memory.Ranges.R(60, 250)), r.list);
    }

    @Test
    void powersOfTwo() {
        assertEquals(512 * M, Dom0Memory.floorPow2(768 * M));
        assertEquals(128 * M, Dom0Memory.ceilPow2(96 * M));
        assertEquals(64 * M, Dom0Memory.ceilPow2(64 * M));
    }

    @Test
    void xenSitsClearOfReservedMemoryAtTheStartOfRam() {
        // Agilex 5: a 32 MiB /reserved-memory carve-out at the start of RAM (Xen maps it to dom0), and a page 1 MiB past
        // it: Xen's 2 MiB image goes to the first 2 MiB boundary clear of both
        List<Region> ram = List.of(new Region(0x80000000L, G));
        assertEquals(0x82200000L, Dom0Memory.xenBase(ram, List.of(new Region(0x80000000L, 32 * M), new Region(0x82100000L, 0x1000))));
        assertEquals(0x80000000L, Dom0Memory.xenBase(ram, List.of()));
        // no room anywhere: the first boundary, as before
        assertEquals(0x80000000L, Dom0Memory.xenBase(ram, List.of(new Region(0x80000000L, G))));
    }
}
