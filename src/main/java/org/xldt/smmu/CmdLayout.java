package org.xldt.smmu;

import java.util.List;

/**
 * Command queue entry (16 bytes, 2 little-endian words): field positions and the opcodes
 * (Arm SMMUv3 §4.1–4.7). Bits of an entry that are not a field of its opcode are RES0; this
 * model detects non-zero RES0 bits and raises CERROR_ILL (a choice §4.1.5 permits).
 */
public final class CmdLayout {
    private CmdLayout() {
    }

    public static final int BYTES = 16;

    private static BitField f(String name, int bit, int width) {
        return new BitField("CMD." + name, bit, width);
    }

    public static final BitField OPCODE = f("Opcode", 0, 8);
    public static final BitField GLOBAL = f("Global", 9, 1);
    public static final BitField SSEC = f("SSec", 10, 1);
    public static final BitField SSV = f("SSV", 11, 1);
    public static final BitField SSID = f("SubstreamID", 12, 20);
    public static final BitField SID = f("StreamID", 32, 32);
    public static final BitField NUM = f("NUM", 12, 5);
    public static final BitField SCALE = f("SCALE", 20, 5);
    public static final BitField VMID = f("VMID", 32, 16);
    public static final BitField ASID = f("ASID", 48, 16);
    public static final BitField LEAF = f("Leaf", 64, 1);
    public static final BitField RANGE = f("Range", 64, 5);
    public static final BitField TTL = f("TTL", 72, 2);
    public static final BitField TG = f("TG", 74, 2);
    /** VA[63:12] in place in word 1. */
    public static final BitField ADDR = f("Address", 76, 52);
    /** IPA[51:12] in place in word 1 (bits [55:52] are RES0 in SMMUv3.1–3.3). */
    public static final BitField IPA = f("IPA", 76, 40);
    public static final BitField PF_SIZE = f("Size", 64, 5);
    /** PREFETCH_ADDR Stride and NS: accepted and ignored (prefetch is a hint). */
    public static final BitField PF_STRIDE_NS = f("Stride/NS", 69, 7);
    public static final BitField ATC_SIZE = f("ATC.Size", 64, 6);
    public static final BitField PRI_GRPID = f("PRI.PRGIndex", 64, 9);
    public static final BitField PRI_RESPONSE = f("PRI.Resp", 76, 2);
    public static final BitField RESUME_RESP = f("RESUME.Resp", 12, 2);
    public static final BitField RESUME_STAG = f("RESUME.STAG", 64, 16);
    public static final BitField CS = f("CS", 12, 2);
    public static final BitField MSH = f("MSH", 22, 2);
    public static final BitField MSIATTR = f("MSIAttr", 24, 4);
    public static final BitField MSIDATA = f("MSIData", 32, 32);
    /** MSIAddr[51:2] in place in word 1. */
    public static final BitField MSIADDR = f("MSIAddr", 66, 50);

    /** CMD_SYNC completion signal values. */
    public static final int CS_NONE = 0b00;
    public static final int CS_IRQ = 0b01;
    public static final int CS_SEV = 0b10;

    /** CMDQ_CONS.ERR codes. */
    public static final int CERROR_NONE = 0;
    public static final int CERROR_ILL = 1;
    public static final int CERROR_ABT = 2;
    public static final int CERROR_ATC_INV_SYNC = 3;

    /** Every architected opcode, with the fields it defines. */
    public enum Opcode {
        PREFETCH_CONFIG(0x01, SSEC, SSV, SSID, SID),
        PREFETCH_ADDR(0x02, SSEC, SSV, SSID, SID, PF_SIZE, PF_STRIDE_NS, ADDR),
        CFGI_STE(0x03, SSEC, SID, LEAF),
        /** Also CMD_CFGI_ALL (Range = 31). */
        CFGI_STE_RANGE(0x04, SSEC, SID, RANGE),
        CFGI_CD(0x05, SSEC, SSID, SID, LEAF),
        CFGI_CD_ALL(0x06, SSEC, SID),
        CFGI_VMS_PIDM(0x07, SSEC, VMID),
        TLBI_NH_ALL(0x10, VMID),
        TLBI_NH_ASID(0x11, VMID, ASID),
        TLBI_NH_VA(0x12, NUM, SCALE, VMID, ASID, LEAF, TTL, TG, ADDR),
        TLBI_NH_VAA(0x13, NUM, SCALE, VMID, LEAF, TTL, TG, ADDR),
        TLBI_EL3_ALL(0x18),
        TLBI_EL3_VA(0x1A, NUM, SCALE, LEAF, TTL, TG, ADDR),
        TLBI_EL2_ALL(0x20),
        TLBI_EL2_ASID(0x21, ASID),
        TLBI_EL2_VA(0x22, NUM, SCALE, ASID, LEAF, TTL, TG, ADDR),
        TLBI_EL2_VAA(0x23, NUM, SCALE, LEAF, TTL, TG, ADDR),
        TLBI_S12_VMALL(0x28, VMID),
        TLBI_S2_IPA(0x2A, NUM, SCALE, VMID, LEAF, TTL, TG, IPA),
        TLBI_NSNH_ALL(0x30),
        ATC_INV(0x40, GLOBAL, SSV, SSID, SID, ATC_SIZE, ADDR),
        PRI_RESP(0x41, SSEC, SSV, SSID, SID, PRI_GRPID, PRI_RESPONSE),
        RESUME(0x44, SSEC, RESUME_RESP, SID, RESUME_STAG),
        STALL_TERM(0x45, SSEC, SID),
        SYNC(0x46, CS, MSH, MSIATTR, MSIDATA, MSIADDR),
        TLBI_S_EL2_ALL(0x50),
        TLBI_S_EL2_ASID(0x51, ASID),
        TLBI_S_EL2_VA(0x52, NUM, SCALE, ASID, LEAF, TTL, TG, ADDR),
        TLBI_S_EL2_VAA(0x53, NUM, SCALE, LEAF, TTL, TG, ADDR),
        TLBI_S_S12_VMALL(0x58, VMID),
        TLBI_S_S2_IPA(0x5A, NUM, SCALE, VMID, LEAF, TTL, TG, IPA),
        TLBI_SNH_ALL(0x60),
        DPTI_ALL(0x70),
        DPTI_PA(0x73);

        public final int code;
        public final List<BitField> fields;
        final long allowed0;
        final long allowed1;

        Opcode(int code, BitField... fields) {
            this.code = code;
            this.fields = List.of(fields);
            long a0 = OPCODE.mask();
            long a1 = 0;
            for (BitField bf : fields) {
                if (bf.word() == 0) {
                    a0 |= bf.mask();
                } else {
                    a1 |= bf.mask();
                }
            }
            allowed0 = a0;
            allowed1 = a1;
        }

        private static final Opcode[] BY_CODE = new Opcode[256];

        static {
            for (Opcode o : values()) {
                BY_CODE[o.code] = o;
            }
        }

        /** The opcode with this code, or null for a Reserved or IMPLEMENTATION DEFINED code. */
        public static Opcode of(int code) {
            return BY_CODE[code & 0xff];
        }

        /** True if the entry has a non-zero bit outside this opcode's fields. */
        public boolean hasReservedBits(long w0, long w1) {
            return (w0 & ~allowed0) != 0 || (w1 & ~allowed1) != 0;
        }
    }
}
