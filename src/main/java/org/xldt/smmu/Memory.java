package org.xldt.smmu;

/**
 * The memory an SMMU reads its tables and queues from and writes events to. All multi-byte
 * accesses are little-endian. An access that touches an aborting location returns false (an
 * external abort) and transfers nothing; it never throws for a bad address.
 *
 * <p>The physical model uses {@link SparseMemory}; the vSMMU implements this interface with a
 * p2m-translated view of guest memory.
 */
public interface Memory {

    /** Reads {@code len} bytes at {@code addr} into {@code dst[off..]}; false on abort. */
    boolean read(long addr, byte[] dst, int off, int len);

    /** Writes {@code len} bytes from {@code src[off..]} at {@code addr}; false on abort. */
    boolean write(long addr, byte[] src, int off, int len);

    /** Reads {@code n} little-endian 64-bit words at {@code addr} into {@code dst[off..]}. */
    default boolean readLongs(long addr, long[] dst, int off, int n) {
        byte[] b = new byte[n * 8];
        if (!read(addr, b, 0, b.length)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            dst[off + i] = Le.getLong(b, i * 8);
        }
        return true;
    }

    /** Writes {@code n} little-endian 64-bit words from {@code src[off..]} at {@code addr}. */
    default boolean writeLongs(long addr, long[] src, int off, int n) {
        byte[] b = new byte[n * 8];
        for (int i = 0; i < n; i++) {
            Le.putLong(b, i * 8, src[off + i]);
        }
        return write(addr, b, 0, b.length);
    }

    /** Little-endian helpers. */
    final class Le {
        private Le() {
        }

        public static long get(byte[] b, int off, int size) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = (v << 8) | (b[off + i] & 0xffL);
            }
            return v;
        }

        public static void put(byte[] b, int off, int size, long v) {
            for (int i = 0; i < size; i++) {
                b[off + i] = (byte) (v >>> (8 * i));
            }
        }

        public static long getLong(byte[] b, int off) {
            return get(b, off, 8);
        }

        public static void putLong(byte[] b, int off, long v) {
            put(b, off, 8, v);
        }
    }
}
