package org.xldt.smmu;

/**
 * Stream Table Entry (64 bytes, 8 little-endian words) and level-1 stream table descriptor
 * fields. Bit numbers count across the whole structure (Arm SMMUv3 §5.2, §5.1).
 */
public final class SteLayout {
    private SteLayout() {
    }

    public static final int BYTES = 64;
    public static final int WORDS = 8;

    private static BitField f(String name, int bit, int width) {
        return new BitField("STE." + name, bit, width);
    }

    public static final BitField V = f("V", 0, 1);
    public static final BitField CONFIG = f("Config", 1, 3);
    public static final BitField S1FMT = f("S1Fmt", 4, 2);
    /** S1ContextPtr, address bits [51:6] in place. */
    public static final BitField S1_CONTEXT_PTR = f("S1ContextPtr", 6, 46);
    /** Bits [55:52] of S1ContextPtr (above a 52-bit PA); must be zero for a 48-bit OAS. */
    public static final BitField S1_CONTEXT_PTR_HI = f("S1ContextPtr[55:52]", 52, 4);
    public static final BitField S1CDMAX = f("S1CDMax", 59, 5);
    public static final BitField S1DSS = f("S1DSS", 64, 2);
    public static final BitField S1CIR = f("S1CIR", 66, 2);
    public static final BitField S1COR = f("S1COR", 68, 2);
    public static final BitField S1CSH = f("S1CSH", 70, 2);
    public static final BitField MEV = f("MEV", 83, 1);
    public static final BitField S1STALLD = f("S1STALLD", 91, 1);
    public static final BitField EATS = f("EATS", 92, 2);
    public static final BitField STRW = f("STRW", 94, 2);
    public static final BitField MEMATTR = f("MemAttr", 96, 4);
    public static final BitField MTCFG = f("MTCFG", 100, 1);
    public static final BitField ALLOCCFG = f("ALLOCCFG", 101, 4);
    public static final BitField SHCFG = f("SHCFG", 108, 2);
    public static final BitField NSCFG = f("NSCFG", 110, 2);
    public static final BitField PRIVCFG = f("PRIVCFG", 112, 2);
    public static final BitField INSTCFG = f("INSTCFG", 114, 2);
    public static final BitField S2VMID = f("S2VMID", 128, 16);
    public static final BitField S2T0SZ = f("S2T0SZ", 160, 6);
    public static final BitField S2SL0 = f("S2SL0", 166, 2);
    public static final BitField S2IR0 = f("S2IR0", 168, 2);
    public static final BitField S2OR0 = f("S2OR0", 170, 2);
    public static final BitField S2SH0 = f("S2SH0", 172, 2);
    public static final BitField S2TG = f("S2TG", 174, 2);
    public static final BitField S2PS = f("S2PS", 176, 3);
    public static final BitField S2AA64 = f("S2AA64", 179, 1);
    public static final BitField S2ENDI = f("S2ENDI", 180, 1);
    public static final BitField S2AFFD = f("S2AFFD", 181, 1);
    public static final BitField S2PTW = f("S2PTW", 182, 1);
    public static final BitField S2HD = f("S2HD", 183, 1);
    public static final BitField S2HA = f("S2HA", 184, 1);
    public static final BitField S2S = f("S2S", 185, 1);
    public static final BitField S2R = f("S2R", 186, 1);
    /** S2TTB, address bits [51:4] in place in word 3. */
    public static final BitField S2TTB = f("S2TTB", 196, 48);
    /** S2TTB bits [55:52] (RES0 in SMMUv3.1–3.3). */
    public static final BitField S2TTB_HI = f("S2TTB[55:52]", 244, 4);

    /** Config values. */
    public static final int CONFIG_ABORT = 0b000;
    public static final int CONFIG_BYPASS = 0b100;
    public static final int CONFIG_S1 = 0b101;
    public static final int CONFIG_S2 = 0b110;
    public static final int CONFIG_NESTED = 0b111;

    /** S1DSS values. */
    public static final int S1DSS_TERMINATE = 0b00;
    public static final int S1DSS_BYPASS = 0b01;
    public static final int S1DSS_SSID0 = 0b10;

    /** STRW values. */
    public static final int STRW_NSEL1 = 0b00;
    public static final int STRW_EL2 = 0b10;

    /** Level-1 stream table descriptor (8 bytes). */
    public static final BitField L1STD_SPAN = new BitField("L1STD.Span", 0, 5);
    public static final BitField L1STD_L2PTR = new BitField("L1STD.L2Ptr", 6, 46);
}
