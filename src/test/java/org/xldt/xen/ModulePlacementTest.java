package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.xen.ModulePlacement.Layout;
import org.xldt.xen.ModulePlacement.Placed;
import org.xldt.xen.ModulePlacement.Request;
import org.xldt.xen.ModulePlacement.Reserved;

/** ImageBuilder's placement rule, and what xldt adds to it (clear of reserved memory). */
class ModulePlacementTest {
    static final long MB = 1 << 20;

    @Test
    void imageBuildersRuleByHand() {
        // MEMORY_START 0x40000000: script at +2 MiB, then each binary at the next 2 MiB boundary
        Layout l = ModulePlacement.place(0x40000000L, List.of(),
                List.of(new Request("a", 0x2a10000), new Request("b", 0x3039), new Request("c", 0), new Request("d", 2 * MB)));
        assertEquals(0x40200000L, l.scriptAddress());
        assertEquals(List.of(0x40400000L, 0x43000000L, 0x43200000L, 0x43200000L),
                l.modules().stream().map(Placed::address).toList(), "an empty binary takes no room, as in ImageBuilder");
        assertEquals(0x43400000L, l.end());
    }

    @Test
    void theScriptIsNeverBelow12MiB() {
        Layout l = ModulePlacement.place(0, List.of(), List.of(new Request("a", 1)));
        assertEquals(0xC00000L, l.scriptAddress());
        assertEquals(0xE00000L, l.get("a").address());
    }

    @Test
    void reservedMemoryPushesBinariesPastIt() {
        // Agilex 5: /reserved-memory svcbuffer 0x80000000 + 32 MiB
        Layout l = ModulePlacement.place(0x80000000L, List.of(new Reserved(0x80000000L, 32 * MB, "svc"), new Reserved(0x82400000L, 0x1000, "x")),
                List.of(new Request("a", 3 * MB), new Request("b", MB)));
        assertEquals(0x82000000L, l.scriptAddress(), "the script slot moves too");
        assertEquals(0x82600000L, l.get("a").address(), "0x82200000 would cover 0x82400000");
        assertEquals(0x82a00000L, l.get("b").address());
    }

    @Test
    void theFitCheckIsImageBuilders() {
        Layout l = ModulePlacement.place(0x40000000L, List.of(), List.of(new Request("a", 5 * MB)));
        assertEquals(0x40a00000L, l.end());
        ModulePlacement.checkFits(l, 0x40c00000L, "s");
        BadInputException e = assertThrows(BadInputException.class, () -> ModulePlacement.checkFits(l, 0x40bfffffL, "s"));
        assertTrue(e.getMessage().startsWith("the binaries do not fit: they need memory up to 0x40c00000"), e.getMessage());
    }

    @Provide
    Arbitrary<List<Long>> sizes() {
        return Arbitraries.longs().between(0, 64 * MB).list().ofMinSize(0).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Reserved>> reserved() {
        return Arbitraries.longs().between(0, 1024).flatMap(start -> Arbitraries.longs().between(1, 80 * MB)
                .map(size -> new Reserved(0x80000000L + start * 0x100000L, size, "r"))).list().ofMaxSize(6);
    }

    @Property(tries = 300)
    void binariesNeverOverlapEachOtherNorReservedMemory(@ForAll("sizes") List<Long> sizes, @ForAll("reserved") List<Reserved> reserved,
            @ForAll @LongRange(min = 0x80000000L, max = 0x90000000L) long start) {
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) rs.add(new Request("m" + i, sizes.get(i)));
        Layout l = ModulePlacement.place(start, reserved, rs);
        List<long[]> used = new ArrayList<>();
        used.add(new long[] {l.scriptAddress(), l.scriptAddress() + ModulePlacement.ALIGN});
        for (Placed p : l.modules()) used.add(new long[] {p.address(), p.address() + Math.max(1, p.size())});
        long previousEnd = 0;
        for (int i = 0; i < used.size(); i++) {
            long[] u = used.get(i);
            // ImageBuilder does not align MEMORY_START + 2 MiB: the script and the first binary keep its offset
            if (i >= 2) assertEquals(0, u[0] % ModulePlacement.ALIGN, "2 MiB aligned");
            assertTrue(u[0] >= start + ModulePlacement.ALIGN || u[0] >= ModulePlacement.MIN_SCRIPT_ADDRESS);
            assertTrue(u[0] >= previousEnd, "in order, without overlap");
            previousEnd = u[0] + (u[1] - u[0] == 1 ? 0 : u[1] - u[0]);
            for (Reserved r : reserved) assertFalse(u[0] < r.end() && r.start() < u[1], "clear of " + r);
        }
        assertTrue(l.end() >= previousEnd);
    }

