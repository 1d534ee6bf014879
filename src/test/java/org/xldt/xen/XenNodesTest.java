package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;
import org.xldt.dt.DtsWriter;
import org.xldt.dt.Marker;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

class XenNodesTest {
    /** The DTS text of one node, as dtc decompiles a blob holding it under the root. */
    static String dts(Node n) {
        DeviceTree t = new DeviceTree();
        t.root().add(n);
        String all = DtsWriter.write(DtbReader.read(DtbWriter.write(t), "t"));
        return all.substring(all.indexOf("\t" + n.name() + " {"), all.lastIndexOf("};"));
    }

    @Test
    void hypervisorNode() {
        Node n = XenNodes.hypervisor(2, 2, new Region(0x40200000L, 0x40000), List.of(new Region(0x48000000L, 0x3fc8000000L)),
                16, 0x8002);
        assertEquals("""
                \thypervisor {
                \t\tcompatible = "xen,xen-4.21\\0xen,xen";
                \t\treg = <0x00 0x40200000 0x00 0x40000 0x00 0x48000000 0x3f 0xc8000000>;
                \t\tinterrupts = <0x01 0x00 0xf08>;
                \t\tinterrupt-parent = <0x8002>;
                \t};
                """, dts(n));
        assertTrue(n.property("interrupt-parent").markers().isEmpty(), "phandle-bearing property without type marker");
        assertThrows(BadInputException.class, () -> XenNodes.hypervisor(3, 2, new Region(0, 0x1000), List.of(), 16, 1));
    }

    @Test
    void hypervisorOneCellRoot() {
        Node n = XenNodes.hypervisor(1, 1, new Region(0x80000000L, 0x40000), List.of(), 16, 1);
        assertEquals(List.of(0x80000000L, 0x40000L), List.of(n.property("reg").cell(0), n.property("reg").cell(1)));
        assertEquals(8, n.property("reg").length());
    }

    @Test
    void psciNode() {
        assertEquals("""
                \tpsci {
                \t\tcompatible = "arm,psci-1.0\\0arm,psci-0.2\\0arm,psci";
                \t\tmethod = "hvc";
                \t\tcpu_off = <0x01>;
                \t\tcpu_on = <0x02>;
                \t};
                """, dts(XenNodes.psci()));
    }

    @Test
    void cpusNodeUsesXenAffinities() {
        Node n = XenNodes.cpus("arm,cortex-a57\0".getBytes(), OptionalLong.empty(), 18, true);
        assertEquals(18, n.children().size());
        assertEquals("cpu@f", n.children().get(15).name());
        assertEquals("cpu@100", n.children().get(16).name());
        assertEquals("cpu@101", n.children().get(17).name());
        assertEquals(0x101, n.children().get(17).property("reg").cell(0));
        Node c32 = XenNodes.cpus("arm,cortex-a15\0".getBytes(), OptionalLong.of(1000), 1, false);
        assertEquals("""
                \tcpus {
                \t\t#address-cells = <0x01>;
                \t\t#size-cells = <0x00>;

                \t\tcpu@0 {
                \t\t\tcompatible = "arm,cortex-a15";
                \t\t\tdevice_type = "cpu";
                \t\t\treg = <0x00>;
                \t\t\tclock-frequency = <0x3e8>;
                \t\t};
                \t};
                """, dts(c32));
    }

    @Test
    void memoryNodeNamedAfterFirstBank() {
        Node n = XenNodes.memory(2, 2, List.of(new Region(0x44000000L, 0x4000000L), new Region(0x880000000L, 0x40000000L)));
        assertEquals("memory@44000000", n.name());
        assertEquals("""
                \tmemory@44000000 {
                \t\tdevice_type = "memory";
                \t\treg = <0x00 0x44000000 0x00 0x4000000 0x08 0x80000000 0x00 0x40000000>;
                \t};
                """, dts(n));
    }

    @Test
    void timerNodeForDomU() {
        Node n = XenNodes.timer(true, GuestMemoryMap.TIMER_PHYS_S_PPI, GuestMemoryMap.TIMER_PHYS_NS_PPI,
                GuestMemoryMap.TIMER_VIRT_PPI, GuestMemoryMap.PHANDLE_GIC, OptionalLong.empty());
        assertEquals("""
                \ttimer {
                \t\tcompatible = "arm,armv8-timer";
                \t\tinterrupts = <0x01 0x0d 0xf08 0x01 0x0e 0xf08 0x01 0x0b 0xf08>;
                \t\tinterrupt-parent = <0xfde8>;
                \t};
                """, dts(n));
    }

    @Test
    void guestVsmmuv3Node() {
        assertEquals("""
                \tiommu@4040000 {
                \t\tcompatible = "arm,smmu-v3";
                \t\treg = <0x00 0x4040000 0x00 0x40000>;
                \t\tphandle = <0xfdea>;
                \t\t#iommu-cells = <0x01>;
                \t\tinterrupt-names = "combined";
                \t\tinterrupts = <0x00 0x01 0xf04>;
                \t\tinterrupt-parent = <0xfde8>;
                \t};
                """, dts(XenNodes.guestVsmmuv3(GuestMemoryMap.PHANDLE_GIC)));
    }

