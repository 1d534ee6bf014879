package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.Node;
import org.xldt.dt.Property;

/** Damaged host trees give dom0 trees or one BadInputException: never another exception, never a hang. */
class Dom0RobustnessTest {
    static final byte[][] VALUES = {
        {}, {0}, {0, 0, 0}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, {0, 0, 0, 1}, {0, 0, 0, 2},
        {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0},
        {0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0}, {'a', 'r', 'm', ',', 's', 'm', 'm', 'u', '-', 'v', '3', 0},
    };
    static final List<String> NAMES = List.of("#address-cells", "#size-cells", "reg", "interrupts", "interrupt-parent", "ranges",
            "compatible", "iommus", "iommu-map", "#iommu-cells", "#interrupt-cells", "status", "phandle", "device_type",
            "#redistributor-regions", "stdout-path", "clock-frequency");

    @ParameterizedTest
    @ValueSource(strings = {"qemu-virt-gicv3-smmuv3.dtb", "qemu-virt-gicv2-smmuv3.dtb", "morello-sdp.dtb"})
    void damagedHosts(String name) throws IOException {
        DeviceTree original = DtbReader.read(Files.readAllBytes(Path.of("examples/hosts", name)), name);
        Random rnd = new Random(name.hashCode());
        assertTimeoutPreemptively(Duration.ofSeconds(Long.getLong("xldt.dom0.seconds", 60)), () -> {
            for (int i = 0; i < Integer.getInteger("xldt.dom0.mutations", 150); i++) {
                DeviceTree t = original.deepCopy();
                List<Node> nodes = new ArrayList<>();
                t.walk(nodes::add);
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                    Node n = nodes.get(rnd.nextInt(nodes.size()));
                    if (rnd.nextInt(8) == 0 && n.parent() != null) {
                        n.detach();
                        continue;
                    }
                    String prop = NAMES.get(rnd.nextInt(NAMES.size()));
                    byte[] v = VALUES[rnd.nextInt(VALUES.length)];
                    if (prop.equals("interrupt-parent") && rnd.nextBoolean() && n.phandle() != 0) v = XenNodes.u32s(n.phandle());
                    n.set(new Property(prop, v));
                }
                t = DtbReader.read(DtbWriter.write(t), name); // what a file would hold
                for (String cmd : List.of("dom0_mem=64M viommu=smmuv3", "dom0_mem=64M")) {
                    try {
                        Dom0Builder.build(t, name, XenCmdline.parse(cmd), "--xen-cmdline");
                    } catch (BadInputException e) {
                        if (e.getMessage() == null || e.location().isEmpty()) fail("unlocated error " + e.render());
                    } catch (RuntimeException e) {
                        throw new AssertionError(name + " iteration " + i + ": " + e, e);
                    }
                }
            }
        });
    }
}
