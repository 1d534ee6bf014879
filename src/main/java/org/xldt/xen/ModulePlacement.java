package org.xldt.xen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xldt.BadInputException;

/**
 * Where U-Boot loads each boot binary: ImageBuilder's rule ({@code uboot-script-gen}), plus
 * keeping every binary clear of reserved memory.
 *
 * <pre>
 *   a = MEMORY_START + 2 MiB;  if a &lt; 0xC00000 then a = 0xC00000
 *   script at a (a 2 MiB slot);  a = a + 2 MiB
 *   for each binary, in order:
 *       size = max(file size, size declared by its arm64/arm32 kernel header)
 *       [xldt] while [a, a + max(size, 1)) overlaps a reserved range: a = ALIGN_UP(range end, 2 MiB)
 *       binary at a;  a = ALIGN_UP(a + size, 2 MiB)
 *   error unless a + 2 MiB &lt;= MEMORY_END
 * </pre>
 *
 * The order is ImageBuilder's: dom0 kernel, dom0 ramdisk, then per domU its kernel, ramdisk and
 * passthrough DTB, then Xen, then the host DTB. The reserved ranges (the xldt addition) are the
 * host's {@code /reserved-memory} regions and {@code /memreserve/} entries and the domUs' static
 * memory; the script slot is moved the same way.
 */
public final class ModulePlacement {
    /** ImageBuilder's step and alignment. */
    public static final long ALIGN = 2L << 20;
    /** ImageBuilder's lowest script address (12 MiB). */
    public static final long MIN_SCRIPT_ADDRESS = 0xC00000L;

    private ModulePlacement() {
    }

    /**
     * A range of memory binaries must not use.
     *
     * @param start first byte
     * @param size  bytes
     * @param what  where it comes from, for messages
     */
    public record Reserved(long start, long size, String what) {
        public long end() {
            return start + size;
        }
    }

    /**
     * A binary to place.
     *
     * @param name what it is (for messages and the script)
     * @param size its size as ImageBuilder computes it
     */
    public record Request(String name, long size) {
    }

    /**
     * A placed binary.
     *
     * @param name    the request's name
     * @param address load address
     * @param size    the request's size (the module's {@code reg} size)
     */
    public record Placed(String name, long address, long size) {
        public long end() {
            return address + size;
        }
    }

    /**
     * The layout.
     *
     * @param scriptAddress where the U-Boot script goes
     * @param modules       the binaries, in request order
     * @param end           the first free address after the last binary
     */
    public record Layout(long scriptAddress, List<Placed> modules, long end) {
        public Layout {
            modules = List.copyOf(modules);
        }

        public Placed get(String name) {
            for (Placed p : modules) if (p.name().equals(name)) return p;
            throw new IllegalArgumentException("no module " + name);
        }
    }

    /** Places {@code requests} in order (see {@link #checkFits} for ImageBuilder's final check). */
    public static Layout place(long memoryStart, List<Reserved> reserved, List<Request> requests) {
        List<Reserved> sorted = new ArrayList<>(reserved);
        sorted.sort(Comparator.comparingLong(Reserved::start));
        long a = memoryStart + ALIGN;
        if (a < MIN_SCRIPT_ADDRESS) a = MIN_SCRIPT_ADDRESS;
        long script = clear(a, ALIGN, sorted);
        a = script + ALIGN;
        List<Placed> out = new ArrayList<>();
        for (Request r : requests) {
            long at = clear(a, Math.max(r.size(), 1), sorted);
            out.add(new Placed(r.name(), at, r.size()));
            a = alignUp(at + r.size());
        }
        return new Layout(script, out, a);
    }

    /**
     * ImageBuilder's last check: 2 MiB must remain between the end of the binaries and
     * {@code memoryEnd}.
     *
     * @param where error location (the system file's memory_end, or its host_dtb)
     * @throws BadInputException when the binaries do not fit
     */
    public static void checkFits(Layout layout, long memoryEnd, String where) {
        long a = layout.end();
        if (a + ALIGN > memoryEnd) {
            throw new BadInputException(where, "the binaries do not fit: they need memory up to 0x" + Long.toHexString(a + ALIGN)
                    + " but memory_end is 0x" + Long.toHexString(memoryEnd)
                    + " (ImageBuilder: \"not enough memory to load all binaries\")");
        }
    }

    /** The first address at or after {@code a} (moved in 2 MiB steps past reserved ranges) clear of them. */
    private static long clear(long a, long size, List<Reserved> sorted) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Reserved r : sorted) {
                if (a < r.end() && r.start() < a + size) {
                    a = alignUp(r.end());
                    moved = true;
                }
            }
        }
        return a;
    }

    static long alignUp(long v) {
        return (v + ALIGN - 1) & -ALIGN;
    }
}
