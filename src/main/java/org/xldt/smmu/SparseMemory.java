package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;

/**
 * Sparse physical memory: 4 KiB pages are created on the first write; reading RAM that was
 * never written returns zeros. Configurable regions abort (an external abort: the access
 * fails and transfers nothing). Addresses at or above 2^{@code addressBits} also abort.
 */
public final class SparseMemory implements Memory {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;

    private final LongMap<byte[]> pages = new LongMap<>(64);
    private final List<long[]> abortRegions = new ArrayList<>();
    private final int addressBits;
    private long reads;
    private long writes;

    /** Memory covering a 52-bit physical address space. */
    public SparseMemory() {
        this(52);
    }

    public SparseMemory(int addressBits) {
        if (addressBits < 12 || addressBits > 64) {
            throw new IllegalArgumentException("addressBits " + addressBits);
        }
        this.addressBits = addressBits;
    }

    /** Makes [base, base+size) abort on any access. */
    public void addAbortRegion(long base, long size) {
        abortRegions.add(new long[] {base, base + size});
    }

    public void clearAbortRegions() {
        abortRegions.clear();
    }

    /** True if any byte of [addr, addr+len) aborts. */
    public boolean aborts(long addr, long len) {
        if (len <= 0) {
            return false;
        }
        long last = addr + len - 1;
        if (Long.compareUnsigned(last, addr) < 0) {
            return true; // wraps around 2^64
        }
        if (addressBits < 64 && (last >>> addressBits) != 0) {
            return true;
        }
        for (int i = 0; i < abortRegions.size(); i++) {
            long[] r = abortRegions.get(i);
            if (Long.compareUnsigned(addr, r[1]) < 0 && Long.compareUnsigned(last, r[0]) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean read(long addr, byte[] dst, int off, int len) {
        if (aborts(addr, len)) {
            return false;
        }
        reads++;
        int done = 0;
        while (done < len) {
            long a = addr + done;
            int po = (int) (a & (PAGE - 1));
            int n = Math.min(len - done, PAGE - po);
            byte[] p = pages.get(a >>> PAGE_SHIFT);
            if (p == null) {
                java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
            } else {
                System.arraycopy(p, po, dst, off + done, n);
            }
            done += n;
        }
        return true;
    }

    @Override
    public boolean write(long addr, byte[] src, int off, int len) {
        if (aborts(addr, len)) {
            return false;
        }
        writes++;
        int done = 0;
        while (done < len) {
            long a = addr + done;
            int po = (int) (a & (PAGE - 1));
            int n = Math.min(len - done, PAGE - po);
            System.arraycopy(src, off + done, page(a), po, n);
            done += n;
        }
        return true;
    }

    private byte[] page(long addr) {
        long pn = addr >>> PAGE_SHIFT;
        byte[] p = pages.get(pn);
        if (p == null) {
            p = new byte[PAGE];
            pages.put(pn, p);
        }
        return p;
    }

    @Override
    public boolean readLongs(long addr, long[] dst, int off, int n) {
        if (aborts(addr, 8L * n)) {
            return false;
        }
        reads++;
        for (int i = 0; i < n; i++) {
            long a = addr + 8L * i;
            int po = (int) (a & (PAGE - 1));
            if (po <= PAGE - 8) {
                byte[] p = pages.get(a >>> PAGE_SHIFT);
                dst[off + i] = p == null ? 0 : Le.getLong(p, po);
            } else {
                long v = 0;
                for (int b = 7; b >= 0; b--) {
                    byte[] p = pages.get((a + b) >>> PAGE_SHIFT);
                    v = (v << 8) | (p == null ? 0 : p[(int) ((a + b) & (PAGE - 1))] & 0xffL);
                }
                dst[off + i] = v;
            }
        }
        return true;
    }

    @Override
    public boolean writeLongs(long addr, long[] src, int off, int n) {
        if (aborts(addr, 8L * n)) {
            return false;
        }
        writes++;
        for (int i = 0; i < n; i++) {
            long a = addr + 8L * i;
            int po = (int) (a & (PAGE - 1));
            if (po <= PAGE - 8) {
                Le.putLong(page(a), po, src[off + i]);
            } else {
                for (int b = 0; b < 8; b++) {
                    page(a + b)[(int) ((a + b) & (PAGE - 1))] = (byte) (src[off + i] >>> (8 * b));
                }
            }
        }
        return true;
    }

    // ---- sized accessors (8/16/32/64-bit little-endian); these throw on abort -----------

    /** Loads a 1, 2, 4 or 8-byte little-endian value; throws {@link AbortException} on abort. */
    public long load(long addr, int size) {
        checkSize(size);
        byte[] b = new byte[8];
        if (!read(addr, b, 0, size)) {
            throw new AbortException(addr);
        }
        return Le.get(b, 0, size);
    }

    /** Stores a 1, 2, 4 or 8-byte little-endian value; throws {@link AbortException} on abort. */
    public void store(long addr, int size, long value) {
        checkSize(size);
        byte[] b = new byte[8];
        Le.put(b, 0, size, value);
        if (!write(addr, b, 0, size)) {
            throw new AbortException(addr);
        }
    }

    public int read8(long addr) {
        return (int) load(addr, 1);
    }

    public int read16(long addr) {
        return (int) load(addr, 2);
    }

    public int read32(long addr) {
        return (int) load(addr, 4);
    }

    public long read64(long addr) {
        return load(addr, 8);
    }

    public void write8(long addr, int v) {
        store(addr, 1, v);
    }

    public void write16(long addr, int v) {
        store(addr, 2, v);
    }

    public void write32(long addr, int v) {
        store(addr, 4, v);
    }

    public void write64(long addr, long v) {
        store(addr, 8, v);
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size " + size);
        }
    }

    /** Number of pages materialised by writes. */
    public int pageCount() {
        return pages.size();
    }

    /** Successful read operations so far (each readLongs/read call counts once). */
    public long readCount() {
        return reads;
    }

    public long writeCount() {
        return writes;
    }

    /** Thrown by the sized accessors when the access aborts. */
    public static final class AbortException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final long addr;

        public AbortException(long addr) {
            super(String.format("external abort at 0x%x", addr));
            this.addr = addr;
        }
    }
}
