package org.xldt.smmu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LongMapPropertiesTest {

    /** Random puts/removes/removeIfs on few keys (many collisions) agree with HashMap. */
    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll @Size(max = 400) List<@IntRange(max = 2000) Integer> ops) {
        LongMap<Long> m = new LongMap<>(4);
        Map<Long, Long> ref = new HashMap<>();
        for (int op : ops) {
            long k = (op % 97) * 0x1000_0000_0000L; // keys that differ in high bits only
            switch (op % 4) {
                case 0, 1 -> assertEquals(ref.put(k, (long) op), m.put(k, (long) op));
                case 2 -> assertEquals(ref.remove(k), m.remove(k));
                default -> {
                    int mod = 3 + op % 5;
                    int n = m.removeIf(v -> v % mod == 0);
                    int before = ref.size();
                    ref.values().removeIf(v -> v % mod == 0);
                    assertEquals(before - ref.size(), n);
                }
            }
            assertEquals(ref.size(), m.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()));
        }
        assertEquals(ref.size(), m.values().size());
    }

    @Test
    void iotlbCapacityIsBoundedByEviction() {
        Fixture f = new Fixture(SmmuConfig.builder().tlbCapacity(4).build());
        PageTableBuilder pt = f.s1Stream(1, 1, 0, Granule.G4K, 16);
        for (long va = 0x1000; va <= 0xa000; va += 0x1000) {
            pt.mapPage(va, va, PageTableBuilder.S1_RW);
            assertEquals(va + 1, f.pa(1, va + 1, Access.READ));
        }
        assertEquals(4, f.smmu.iotlb().size());
        assertEquals(6, f.smmu.iotlb().evictions());
        assertEquals(0xa001, f.pa(1, 0xa001, Access.READ), "the newest entries stay");
        assertEquals(10, f.smmu.iotlb().misses() - 0, "one miss per page so far");
    }
}
