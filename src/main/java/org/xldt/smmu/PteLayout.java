package org.xldt.smmu;

/**
 * VMSAv8-64 translation table descriptor fields (Armv8-A, stage 1 and stage 2), as used by
 * the SMMU for CD.AA64 = 1 / STE.S2AA64 = 1 tables.
 */
public final class PteLayout {
    private PteLayout() {
    }

    private static BitField f(String name, int bit, int width) {
        return new BitField("TTD." + name, bit, width);
    }

    public static final BitField VALID = f("Valid", 0, 1);
    /** 1 = table (levels 0–2) or page (level 3); 0 = block (levels 1–2) or reserved (level 3). */
    public static final BitField TYPE = f("Type", 1, 1);
    public static final BitField ATTR_INDX = f("AttrIndx", 2, 3);
    /** Stage 2 MemAttr[3:0]. */
    public static final BitField S2_MEMATTR = f("MemAttr", 2, 4);
    /** Stage 1 AP[1]: unprivileged (EL0) access permitted. */
    public static final BitField AP1 = f("AP[1]", 6, 1);
    /** Stage 1 AP[2]: read-only. */
    public static final BitField AP2 = f("AP[2]", 7, 1);
    /** Stage 2 S2AP[0]: read permitted. */
    public static final BitField S2AP_R = f("S2AP[0]", 6, 1);
    /** Stage 2 S2AP[1]: write permitted. */
    public static final BitField S2AP_W = f("S2AP[1]", 7, 1);
    public static final BitField SH = f("SH", 8, 2);
    public static final BitField AF = f("AF", 10, 1);
    public static final BitField NG = f("nG", 11, 1);
    /** Output / next-level table address bits [47:12] in place (the granule masks the low bits). */
    public static final BitField OA = f("OA", 12, 36);
    /** Bits [51:48]: OA[51:48] only with 52-bit addressing (not implemented), else RES0. */
    public static final BitField OA_HI = f("OA[51:48]", 48, 4);
    public static final BitField CONTIG = f("Contiguous", 52, 1);
    /** Stage 1 PXN; stage 2 XN[0] (with IDR3.XNX). */
    public static final BitField PXN = f("PXN", 53, 1);
    /** Stage 1 UXN/XN; stage 2 XN[1]. */
    public static final BitField UXN = f("UXN", 54, 1);
    public static final BitField PXN_TABLE = f("PXNTable", 59, 1);
    public static final BitField UXN_TABLE = f("UXNTable", 60, 1);
    /** APTable[0]: no unprivileged access at later levels. */
    public static final BitField AP_TABLE0 = f("APTable[0]", 61, 1);
    /** APTable[1]: no write access at later levels. */
    public static final BitField AP_TABLE1 = f("APTable[1]", 62, 1);
    public static final BitField NS_TABLE = f("NSTable", 63, 1);
}
