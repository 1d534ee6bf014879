package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SparseMemoryTest {

    @Test
    void unwrittenReadsZeroAndMakesNoPage() {
        SparseMemory m = new SparseMemory();
        assertEquals(0, m.read64(0x1234_5678_0000L));
        assertEquals(0, m.pageCount());
    }

    @Test
    void sizedAccessesAreLittleEndian() {
        SparseMemory m = new SparseMemory();
        m.write64(0x1000, 0x0807060504030201L);
        assertEquals(0x01, m.read8(0x1000));
        assertEquals(0x0201, m.read16(0x1000));
        assertEquals(0x04030201, m.read32(0x1000));
        assertEquals(0x0807060504030201L, m.read64(0x1000));
        m.write8(0x1003, 0xff);
        m.write16(0x1004, 0xaabb);
        m.write32(0x1008, 0xdeadbeef);
        assertEquals(0x0807aabbff030201L, m.read64(0x1000));
        assertEquals(0xdeadbeefL, m.read32(0x1008) & 0xffffffffL);
        assertEquals(1, m.pageCount());
    }

    @Test
    void byteRangeAndWordsCrossPages() {
        SparseMemory m = new SparseMemory();
        byte[] b = new byte[20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i + 1);
        }
        assertTrue(m.write(0x1ff6, b, 0, b.length));
        assertEquals(2, m.pageCount());
        byte[] r = new byte[20];
        assertTrue(m.read(0x1ff6, r, 0, 20));
        assertArrayEquals(b, r);
        long[] w = new long[2];
        assertTrue(m.readLongs(0x1ffc, w, 0, 2));
        assertEquals(0x0e0d0c0b0a090807L, w[0]);
        m.writeLongs(0x2ffc, new long[] {0x1122334455667788L}, 0, 1);
        assertEquals(0x1122334455667788L, m.read64(0x2ffc));
    }

    @Test
    void abortRegionsAndAddressLimitAbort() {
        SparseMemory m = new SparseMemory(40);
        m.addAbortRegion(0x5000, 0x1000);
        byte[] b = new byte[8];
        assertFalse(m.read(0x5000, b, 0, 1));
        assertFalse(m.read(0x4ffc, b, 0, 8), "an access overlapping the region aborts");
        assertTrue(m.read(0x4ff8, b, 0, 8));
        assertFalse(m.write(0x5fff, b, 0, 1));
        assertTrue(m.write(0x6000, b, 0, 1));
        assertFalse(m.readLongs(1L << 40, new long[1], 0, 1), "beyond 40 address bits");
        assertThrows(SparseMemory.AbortException.class, () -> m.read32(0x5004));
        assertEquals(0, m.pageCount() - 1, "aborted writes make no page");
        assertThrows(IllegalArgumentException.class, () -> m.load(0, 3));
    }
}
