package org.xldt.smmu;

import static org.xldt.smmu.SteLayout.*;

/**
 * Checks and decodes an STE with V = 1 (Arm SMMUv3 §5.2). Each ILLEGAL condition is one named
 * check; an ILLEGAL STE gives C_BAD_STE, never an exception.
 */
public final class SteDecoder {
    private SteDecoder() {
    }

    /**
     * Decodes {@code w} (8 words). {@code e2h} is SMMU_CR2.E2H. The caller has checked V.
     */
    public static Checked<Ste> decode(long[] w, SmmuConfig c, boolean e2h) {
        int config = CONFIG.getInt(w);
        // Architecture: Config 0b0xx are reserved and behave as 0b000 (abort, no event).
        if ((config & 0b100) == 0) {
            return Checked.ok(new Ste(CONFIG_ABORT, StreamWorld.NS_EL1, -1, 0, 0, 0, 0, 0, 0,
                    null));
        }
        boolean s1 = (config & 1) != 0;
        boolean s2 = (config & 2) != 0;
        if (s1 && !c.s1p()) {
            return Checked.bad("Config enables stage 1 but IDR0.S1P = 0");
        }
        if (s2 && !c.s2p()) {
            return Checked.bad("Config enables stage 2 but IDR0.S2P = 0");
        }
        StreamWorld world = StreamWorld.NS_EL1;
        long ctx = 0;
        int fmt = 0;
        int cdMax = 0;
        int dss = 0;
        if (s1) {
            // STALL_MODEL = 0b01: S1STALLD = 1 is ILLEGAL when stage 1 is enabled (§5.5).
            if (S1STALLD.isSet(w)) {
                return Checked.bad("S1STALLD = 1 with IDR0.STALL_MODEL != 0b00");
            }
            // STRW is RES0 without HYP and IGNORED when stage 2 translates (world NS-EL1).
            if (c.hyp() && !s2) {
                int strw = STRW.getInt(w);
                if ((strw & 1) != 0) {
                    return Checked.bad("STRW = 0bx1 is reserved");
                }
                if (strw == STRW_EL2) {
                    world = e2h ? StreamWorld.NS_EL2_E2H : StreamWorld.NS_EL2;
                }
            }
            if (c.ssidSize() > 0) {
                cdMax = S1CDMAX.getInt(w);
                if (cdMax > c.ssidSize()) {
                    return Checked.bad("S1CDMax > IDR1.SSIDSIZE");
                }
                if (cdMax > 0) {
                    fmt = S1FMT.getInt(w);
                    if (fmt == 0b11) {
                        fmt = 0b00; // reserved, behaves as 0b00
                    }
                    if (fmt != 0 && !c.cd2l()) {
                        return Checked.bad("S1Fmt selects a 2-level CD table but IDR0.CD2L = 0");
                    }
                    dss = S1DSS.getInt(w);
                    if (dss == 0b11) {
                        dss = S1DSS_TERMINATE; // reserved, behaves as 0b00
                    }
                }
            }
            ctx = S1_CONTEXT_PTR.getAddr(w[0]) | (S1_CONTEXT_PTR_HI.get(w) << 52);
            // A stage-1-only CD pointer beyond the OAS makes the STE ILLEGAL (SMMUv3.1+,
            // §3.4.3). With stage 2 it is an IPA; an out-of-range IPA gives a stage 2
            // Translation fault instead (a permitted choice).
            if (!s2 && (ctx >>> c.oasBits()) != 0) {
                return Checked.bad("S1ContextPtr beyond the OAS");
            }
        }
        int privCfg = 0;
        int instCfg = 0;
        if (c.attrPermsOvr()) {
            privCfg = PRIVCFG.getInt(w) == 0b01 ? 0 : PRIVCFG.getInt(w);
            instCfg = INSTCFG.getInt(w) == 0b01 ? 0 : INSTCFG.getInt(w);
        }
        int vmid = -1;
        // S2VMID tags NS-EL1 translations of either stage; IGNORED when nothing translates
        if (c.s2p() && world == StreamWorld.NS_EL1 && (s1 || s2)) {
            vmid = S2VMID.getInt(w);
            if (!c.vmid16() && (vmid >>> 8) != 0) {
                return Checked.bad("S2VMID[15:8] != 0 with IDR0.VMID16 = 0");
            }
        }
        Ste.S2 s2cfg = null;
        if (s2) {
            Checked<Ste.S2> r = decodeS2(w, c, vmid);
            if (!r.isOk()) {
                return Checked.bad(r.illegal());
            }
            s2cfg = r.value();
        }
        return Checked.ok(new Ste(config, world, vmid, ctx, fmt, cdMax, dss, privCfg, instCfg,
                s2cfg));
    }

    private static Checked<Ste.S2> decodeS2(long[] w, SmmuConfig c, int vmid) {
        if (!S2AA64.isSet(w)) {
            return Checked.bad("S2AA64 = 0 selects VMSAv8-32, not implemented (IDR0.TTF)");
        }
        if (S2ENDI.isSet(w)) {
            return Checked.bad("S2ENDI = 1 but IDR0.TTENDIAN = little-endian only");
        }
        if (S2HA.isSet(w) || S2HD.isSet(w)) {
            return Checked.bad("S2HA/S2HD set but IDR0.HTTU = 0");
        }
        if (S2S.isSet(w)) {
            return Checked.bad("S2S = 1 with IDR0.STALL_MODEL = 0b01");
        }
        Granule g = Granule.ofS2tg(S2TG.getInt(w));
        if (g == null || !c.supports(g)) {
            return Checked.bad("S2TG reserved or granule not supported");
        }
        int t0sz = S2T0SZ.getInt(w);
        int min = Math.max(16, 64 - c.iasBits());
        if (t0sz < min || t0sz > 39) {
            return Checked.bad("S2T0SZ " + t0sz + " outside " + min + "..39");
        }
        int sl0 = S2SL0.getInt(w);
        int start = g.s2StartLevel(sl0);
        // Armv8-A S2InvalidSL: 4K SL0=3 needs TTST/LPA2, 16K SL0=3 needs LPA2, 64K SL0=3 is
        // reserved; SL0=2 needs a large enough PA range.
        if (sl0 == 3) {
            return Checked.bad("S2SL0 = 3 is reserved without 52-bit/TTST support");
        }
        if (sl0 == 2 && c.oasBits() < (g == Granule.G16K ? 42 : 44)) {
            return Checked.bad("S2SL0 = 2 needs a larger PA size");
        }
        int ias = 64 - t0sz;
        int levels = 3 - start;
        int slMin = levels * g.stride + g.shift + 1;
        int slMax = slMin + g.stride - 1 + 4; // at most 16 concatenated tables
        if (ias < slMin || ias > slMax) {
            return Checked.bad("S2SL0 inconsistent with S2T0SZ/S2TG");
        }
        int ps = S2PS.getInt(w);
        int psBits = c.effectivePaBits(ps);
        long ttb = S2TTB.getAddr(w[3]) | (S2TTB_HI.get(w) << 52);
        if ((ttb >>> psBits) != 0) {
            return Checked.bad("S2TTB beyond the effective S2PS");
        }
        int startBits = g.startBits(ias, start);
        ttb &= ~((1L << Math.max(3, startBits + 3)) - 1); // aligned to the (concatenated) table
        return Checked.ok(new Ste.S2(g, t0sz, start, psBits, ttb, S2AFFD.isSet(w), S2R.isSet(w),
                vmid));
    }
}
