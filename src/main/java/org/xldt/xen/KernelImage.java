package org.xldt.xen;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What the boot headers of a kernel file say, as ImageBuilder and Xen read them.
 *
 * <ul>
 * <li>ImageBuilder ({@code get_image_size}) sizes a binary as the larger of its file size and the
 * size its header declares: an arm64 Image ({@code "ARM\x64"} at offset 56) declares
 * {@code image_size} (u64 little-endian at offset 16, which includes {@code .bss}); an arm32
 * zImage (0x016f2818 at offset 36) declares {@code end - start} (u32 at 44 and 40).</li>
 * <li>Xen ({@code kernel_zimage64_probe}, {@code kernel_zimage32_probe}) takes an arm64 Image
 * (magic 0x14000008 at 0 or {@code "ARM\x64"} at 56) as a 64-bit domain loaded at RAM bank 0 +
 * {@code text_offset} (u64 at 8), its length the module's size; a zImage as a 32-bit domain. A
 * gzip-compressed kernel is decompressed first.</li>
 * </ul>
 *
 * @param kind       what the header says
 * @param textOffset arm64: {@code text_offset}
 * @param start      arm32 zImage: its load address ({@code start}; 0 = position independent)
 * @param headerSize the size the header declares (0 when none): ImageBuilder's effective size
 * @param length     the kernel's length once decompressed (the file length if not compressed)
 * @param gzip       whether the file is gzip-compressed
 */
public record KernelImage(Kind kind, long textOffset, long start, long headerSize, long length, boolean gzip) {
    public enum Kind {
        ARM64_IMAGE, ARM32_ZIMAGE, UNKNOWN
    }

    static final int ARM64_MAGIC_OFFSET = 56;
    static final int ARM64_MAGIC = 0x644d5241; // "ARM\x64" read as little-endian u32
    static final int ARM64_MAGIC_V0 = 0x14000008;
    static final int ZIMAGE32_MAGIC_OFFSET = 0x24;
    static final int ZIMAGE32_START_OFFSET = 0x28;
    static final int ZIMAGE32_END_OFFSET = 0x2c;
    static final int ZIMAGE32_MAGIC = 0x016f2818;

    /** Reads the headers of a kernel file's contents (decompressing gzip up to 1 GiB). */
    public static KernelImage of(byte[] file) {
        if (file.length >= 2 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b) {
            Optional<byte[]> raw = gunzip(file);
            if (raw.isPresent()) {
                KernelImage k = ofRaw(raw.get());
                return new KernelImage(k.kind, k.textOffset, k.start, k.headerSize, k.length, true);
            }
        }
        return ofRaw(file);
    }

    /** The headers of an uncompressed kernel, from its first bytes (64 suffice) and its file size. */
    public static KernelImage ofHeader(byte[] head, long fileSize) {
        KernelImage k = ofRaw(head);
        return new KernelImage(k.kind, k.textOffset, k.start, k.headerSize, fileSize, false);
    }

    private static KernelImage ofRaw(byte[] b) {
        if (b.length >= 64 && (le32(b, 0) == ARM64_MAGIC_V0 || le32(b, ARM64_MAGIC_OFFSET) == ARM64_MAGIC)) {
            long declared = le32(b, ARM64_MAGIC_OFFSET) == ARM64_MAGIC ? le64(b, 16) : 0;
            return new KernelImage(Kind.ARM64_IMAGE, le64(b, 8), 0, declared, b.length, false);
        }
        if (b.length >= 0x30 && le32(b, ZIMAGE32_MAGIC_OFFSET) == ZIMAGE32_MAGIC) {
            long start = le32(b, ZIMAGE32_START_OFFSET) & 0xffffffffL;
            long end = le32(b, ZIMAGE32_END_OFFSET) & 0xffffffffL;
            return new KernelImage(Kind.ARM32_ZIMAGE, 0, start, Math.max(0, end - start), b.length, false);
        }
        return new KernelImage(Kind.UNKNOWN, 0, 0, 0, b.length, false);
    }

    /**
     * ImageBuilder's size of a binary of {@code fileSize} bytes with these headers: the larger of
     * the file size and the declared size (of the file as stored: a gzip file has no header).
     */
    public long imageBuilderSize(long fileSize) {
        return gzip ? fileSize : Math.max(fileSize, headerSize);
    }

    /** The size ImageBuilder gives any binary (kernel, ramdisk, DTB): see {@link #imageBuilderSize}. */
    public static long imageBuilderSize(byte[] file) {
        KernelImage k = file.length >= 2 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b ? new KernelImage(Kind.UNKNOWN, 0, 0, 0, file.length, true) : ofRaw(file);
        return k.imageBuilderSize(file.length);
    }

    public boolean is64Bit() {
        return kind == Kind.ARM64_IMAGE;
    }

    private static Optional<byte[]> gunzip(byte[] file) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            byte[] out = in.readNBytes(1 << 30);
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static long le64(byte[] b, int off) {
        return (le32(b, off) & 0xffffffffL) | ((long) le32(b, off + 4) << 32);
    }
}