    @Property(tries = 200)
    void withoutReservedMemoryItIsExactlyImageBuildersArithmetic(@ForAll("sizes") List<Long> sizes,
            @ForAll @LongRange(min = 0, max = 0x100000000L) long start) {
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) rs.add(new Request("m" + i, sizes.get(i)));
        Layout l = ModulePlacement.place(start, List.of(), rs);
        // uboot-script-gen: memaddr = MEMORY_START + offset, at least 12 MiB; script; memaddr += offset;
        // each file: load at memaddr; memaddr = (memaddr + size + offset - 1) & ~(offset - 1)
        long offset = 2 * MB;
        long memaddr = Math.max(start + offset, 12582912L);
        assertEquals(memaddr, l.scriptAddress());
        memaddr += offset;
        for (int i = 0; i < sizes.size(); i++) {
            assertEquals(memaddr, l.modules().get(i).address());
            memaddr = (memaddr + sizes.get(i) + offset - 1) & ~(offset - 1);
        }
        assertEquals(memaddr, l.end());
    }

    // ---- sizes: ImageBuilder's get_image_size ---------------------------------------------------

    static byte[] arm64Image(int fileSize, long imageSize, long textOffset) {
        ByteBuffer b = ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(8, textOffset);
        b.putLong(16, imageSize);
        b.put(56, (byte) 'A').put(57, (byte) 'R').put(58, (byte) 'M').put(59, (byte) 0x64);
        return b.array();
    }

    @Test
    void anArm64ImageIsSizedByItsHeaderWhenLarger() {
        byte[] k = arm64Image(4096, 0x1380000, 0x80000);
        KernelImage img = KernelImage.of(k);
        assertEquals(KernelImage.Kind.ARM64_IMAGE, img.kind());
        assertEquals(0x80000, img.textOffset());
        assertEquals(0x1380000, KernelImage.imageBuilderSize(k));
        assertEquals(8192, KernelImage.imageBuilderSize(arm64Image(8192, 100, 0)), "never smaller than the file");
    }

    @Test
    void anArm32ZImageIsSizedByEndMinusStart() {
        ByteBuffer b = ByteBuffer.allocate(0x100).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x24, 0x016f2818).putInt(0x28, 0).putInt(0x2c, 0x300000);
        KernelImage img = KernelImage.of(b.array());
        assertEquals(KernelImage.Kind.ARM32_ZIMAGE, img.kind());
        assertEquals(0x300000, KernelImage.imageBuilderSize(b.array()));
    }

    @Property(tries = 20)
    void otherFilesAreTheirSize(@ForAll @IntRange(min = 0, max = 300) int n) {
        assertEquals(n, KernelImage.imageBuilderSize(new byte[n]));
        assertEquals(KernelImage.Kind.UNKNOWN, KernelImage.of(new byte[n]).kind());
    }

    @Test
    void aGzipKernelIsLookedAtDecompressed() throws Exception {
        byte[] raw = arm64Image(100000, 0x2000000, 0);
        var bos = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        byte[] gz = bos.toByteArray();
        KernelImage img = KernelImage.of(gz);
        assertTrue(img.gzip());
        assertEquals(KernelImage.Kind.ARM64_IMAGE, img.kind());
        assertEquals(100000, img.length(), "Xen loads the decompressed length");
        assertEquals(gz.length, KernelImage.imageBuilderSize(gz), "ImageBuilder reads no header in a gzip file");
    }
}
