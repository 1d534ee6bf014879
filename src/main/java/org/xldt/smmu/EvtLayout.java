package org.xldt.smmu;

/**
 * Event record (32 bytes, 4 little-endian words) fields and event numbers (Arm SMMUv3 §7.3;
 * the same positions as Linux's EVTQ_* and QEMU's EVT_* macros).
 */
public final class EvtLayout {
    private EvtLayout() {
    }

    public static final int BYTES = 32;
    public static final int WORDS = 4;

    private static BitField f(String name, int bit, int width) {
        return new BitField("EVT." + name, bit, width);
    }

    public static final BitField EVENT_ID = f("EventID", 0, 8);
    public static final BitField SSV = f("SSV", 11, 1);
    public static final BitField SSID = f("SubstreamID", 12, 20);
    public static final BitField SID = f("StreamID", 32, 32);
    public static final BitField STAG = f("STAG", 64, 16);
    public static final BitField REASON = f("Reason", 80, 16);
    public static final BitField STALL = f("Stall", 95, 1);
    public static final BitField PNU = f("PnU", 97, 1);
    public static final BitField IND = f("InD", 98, 1);
    public static final BitField RNW = f("RnW", 99, 1);
    public static final BitField S2 = f("S2", 103, 1);
    public static final BitField CLASS = f("CLASS", 104, 2);
    public static final BitField TTRNW = f("TTRnW", 108, 1);
    public static final BitField INPUT_ADDR = f("InputAddr", 128, 64);
    /** FetchAddr[51:3] in place in word 3 (F_STE_FETCH, F_CD_FETCH, F_WALK_EABT). */
    public static final BitField FETCH_ADDR = f("FetchAddr", 195, 49);
    /** IPA[51:12] in place in word 3 (stage 2 translation-related faults). */
    public static final BitField IPA = f("IPA", 204, 40);

    /** CLASS values. */
    public static final int CLASS_CD = 0b00;
    public static final int CLASS_TT = 0b01;
    public static final int CLASS_IN = 0b10;
}
