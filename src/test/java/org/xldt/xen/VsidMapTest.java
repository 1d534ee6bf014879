package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.xen.VsidMap.PhysicalSmmu;

class VsidMapTest {
    private static final PhysicalSmmu A = PhysicalSmmu.of(0x8001);
    private static final PhysicalSmmu B = new PhysicalSmmu(0x8002, Optional.of("/smmu@2b500000"));

    @Test
    void virtualGivesTheSameSidBehindTwoSmmusTwoVsids() {
        VsidMap m = new VsidMap(VsidMap.Mode.VIRTUAL);
        assertEquals(0, m.map(A, 0x10, "a"));
        assertEquals(1, m.map(B, 0x10, "b"));
        assertEquals(2, m.map(A, 0x11, "c"));
        assertEquals(0, m.map(A, 0x10, "again"), "a known pair keeps its vSID");
        assertEquals(3, m.entries().size());
        assertEquals(Optional.of(0x10L), m.psidOf(1));
        assertEquals(B, m.lookup(1).orElseThrow().smmu().orElseThrow());
        assertEquals(Optional.of(2L), m.vsidOf(0x8001, 0x11));
        assertTrue(m.collisions().isEmpty());
    }

    @Test
    void rangeComesFirstWhenAskedFirst() {
        VsidMap m = new VsidMap(VsidMap.Mode.VIRTUAL);
        assertEquals(0, m.mapRange(0, VsidMap.VPCI_RANGE, "vPCI"));
        assertEquals(0x1000, m.map(A, 0x10, "a"));
        assertEquals(Optional.of(0x123L), m.psidOf(0x123));
        assertEquals(Optional.of(0x10L), m.psidOf(0x1000));
        assertTrue(m.psidOf(0x1001).isEmpty());
    }

    @Test
    void physicalKeepsSidsAndReportsCollisions() {
        VsidMap m = new VsidMap(VsidMap.Mode.PHYSICAL);
        assertEquals(0, m.mapRange(0, VsidMap.VPCI_RANGE_PHYSICAL, "vPCI"));
        assertEquals(0x10, m.map(A, 0x10, "a"));
        assertTrue(m.collisions().isEmpty(), "the vPCI range names no SMMU");
        assertEquals(0x10, m.map(B, 0x10, "b"));
        assertEquals(1, m.collisions().size());
        assertEquals(0x10, m.collisions().get(0).vsid());
        BadInputException e = assertThrows(BadInputException.class, () -> m.map(A, 0x10000, "p.dts:/passthrough/x:iommus"));
        assertEquals("p.dts:/passthrough/x:iommus", e.location());
    }

    @Test
    void exhaustionIsBadInput() {
        VsidMap m = new VsidMap(VsidMap.Mode.VIRTUAL);
        m.mapRange(0, VsidMap.MAX_VSIDS - 1, "big");
        assertEquals(VsidMap.MAX_VSIDS - 1, m.map(A, 5, "last"));
        assertThrows(BadInputException.class, () -> m.map(A, 6, "one too many"));
    }
}
