package org.xldt.smmu;

/**
 * The SMMUv3 programming interface registers this model implements, with their offset from
 * the SMMU base and their size in bytes. Page 0 is [0, 0x10000), page 1 is [0x10000, 0x20000).
 *
 * <p>Architectural choice: page 1 is NOT aliased onto page 0. EVENTQ_PROD/CONS and
 * PRIQ_PROD/CONS exist only at 0x100A8/0x100AC and 0x100C8/0x100CC; the page-0 offsets
 * 0xA8/0xAC/0xC8/0xCC are reserved and read as zero, writes ignored (QEMU and Xen alias).
 */
public enum Reg {
    IDR0(0x0000, 4),
    IDR1(0x0004, 4),
    IDR2(0x0008, 4),
    IDR3(0x000C, 4),
    IDR4(0x0010, 4),
    IDR5(0x0014, 4),
    IIDR(0x0018, 4),
    AIDR(0x001C, 4),
    CR0(0x0020, 4),
    CR0ACK(0x0024, 4),
    CR1(0x0028, 4),
    CR2(0x002C, 4),
    STATUSR(0x0040, 4),
    GBPA(0x0044, 4),
    AGBPA(0x0048, 4),
    IRQ_CTRL(0x0050, 4),
    IRQ_CTRLACK(0x0054, 4),
    GERROR(0x0060, 4),
    GERRORN(0x0064, 4),
    GERROR_IRQ_CFG0(0x0068, 8),
    GERROR_IRQ_CFG1(0x0070, 4),
    GERROR_IRQ_CFG2(0x0074, 4),
    STRTAB_BASE(0x0080, 8),
    STRTAB_BASE_CFG(0x0088, 4),
    CMDQ_BASE(0x0090, 8),
    CMDQ_PROD(0x0098, 4),
    CMDQ_CONS(0x009C, 4),
    EVENTQ_BASE(0x00A0, 8),
    EVENTQ_IRQ_CFG0(0x00B0, 8),
    EVENTQ_IRQ_CFG1(0x00B8, 4),
    EVENTQ_IRQ_CFG2(0x00BC, 4),
    PRIQ_BASE(0x00C0, 8),
    PRIQ_IRQ_CFG0(0x00D0, 8),
    PRIQ_IRQ_CFG1(0x00D8, 4),
    PRIQ_IRQ_CFG2(0x00DC, 4),
    EVENTQ_PROD(0x100A8, 4),
    EVENTQ_CONS(0x100AC, 4),
    PRIQ_PROD(0x100C8, 4),
    PRIQ_CONS(0x100CC, 4);

    /** Size of the MMIO window: two 64 KiB pages. */
    public static final int WINDOW = 0x20000;

    public final int offset;
    public final int size;

    Reg(int offset, int size) {
        this.offset = offset;
        this.size = size;
    }

    private static final Reg[] BY_WORD = new Reg[WINDOW / 4];

    static {
        for (Reg r : values()) {
            BY_WORD[r.offset >>> 2] = r;
        }
    }

    /**
     * The register whose first byte is at {@code offset}, or whose upper 32-bit half starts
     * there (a 64-bit register's +4), else null.
     */
    public static Reg at(long offset) {
        if (offset < 0 || offset >= WINDOW || (offset & 3) != 0) {
            return null;
        }
        Reg r = BY_WORD[(int) (offset >>> 2)];
        if (r != null) {
            return r;
        }
        Reg lo = offset >= 4 ? BY_WORD[(int) (offset >>> 2) - 1] : null;
        return lo != null && lo.size == 8 ? lo : null;
    }
}
