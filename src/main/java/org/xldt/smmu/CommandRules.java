package org.xldt.smmu;

import org.xldt.smmu.CmdLayout.Opcode;

/**
 * Which commands an SMMU programming interface accepts (Arm SMMUv3 §4.1–4.7): the rules that
 * turn a command into CERROR_ILL, shared by the physical {@link Smmu} and the guest-facing
 * {@link VSmmu} (each with its own {@link SmmuConfig}). A command is ILLEGAL when its opcode is
 * reserved, a RES0 bit is set, SSec = 1 on this Non-secure queue, it needs a feature the
 * configuration does not implement, CMD_SYNC has CS = 0b11, or its range fields (TG, TTL, NUM,
 * SCALE) form a reserved combination.
 */
public final class CommandRules {
    private CommandRules() {
    }

    /** The command's opcode if {@code cfg} accepts it, else null (CERROR_ILL). */
    public static Opcode legal(long w0, long w1, SmmuConfig cfg) {
        Opcode op = Opcode.of((int) CmdLayout.OPCODE.get(w0));
        if (op == null || op.hasReservedBits(w0, w1)) {
            return null;
        }
        if (op.fields.contains(CmdLayout.SSEC) && CmdLayout.SSEC.isSet(w0)) {
            return null;
        }
        boolean ok = switch (op) {
            case PREFETCH_CONFIG, PREFETCH_ADDR, CFGI_STE, CFGI_STE_RANGE, TLBI_NSNH_ALL -> true;
            case CFGI_CD, CFGI_CD_ALL, TLBI_NH_ALL, TLBI_NH_ASID -> cfg.s1p();
            case TLBI_NH_VA, TLBI_NH_VAA -> cfg.s1p() && rangeLegal(w0, w1, cfg);
            case TLBI_EL2_ALL, TLBI_EL2_ASID -> cfg.hyp();
            case TLBI_EL2_VA, TLBI_EL2_VAA -> cfg.hyp() && rangeLegal(w0, w1, cfg);
            case TLBI_S12_VMALL -> cfg.s2p();
            case TLBI_S2_IPA -> cfg.s2p() && rangeLegal(w0, w1, cfg);
            case SYNC -> CmdLayout.CS.get(w0) != 0b11; // CS = 0b11 is reserved
            // Secure-only, EL3, MPAM, ATS, PRI, stall and DPT commands: not implemented here
            default -> false;
        };
        return ok ? op : null;
    }

    /**
     * Range fields of an address-based TLBI (§4.4.1.1): all RES0 without IDR3.RIL; NUM, SCALE
     * and TTL RES0 when TG = 0; TG != 0 with NUM = SCALE = TTL = 0 is reserved (16K TTL = 1 is
     * treated as 0 first).
     */
    static boolean rangeLegal(long w0, long w1, SmmuConfig cfg) {
        int num = (int) CmdLayout.NUM.get(w0);
        int scale = (int) CmdLayout.SCALE.get(w0);
        int tg = (int) CmdLayout.TG.get(w1);
        int ttl = effectiveTtl(w1);
        if (!cfg.ril()) {
            return (num | scale | tg | (int) CmdLayout.TTL.get(w1)) == 0;
        }
        if (tg == 0) {
            return (num | scale | ttl) == 0;
        }
        return (num | scale | ttl) != 0;
    }

    /** TTL with the 16K TTL = 1 encoding (reserved without DS) treated as 0 (§4.4.1.1). */
    static int effectiveTtl(long w1) {
        int ttl = (int) CmdLayout.TTL.get(w1);
        Granule g = Granule.ofCmdTg((int) CmdLayout.TG.get(w1));
        return g == Granule.G16K && ttl == 1 ? 0 : ttl;
    }
}
