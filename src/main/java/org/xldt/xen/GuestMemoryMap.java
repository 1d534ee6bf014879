package org.xldt.xen;

import java.util.List;

/**
 * The Arm guest memory map and device-tree constants that libxl and Xen's dom0less builder use
 * (Xen's public {@code arch-arm.h} and {@code device_tree_defs.h}, Xen 4.21), plus the vSMMUv3
 * series' additions. The one place these numbers live: every builder and {@code validate} read
 * them from here.
 */
public final class GuestMemoryMap {
    private GuestMemoryMap() {
    }

    /** A guest physical region. */
    public record Region(long base, long size) {
        public Region {
            if (size < 0 || base < 0) throw new IllegalArgumentException("negative region " + base + "+" + size);
        }

        /** One past the last byte. */
        public long end() {
            return base + size;
        }

        public boolean contains(long addr) {
            return addr >= base && addr - base < size;
        }

        public boolean overlaps(Region o) {
            return base < o.end() && o.base < end();
        }
    }

    public static final Region VIRTIO_MMIO = new Region(0x02000000L, 0x00100000L);
    /** Size of one virtio-mmio device window inside {@link #VIRTIO_MMIO}. */
    public static final long VIRTIO_MMIO_DEV_SIZE = 0x200;
    public static final Region GICD_V2 = new Region(0x03001000L, 0x1000);
    public static final Region GICC_V2 = new Region(0x03002000L, 0x2000);
    public static final Region GICD_V3 = new Region(0x03001000L, 0x10000);
    public static final Region GICR0_V3 = new Region(0x03020000L, 0x01000000L);
    /** Bytes of redistributor per vCPU (GICv3: two 64 KiB frames). */
    public static final long GICR_STRIDE = 0x20000;
    /** The vSMMUv3 series: the emulated SMMUv3's guest window. */
    public static final Region VSMMUV3 = new Region(0x04040000L, 0x40000);
    public static final Region VPCI_ECAM = new Region(0x10000000L, 0x10000000L);
    public static final Region ACPI = new Region(0x20000000L, 0x02000000L);
    public static final Region PL011 = new Region(0x22000000L, 0x1000);
    public static final long VPCI_ADDR_TYPE_MEM = 0x02000000L;
    public static final Region VPCI_MEM = new Region(0x23000000L, 0x10000000L);
    public static final long VPCI_ADDR_TYPE_PREFETCH_MEM = 0x43000000L;
    public static final Region VPCI_PREFETCH_MEM = new Region(0x100000000L, 0x100000000L);
    public static final Region GNTTAB = new Region(0x38000000L, 0x01000000L);
    public static final Region MAGIC = new Region(0x39000000L, 0x01000000L);
    public static final Region RAM0 = new Region(0x40000000L, 0xC0000000L);
    public static final Region RAM1 = new Region(0x0200000000L, 0xFE00000000L);
    public static final List<Region> RAM_BANKS = List.of(RAM0, RAM1);
    public static final long RAM_MAX = RAM0.size() + RAM1.size();

    public static final int MAX_VCPUS = 128;

    /** PPIs (interrupt IDs). */
    public static final int TIMER_VIRT_PPI = 27;
    public static final int TIMER_PHYS_S_PPI = 29;
    public static final int TIMER_PHYS_NS_PPI = 30;
    public static final int EVTCHN_PPI = 31;
    /** SPIs (interrupt IDs). */
    public static final int VPL011_SPI = 32;
    /** The vSMMUv3 series: the emulated SMMUv3's combined interrupt. */
    public static final int VSMMU_SPI = 33;
    /** Upstream virtio-mmio SPI range (first, last). */
    public static final int VIRTIO_MMIO_SPI_FIRST = 33;
    public static final int VIRTIO_MMIO_SPI_LAST = 43;
    /** With the vSMMUv3 series the virtio-mmio SPIs move up by one, past the vSMMU's. */
    public static final int SERIES_VIRTIO_MMIO_SPI_FIRST = 34;
    public static final int SERIES_VIRTIO_MMIO_SPI_LAST = 44;

    /** Phandles ({@code device_tree_defs.h}); a partial device tree must not define these or above. */
    public static final int PHANDLE_GIC = 65000;
    public static final int PHANDLE_IOMMU = 65001;
    public static final int PHANDLE_VSMMUV3 = 65002;
    public static final int PHANDLE_RESERVED_FIRST = PHANDLE_GIC;

    public static final int ROOT_ADDRESS_CELLS = 2;
    public static final int ROOT_SIZE_CELLS = 2;

    /** Interrupt sense types in device-tree interrupt specifiers. */
    public static final int IRQ_TYPE_NONE = 0;
    public static final int IRQ_TYPE_EDGE_RISING = 1;
    public static final int IRQ_TYPE_EDGE_FALLING = 2;
    public static final int IRQ_TYPE_EDGE_BOTH = 3;
    public static final int IRQ_TYPE_LEVEL_HIGH = 4;
    public static final int IRQ_TYPE_LEVEL_LOW = 8;

    /** PSCI function IDs written by libxl (0.1 style). */
    public static final int PSCI_CPU_SUSPEND = 0;
    public static final int PSCI_CPU_OFF = 1;
    public static final int PSCI_CPU_ON = 2;
    public static final int PSCI_MIGRATE = 3;

    /** First SPI interrupt ID. */
    public static final int SPI_BASE = 32;
}
