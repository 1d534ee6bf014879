package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xldt.xen.DomainConfig.IomemRange;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.LibxlLayout.Kernel;
import org.xldt.xen.LibxlNodes.GuestArch;

class LibxlLayoutTest {
    static final long MIB = 1L << 20;

    @Test
    void banksSplitAtThreeGib() {
        assertEquals(List.of(new Region(0x40000000L, 512 * MIB), new Region(0x200000000L, 0)), LibxlLayout.banks(512 * MIB));
        assertEquals(List.of(new Region(0x40000000L, 0xc0000000L), new Region(0x200000000L, 1024 * MIB)), LibxlLayout.banks(4096 * MIB));
        assertThrows(IllegalArgumentException.class, () -> LibxlLayout.banks(GuestMemoryMap.RAM_MAX + 1));
    }

    @Test
    void extendedRegionsPerBankAndGpaddrBits() {
        assertEquals(List.of(new Region(0x60000000L, 0xa0000000L), new Region(0x200000000L, 0xfe00000000L)),
                LibxlLayout.extendedRegions(LibxlLayout.banks(512 * MIB), 40, List.of()));
        // 2 MiB alignment of the used part; bank 1 out of a 32-bit IPA space
        assertEquals(List.of(new Region(0x40000000L + 4 * MIB, 0xc0000000L - 4 * MIB)),
                LibxlLayout.extendedRegions(LibxlLayout.banks(3 * MIB), 32, List.of()));
        // a gap below 64 MiB is not a region
        assertEquals(List.of(), LibxlLayout.extendedRegions(LibxlLayout.banks(3072 * MIB - 32 * MIB), 32, List.of()));
    }

    @Test
    void iomemIsCarvedOutOfExtendedRegions() {
        // 1 GiB guest: bank 0 free from 0x80000000; iomem at 0x90000000 (16 pages) and 0xfc000000 (1 MiB)
        List<IomemRange> io = List.of(new IomemRange(0x1000, 0x100, 0xfc000), new IomemRange(0x2000, 0x10, 0x90000));
        List<Region> r = LibxlLayout.extendedRegions(LibxlLayout.banks(1024 * MIB), 32, io);
        assertEquals(List.of(new Region(0x80000000L, 0x10000000L), new Region(0x90010000L, 0xfc000000L - 0x90010000L)), r);
        // the piece above 0xfc100000 (63 MiB) is too small
    }

    @Test
    void kernelsAreProbedLikeLibxenguest() {
        ByteBuffer a64 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        a64.putLong(8, 0x80000).putInt(0x38, 0x644d5241);
        Kernel k = LibxlLayout.probeKernel(a64.array(), 20 * MIB).orElseThrow();
        assertEquals(GuestArch.AARCH64, k.arch());
        assertEquals(0x40080000L, k.vstart());
        assertEquals(0x40080000L + 20 * MIB, k.vend());
        ByteBuffer z = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        z.putInt(0x24, 0x016f2818).putInt(0x28, 0).putInt(0x2c, 0x500000);
        Kernel k32 = LibxlLayout.probeKernel(z.array(), 0x600000).orElseThrow();
        assertEquals(GuestArch.ARMV7L, k32.arch());
        assertEquals(0x40008000L + 0x500000, k32.vend());
        assertTrue(LibxlLayout.probeKernel(new byte[64], 64).isEmpty());
    }

    @Test
    void modulesGoAt128MibOrAtTheEndOfBank0OrBelowTheKernel() {
        Kernel small = LibxlLayout.assumedKernel(10 * MIB, "t");
        LibxlLayout.Modules m = LibxlLayout.placeModules(LibxlLayout.banks(512 * MIB), small, 5990, 0x123456, true);
        assertEquals(new Region(0x48000000L, 0x124000), m.ramdisk());
        assertEquals(new Region(0x48124000L, 0x2000), m.dtb());
        // 128 MiB: no room above RAM + 128 MiB, so the end of bank 0
        LibxlLayout.Modules low = LibxlLayout.placeModules(LibxlLayout.banks(128 * MIB), small, 5990, 100, true);
        assertEquals(new Region(0x48000000L - 0x3000, 0x1000), low.ramdisk());
        // a kernel loaded high, filling the end of bank 0: below the kernel
        Kernel high = new Kernel(GuestArch.AARCH64, 0x44000000L, 0x48000000L, "t");
        LibxlLayout.Modules below = LibxlLayout.placeModules(LibxlLayout.banks(128 * MIB), high, 4000, 0, false);
        assertEquals(new Region(0x44000000L - 0x1000, 0x1000), below.dtb());
        assertThrows(IllegalArgumentException.class,
                () -> LibxlLayout.placeModules(LibxlLayout.banks(64 * MIB), new Kernel(GuestArch.AARCH64, 0x40000000L, 0x44000000L, "t"), 4000, 0, false));
    }
}
