package org.xldt.xen;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.Setting;
import org.xldt.xlcfg.XlConfig;

/**
 * A guest configuration for Xen on Arm as xl and libxl see it after reading an xl.cfg file:
 * every field typed, with xl's and libxl's defaults applied and libxl's Arm rules resolved
 * (type PVH, passthrough mode, the number of SPIs). Built and validated by
 * {@link DomainConfigReader}; an instance only exists for a configuration without errors.
 * Strings are the file's bytes decoded as UTF-8.
 *
 * @param name        {@code name} (required)
 * @param type        always {@link DomainType#PVH} on Arm ({@code pv} is converted as libxl does)
 * @param memory      {@code memory}/{@code maxmem} in MiB; both default to 32 MiB (libxl), maxmem
 *                    to memory (xl)
 * @param vcpus       {@code vcpus}/{@code maxvcpus}; both default to 1, maxvcpus to vcpus
 * @param cpus        {@code cpus}: hard affinity of the vCPUs, if given
 * @param kernel      {@code kernel}: path of the guest kernel in dom0
 * @param ramdisk     {@code ramdisk}
 * @param cmdline     the kernel command line: {@code cmdline}, else {@code root=ROOT EXTRA} from
 *                    {@code root} and {@code extra} (xl's parse_cmdline)
 * @param deviceTree  {@code device_tree}: path of the partial device tree
 * @param dtdevs      {@code dtdev}: host device-tree paths of the devices to assign
 * @param iomem       {@code iomem}: machine page ranges to map
 * @param irqs        {@code irqs}: physical SPIs to route to the guest
 * @param passthrough the effective passthrough mode: {@link Passthrough#DISABLED} or, when devices
 *                    are assigned, {@link Passthrough#SHARE_PT} (libxl's Arm default)
 * @param gicVersion  {@code gic_version}; {@link GicVersion#NATIVE} (libxl's "default") means the host's
 * @param vuart       {@code vuart}
 * @param nrSpis      the number of SPIs libxl asks Xen for: {@code nr_spis} when given, else the
 *                    minimum libxl computes (vuart, vSMMUv3, highest IRQ)
 * @param tee         {@code tee}
 * @param viommu      {@code viommu} (the vSMMUv3 series)
 * @param others      every setting DomainConfig does not model (disks, vifs, unknown names...),
 *                    in file order
 * @param source      the parsed file, for locations
 */
public record DomainConfig(
        String name,
        DomainType type,
        Memory memory,
        Vcpus vcpus,
        Optional<CpuAffinity> cpus,
        Optional<String> kernel,
        Optional<String> ramdisk,
        Optional<String> cmdline,
        Optional<String> deviceTree,
        List<String> dtdevs,
        List<IomemRange> iomem,
        List<Integer> irqs,
        Passthrough passthrough,
        GicVersion gicVersion,
        Vuart vuart,
        int nrSpis,
        Tee tee,
        Viommu viommu,
        List<Setting> others,
        XlConfig source) {

    public DomainConfig {
        dtdevs = List.copyOf(dtdevs);
        iomem = List.copyOf(iomem);
        irqs = List.copyOf(irqs);
        others = List.copyOf(others);
    }

    /** Most vCPUs an emulated GICv2 serves. */
    public static final int GICV2_MAX_VCPUS = 8;
    /** Most SPIs a guest can have (xl.cfg(5): "Max is 960 SPIs"). */
    public static final int MAX_SPIS = 960;

    /** Where a setting is written, if it is. */
    public Optional<Location> location(String key) {
        return source.find(key).map(Setting::location);
    }

    /** Settings whose names xl does not know (xl ignores them silently). */
    public List<Setting> unknownKeys() {
        return others.stream().filter(s -> !XlKeys.isKnown(s.name())).toList();
    }

    /** Whether the guest gets an emulated SMMUv3. */
    public boolean hasVsmmu() {
        return viommu == Viommu.SMMUV3;
    }

    /** Guest types. */
    public enum DomainType {
        PV, PVH, HVM;

        public String xlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Memory sizes in MiB as in the file.
     *
     * @param targetMiB {@code memory}: what the guest starts with
     * @param maxMiB    {@code maxmem}: the most it may have
     */
    public record Memory(long targetMiB, long maxMiB) {
        public long targetBytes() {
            return targetMiB << 20;
        }

        public long maxBytes() {
            return maxMiB << 20;
        }
    }

    /**
     * vCPU counts.
     *
     * @param online {@code vcpus}: vCPUs online at boot
     * @param max    {@code maxvcpus}: vCPUs the guest is built with
     */
    public record Vcpus(int online, int max) {
    }

    /**
     * {@code cpus}: as a string (one set for every vCPU) or a list (one set per vCPU, from vCPU 0).
     *
     * @param sets     the CPU sets
     * @param perVcpu  true for the list form
     */
    public record CpuAffinity(List<CpuSet> sets, boolean perVcpu) {
        public CpuAffinity {
            sets = List.copyOf(sets);
        }
    }

    /**
     * One xl CPU set, e.g. {@code "0-3,^2,node:1"}: items applied left to right.
     *
     * @param spec  as written
     * @param items the parsed items
     */
    public record CpuSet(String spec, List<CpuItem> items) {
        public CpuSet {
            items = List.copyOf(items);
        }
    }

    /**
     * One item of a CPU set: {@code [^][node:|nodes:](all | N | N-M)}.
     *
     * @param exclude a leading '^' (remove instead of add)
     * @param nodes   NUMA node numbers instead of CPU numbers
     * @param all     "all" ({@code from}/{@code to} unused)
     * @param from    first number
     * @param to      last number (inclusive)
     */
    public record CpuItem(boolean exclude, boolean nodes, boolean all, long from, long to) {
    }

    /**
     * An {@code iomem} range: {@code pages} machine pages from page {@code startPfn} mapped at
     * guest page {@code gfn} (libxl's default: the same number).
     */
    public record IomemRange(long startPfn, long pages, long gfn) {
        /** First machine address. */
        public long startAddress() {
            return startPfn << 12;
        }

        /** First guest address. */
        public long guestAddress() {
            return gfn << 12;
        }

        public long sizeBytes() {
            return pages << 12;
        }
    }

    /** libxl_passthrough; on Arm only DISABLED and SHARE_PT remain after defaulting. */
    public enum Passthrough {
        DEFAULT, DISABLED, ENABLED, SYNC_PT, SHARE_PT;

        public String xlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** libxl_gic_version; NATIVE is libxl's "default": the host's GIC version. */
    public enum GicVersion {
        NATIVE("default"), V2("v2"), V3("v3");

        private final String xlName;

        GicVersion(String xlName) {
            this.xlName = xlName;
        }

        public String xlName() {
            return xlName;
        }
    }

    /** libxl_vuart_type; NONE is libxl's "unknown" (no emulated UART). */
    public enum Vuart {
        NONE("unknown"), SBSA_UART("sbsa_uart");

        private final String xlName;

        Vuart(String xlName) {
            this.xlName = xlName;
        }

        public String xlName() {
            return xlName;
        }
    }

    /** libxl_tee_type ({@code ffa} is upstream since Xen 4.19). */
    public enum Tee {
        NONE, OPTEE, FFA;

        public String xlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** libxl_viommu_type of the vSMMUv3 series. */
    public enum Viommu {
        NONE, SMMUV3;

        public String xlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
