package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void s1Page4k() {
        Fixture f = new Fixture();
        PageTableBuilder pt = f.s1Stream(5, 3, 1, Granule.G4K, 16);
        pt.mapPage(0x1234_5000L, 0x8000_0000L, PageTableBuilder.S1_RW);
        assertEquals(0x8000_0abcL, f.pa(5, 0x1234_5abcL, Access.READ));
        assertEquals(1, f.smmu.iotlb().size());
        Event e = f.fault(5, 0x1234_6000L, Access.READ);
        assertEquals(EventType.F_TRANSLATION, e.type());
        assertEquals(1, f.events().size());
    }
}
