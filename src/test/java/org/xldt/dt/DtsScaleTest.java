package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xldt.dt.DtcOracle.assertAcceptedSame;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Sizes dtc 1.6.1 cannot handle: a node with 100,000 children (dtc's right-recursive grammar
 * runs out of parser stack above about 10,000) and 100,000 labelled nodes referenced by label
 * (dtc is quadratic there). No timing here (see the benchmark); this proves they complete and
 * come out right, and the same generators at a size dtc manages give dtc's bytes.
 */
class DtsScaleTest {

    /** {@code n} empty children of the root. */
    static String wide(int n) {
        StringBuilder b = new StringBuilder(n * 16).append("/dts-v1/;\n/ {\n");
        for (int i = 0; i < n; i++) b.append("\tn").append(i).append(" { };\n");
        return b.append("};\n").toString();
    }

    /**
     * {@code n} labelled devices, 1,000 per simple-bus, each referring to the SMMU and to another
     * device by label, so that every device gets a phandle.
     */
    static String labelled(int n) {
        StringBuilder b = new StringBuilder(n * 160);
        b.append("/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n");
        b.append("\tsmmu: iommu@1000 { #iommu-cells = <1>; reg = <0x1000 0x100>; };\n");
        for (int bus = 0; bus * 1000 < n; bus++) {
            b.append("\tbus@").append(Integer.toHexString(bus))
                    .append(" { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>; ranges;\n");
            for (int i = bus * 1000; i < Math.min(n, bus * 1000 + 1000); i++) {
                String hex = Integer.toHexString(i);
                b.append("\t\tdev").append(i).append(": device@").append(hex)
                        .append(" { compatible = \"vendor,dev\"; reg = <0x").append(hex).append(" 0x10>; interrupts = <0 ")
                        .append(i % 1000).append(" 4>; iommus = <&smmu ").append(i).append(">; peer = <&dev")
                        .append((int) ((i * 7919L) % n)).append(">; };\n");
            }
            b.append("\t};\n");
        }
        return b.append("};\n").toString();
    }

    @Test
    void hundredThousandChildren() {
        DeviceTree t = DtsReader.read("wide.dts", wide(100_000), Path.of("."));
        assertEquals(100_000, t.root().children().size());
        assertEquals("n99999", t.root().children().get(99_999).name());
        assertEquals(t.root().child("n54321"), t.find("/n54321"));
        byte[] blob = DtbWriter.write(t);
        // header, reservation terminator, per child BEGIN_NODE + name + END_NODE, root, END
        int names = 0;
        for (int i = 0; i < 100_000; i++) names += (("n" + i).length() + 1 + 3) & ~3;
        assertEquals(40 + 16 + 4 + 4 + 100_000 * 8 + names + 4 + 4, blob.length);
    }

    @Test
    void hundredThousandLabelsAndReferences() {
        DeviceTree t = DtsReader.read("labels.dts", labelled(100_000), Path.of("."));
        Node smmu = t.find("/iommu@1000");
        assertEquals(1, smmu.phandle(), "the SMMU is referenced first");
        // dev0 refers to the SMMU, then to dev0 itself: dev0 gets 2; then dev1 -> dev7919 gets 3 ...
        Node dev0 = t.find("/bus@0/device@0");
        assertEquals(2, dev0.phandle());
        assertEquals(3, t.find("/bus@7/device@1eef").phandle());
        Node last = t.find("/bus@63/device@1869f");
        assertEquals(java.util.List.of("dev99999"), last.labels());
        long[] iommus = last.property("iommus").cells();
        assertEquals(1, iommus[0]);
        assertEquals(99_999, iommus[1]);
        // every device was referenced by some peer (7919 is prime to 100,000): all have phandles
        int[] count = {0};
        t.walk(n -> {
            if (n.phandle() != 0) count[0]++;
        });
        assertEquals(100_001, count[0]);
        assertEquals(100_001, t.maxPhandle());
    }

    @Test
    void sameGeneratorsMatchDtcWhereDtcCopes() {
        assertAcceptedSame(wide(9_000));
        assertAcceptedSame(labelled(3_000));
    }
}
