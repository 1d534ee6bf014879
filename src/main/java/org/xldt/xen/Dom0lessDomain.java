package org.xldt.xen;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.XlConfig;

/**
 * One dom0less domU: its xl.cfg read into the same {@link DomainConfig} as {@code xl create}
 * reads it, plus the dom0less settings that only Xen's boot-time builder knows. Built by
 * {@link Dom0lessReader}; an instance exists only for a file without errors.
 *
 * @param file       the domU file
 * @param config     the xl settings (name, memory, vcpus, kernel, ramdisk, cmdline, dtdev, iomem,
 *                   device_tree, viommu, nr_spis...)
 * @param kernel     {@code kernel}, resolved against the domU file's directory
 * @param ramdisk    {@code ramdisk}, resolved likewise
 * @param deviceTree {@code device_tree} (a ready partial device tree), resolved likewise
 * @param vpl011     {@code vpl011} (default 1, as ImageBuilder), or {@code vuart = "sbsa_uart"}
 * @param enhanced   {@code xen_enhanced}
 * @param directMap  {@code direct_map} (default 1 when {@code static_mem} is given, as ImageBuilder)
 * @param staticMem  {@code static_mem = [ "ADDR,SIZE", ... ]}: host memory banks of the domain
 * @param memoryKiB  the domain's memory in KiB: {@code maxmem} (default {@code memory}), or the sum of
 *                   {@code static_mem} when {@code memory} is not given
 */
public record Dom0lessDomain(
        Path file,
        DomainConfig config,
        Path kernel,
        Optional<Path> ramdisk,
        Optional<Path> deviceTree,
        boolean vpl011,
        Enhanced enhanced,
        boolean directMap,
        List<StaticBank> staticMem,
        long memoryKiB) {

    public Dom0lessDomain {
        staticMem = List.copyOf(staticMem);
    }

    /** The dom0less setting names this record adds to xl's. */
    public static final java.util.Set<String> KEYS = java.util.Set.of("vpl011", "xen_enhanced", "direct_map", "static_mem");

    public String name() {
        return config.name();
    }

    /** The domain gets an emulated SMMUv3 (per-domain {@code viommu = "smmuv3"}). */
    public boolean hasVsmmu() {
        return config.hasVsmmu();
    }

    /** Where a setting is written, or the start of the file. */
    public Location at(String key) {
        return XlLocations.at(config.source(), key);
    }

    /** Where item {@code index} of the list setting {@code key} is written (or the setting). */
    public Location itemAt(String key, int index) {
        return XlLocations.itemAt(config.source(), key, index);
    }

    /**
     * {@code xen,enhanced}: the Xen PV interfaces of the domain. {@link #DISABLED} writes no
     * property (Xen's default: no PV interfaces).
     */
    public enum Enhanced {
        ENABLED("enabled"), NO_XENSTORE("no-xenstore"), LEGACY("legacy"), DISABLED("disabled");

        private final String value;

        Enhanced(String value) {
            this.value = value;
        }

        /** The property value Xen reads. */
        public String value() {
            return value;
        }

        /** Whether Xen gives the domain a {@code /hypervisor} node (everything but DISABLED). */
        public boolean makesHypervisorNode() {
            return this != DISABLED;
        }
    }

    /**
     * A bank of {@code static_mem}: host memory the domain owns.
     *
     * @param address  first host address
     * @param size     bytes
     * @param location where it is written
     */
    public record StaticBank(long address, long size, Location location) {
        public long end() {
            return address + size;
        }

        public boolean overlaps(StaticBank o) {
            return address < o.end() && o.address < end();
        }
    }
}
