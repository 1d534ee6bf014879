package org.xldt.smmu;

/** Context Descriptor (64 bytes) and level-1 CD descriptor fields (Arm SMMUv3 §5.4, §5.3). */
public final class CdLayout {
    private CdLayout() {
    }

    public static final int BYTES = 64;
    public static final int WORDS = 8;

    private static BitField f(String name, int bit, int width) {
        return new BitField("CD." + name, bit, width);
    }

    public static final BitField T0SZ = f("T0SZ", 0, 6);
    public static final BitField TG0 = f("TG0", 6, 2);
    public static final BitField IR0 = f("IR0", 8, 2);
    public static final BitField OR0 = f("OR0", 10, 2);
    public static final BitField SH0 = f("SH0", 12, 2);
    public static final BitField EPD0 = f("EPD0", 14, 1);
    public static final BitField ENDI = f("ENDI", 15, 1);
    public static final BitField T1SZ = f("T1SZ", 16, 6);
    public static final BitField TG1 = f("TG1", 22, 2);
    public static final BitField IR1 = f("IR1", 24, 2);
    public static final BitField OR1 = f("OR1", 26, 2);
    public static final BitField SH1 = f("SH1", 28, 2);
    public static final BitField EPD1 = f("EPD1", 30, 1);
    public static final BitField V = f("V", 31, 1);
    public static final BitField IPS = f("IPS", 32, 3);
    public static final BitField AFFD = f("AFFD", 35, 1);
    public static final BitField WXN = f("WXN", 36, 1);
    public static final BitField UWXN = f("UWXN", 37, 1);
    public static final BitField TBI0 = f("TBI0", 38, 1);
    public static final BitField TBI1 = f("TBI1", 39, 1);
    public static final BitField PAN = f("PAN", 40, 1);
    public static final BitField AA64 = f("AA64", 41, 1);
    public static final BitField HD = f("HD", 42, 1);
    public static final BitField HA = f("HA", 43, 1);
    public static final BitField S = f("S", 44, 1);
    public static final BitField R = f("R", 45, 1);
    public static final BitField A = f("A", 46, 1);
    public static final BitField ASET = f("ASET", 47, 1);
    public static final BitField ASID = f("ASID", 48, 16);
    public static final BitField NSCFG0 = f("NSCFG0", 64, 1);
    public static final BitField HAD0 = f("HAD0", 65, 1);
    /** TTB0, address bits [51:4] in place in word 1. */
    public static final BitField TTB0 = f("TTB0", 68, 48);
    public static final BitField TTB0_HI = f("TTB0[55:52]", 116, 4);
    public static final BitField NSCFG1 = f("NSCFG1", 128, 1);
    public static final BitField HAD1 = f("HAD1", 129, 1);
    public static final BitField TTB1 = f("TTB1", 132, 48);
    public static final BitField TTB1_HI = f("TTB1[55:52]", 180, 4);
    public static final BitField MAIR0 = f("MAIR0", 192, 32);
    public static final BitField MAIR1 = f("MAIR1", 224, 32);

    /** Level-1 CD table descriptor (8 bytes). */
    public static final BitField L1CD_V = new BitField("L1CD.V", 0, 1);
    public static final BitField L1CD_L2PTR = new BitField("L1CD.L2Ptr", 12, 40);
}