    static Node parse(String body) {
        DeviceTree t = DtsReader.read("t.dts", "/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>;\n" + body + "\n};\n",
                java.nio.file.Path.of("."));
        return DtbReader.read(DtbWriter.write(t), "t").root().children().get(0);
    }

    @Test
    void hwdomVsmmuv3CopiesHostIdentity() {
        Node host = parse("""
                iommu@2ce00000 { compatible = "arm,smmu-v3"; reg = <0 0x2ce00000 0 0x40000>;
                  interrupts = <0 0x4c 1 0 0x50 1>; interrupt-names = "eventq", "gerror";
                  #iommu-cells = <1>; dma-coherent; msi-parent = <&h 0>; phandle = <0x0e>; };
                h: its { msi-controller; #msi-cells = <1>; };""");
        Node n = XenNodes.hwdomVsmmuv3(host, 0x2ce00000L, 0x4c + 32, 1);
        assertEquals("""
                \tiommu@2ce00000 {
                \t\tcompatible = "arm,smmu-v3";
                \t\tphandle = <0x0e>;
                \t\treg = <0x00 0x2ce00000 0x00 0x40000>;
                \t\t#iommu-cells = <0x01>;
                \t\tinterrupt-names = "combined";
                \t\tinterrupts = <0x00 0x4c 0xf04>;
                \t\tinterrupt-parent = <0x01>;
                \t\tdma-coherent;
                \t};
                """, dts(n));
        for (Property p : n.properties()) {
            if (p.name().equals("phandle") || p.name().equals("interrupt-parent")) {
                assertTrue(p.markers().stream().noneMatch(m -> m.kind() == Marker.Kind.TYPE_UINT32));
            }
        }
    }

    @Test
    void hwdomGicV3CutsRegAndRebuildsIts() {
        Node gic = parse("""
                intc@8000000 { compatible = "arm,gic-v3"; #interrupt-cells = <3>; #address-cells = <2>; #size-cells = <2>;
                  interrupt-controller; ranges; #redistributor-regions = <2>;
                  reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0x40000>, <0 0x9000000 0 0x100000>, <0 0x8010000 0 0x2000>;
                  interrupts = <1 9 4>; phandle = <0x8002>;
                  its@8080000 { compatible = "arm,gic-v3-its"; msi-controller; #msi-cells = <1>; reg = <0 0x8080000 0 0x20000>; phandle = <0x8003>; };
                  other@1 { compatible = "foo"; reg = <0 1 0 1>; };
                };""");
        // 2 vCPUs fit in the first region (0x40000 / 0x20000 = 2)
        assertEquals("""
                \tintc@8000000 {
                \t\tphandle = <0x8002>;
                \t\t#address-cells = <0x02>;
                \t\t#size-cells = <0x02>;
                \t\t#interrupt-cells = <0x03>;
                \t\tinterrupt-controller;
                \t\tcompatible = "arm,gic-v3";
                \t\t#redistributor-regions = <0x01>;
                \t\treg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x40000>;
                \t\tranges;

                \t\tits {
                \t\t\tcompatible = "arm,gic-v3-its";
                \t\t\tmsi-controller;
                \t\t\t#msi-cells = <0x01>;
                \t\t\tphandle = <0x8003>;
                \t\t\treg = <0x00 0x8080000 0x00 0x20000>;
                \t\t};
                \t};
                """, dts(XenNodes.hwdomGic(gic, 2, 2, 2, f -> null)));
        // 3 vCPUs need both regions
        Node three = XenNodes.hwdomGic(gic, 2, 2, 3, f -> null);
        assertEquals(2, three.property("#redistributor-regions").cell(0));
        assertEquals(3 * 16, three.property("reg").length());
    }

    @Test
    void hwdomGicV2WithV2mFrames() {
        Node gic = parse("""
                intc@8000000 { compatible = "arm,cortex-a15-gic"; #interrupt-cells = <3>; #address-cells = <2>; #size-cells = <2>;
                  interrupt-controller; ranges; phandle = <0x8002>;
                  reg = <0 0x8000000 0 0x10000>, <0 0x8010000 0 0x10000>, <0 0x8030000 0 0x10000>, <0 0x8040000 0 0x10000>;
                  v2m@8020000 { compatible = "arm,gic-v2m-frame"; msi-controller; reg = <0 0x8020000 0 0x1000>; phandle = <0x8003>; };
                  v2m@8021000 { compatible = "arm,gic-v2m-frame"; msi-controller; reg = <0 0x8021000 0 0x1000>; };
                };""");
        Node n = XenNodes.hwdomGic(gic, 2, 2, 1, f -> new XenNodes.MsiSpis(80, 64));
        assertEquals(32, n.property("reg").length());
        assertEquals(List.of("v2m@8020000", "v2m@8021000"), n.children().stream().map(Node::name).toList(),
                "clashing names keep the host's unit addresses");
        assertEquals(80, n.children().get(0).u32("arm,msi-base-spi", -1));
        assertEquals(64, n.children().get(1).u32("arm,msi-num-spis", -1));
        assertEquals(0x8003, n.children().get(0).phandle());
        assertEquals(0, n.children().get(1).phandle());
    }

    @Test
    void lowestFreePpiSkipsTimerPpis() {
        assertEquals(16, XenNodes.lowestFreePpi(29, 30, 27));
        assertEquals(17, XenNodes.lowestFreePpi(16, 30, 27));
    }
}
