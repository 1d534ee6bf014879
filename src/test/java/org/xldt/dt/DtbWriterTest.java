package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.xldt.Tools;

class DtbWriterTest {

    /** A small tree with suffix-shared names, a memreserve and an empty property. */
    static DeviceTree sample() {
        DeviceTree t = new DeviceTree();
        t.reserves().add(new MemReserve(0x80000000L, 0x10000));
        Node root = t.root();
        root.set(Property.cells("#address-cells", 2)).set(Property.cells("#size-cells", 2));
        Node chosen = root.addChild("chosen");
        chosen.set(Property.strings("xen,xen-bootargs", "console=dtuart"));
        chosen.set(Property.strings("bootargs", "root=/dev/ram"));
        Node smmu = root.addChild("iommu@4040000");
        smmu.set(Property.strings("compatible", "arm,smmu-v3"));
        smmu.set(Property.u64Cells("reg", 0x04040000L, 0x40000));
        smmu.set(Property.cells("phandle", 65002));
        smmu.set(Property.cells("#iommu-cells", 1));
        smmu.set(Property.empty("dma-coherent"));
        smmu.set(Property.strings("interrupt-names", "combined"));
        return t;
    }

    static final String SAMPLE_DTS = """
            /dts-v1/;
            /memreserve/ 0x80000000 0x10000;
            / {
                #address-cells = <2>;
                #size-cells = <2>;
                chosen {
                    xen,xen-bootargs = "console=dtuart";
                    bootargs = "root=/dev/ram";
                };
                iommu@4040000 {
                    compatible = "arm,smmu-v3";
                    reg = <0x0 0x4040000 0x0 0x40000>;
                    phandle = <65002>;
                    #iommu-cells = <1>;
                    dma-coherent;
                    interrupt-names = "combined";
                };
            };
            """;

    @Test
    void matchesDtcByteForByte() {
        String dtc = Tools.dtc();
        Tools.Result r = Tools.run(Tools.cmd(dtc, "-I", "dts", "-O", "dtb", "-"), SAMPLE_DTS.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(r.stdout(), DtbWriter.write(sample()));
    }

    @Test
    void paddingMatchesDtcDashP() {
        String dtc = Tools.dtc();
        Tools.Result r = Tools.run(Tools.cmd(dtc, "-p", "1000", "-I", "dts", "-O", "dtb", "-"), SAMPLE_DTS.getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(r.stdout(), DtbWriter.write(sample(), 1000));
    }

    @Test
    void suffixSharing() {
        byte[] blob = DtbWriter.write(sample());
        int stringsOff = Property.getU32(blob, 12);
        int stringsSize = Property.getU32(blob, 32);
        String strings = new String(blob, stringsOff, stringsSize, StandardCharsets.ISO_8859_1);
        // "bootargs" is the tail of "xen,xen-bootargs": stored once
        assertEquals(1, strings.split("bootargs", -1).length - 1);
        assertEquals("#address-cells\0#size-cells\0xen,xen-bootargs\0compatible\0reg\0phandle\0#iommu-cells\0dma-coherent\0interrupt-names\0", strings);
    }
}
