package org.xldt.smmu;

import static org.xldt.smmu.CdLayout.*;

/**
 * Checks and decodes a Context Descriptor (Arm SMMUv3 §5.4). An ILLEGAL or invalid CD gives
 * C_BAD_CD, never an exception.
 */
public final class CdDecoder {
    private CdDecoder() {
    }

    public static Checked<Cd> decode(long[] w, SmmuConfig c, StreamWorld world) {
        if (!V.isSet(w)) {
            return Checked.bad("V = 0");
        }
        if (!AA64.isSet(w)) {
            return Checked.bad("AA64 = 0 selects VMSAv8-32, not implemented (IDR0.TTF)");
        }
        if (HA.isSet(w) || HD.isSet(w)) {
            return Checked.bad("HA/HD set but IDR0.HTTU = 0");
        }
        if (S.isSet(w)) {
            return Checked.bad("S = 1 with IDR0.STALL_MODEL = 0b01");
        }
        if (!A.isSet(w)) {
            return Checked.bad("A = 0 with IDR0.TERM_MODEL = 1");
        }
        // EPDx are IGNORED (effective 0) in an EL2 world; that world has no TTB1.
        boolean el2 = world == StreamWorld.NS_EL2;
        boolean epd0 = !el2 && EPD0.isSet(w);
        boolean epd1 = el2 || EPD1.isSet(w);
        if (ENDI.isSet(w) && !(epd0 && epd1)) {
            return Checked.bad("ENDI = 1 but IDR0.TTENDIAN = little-endian only");
        }
        int asid = 0;
        if (world.usesAsid()) {
            asid = ASID.getInt(w);
            if (!c.asid16() && (asid >>> 8) != 0) {
                return Checked.bad("ASID[15:8] != 0 with IDR0.ASID16 = 0");
            }
        }
        int ips = c.effectivePaBits(IPS.getInt(w));
        boolean hadOk = c.had();
        Checked<Cd.Tt> tt0 = epd0 ? Checked.ok(null) : tt(Granule.ofTg0(TG0.getInt(w)),
                T0SZ.getInt(w), TTB0.getAddr(w[1]) | (TTB0_HI.get(w) << 52),
                hadOk && HAD0.isSet(w), ips, c, "0");
        if (!tt0.isOk()) {
            return Checked.bad(tt0.illegal());
        }
        Checked<Cd.Tt> tt1 = epd1 ? Checked.ok(null) : tt(Granule.ofTg1(TG1.getInt(w)),
                T1SZ.getInt(w), TTB1.getAddr(w[2]) | (TTB1_HI.get(w) << 52),
                hadOk && HAD1.isSet(w), ips, c, "1");
        if (!tt1.isOk()) {
            return Checked.bad(tt1.illegal());
        }
        return Checked.ok(new Cd(asid, ips, AFFD.isSet(w), WXN.isSet(w), !el2 && PAN.isSet(w),
                R.isSet(w), TBI0.isSet(w), !el2 && TBI1.isSet(w), tt0.value(), tt1.value()));
    }

    private static Checked<Cd.Tt> tt(Granule g, int tsz, long ttb, boolean had, int ips,
            SmmuConfig c, String n) {
        if (g == null || !c.supports(g)) {
            return Checked.bad("TG" + n + " reserved or granule not supported");
        }
        // SMMUv3.1+: TxSZ outside 16..39 (no VAX, no STT) makes the CD ILLEGAL.
        if (tsz < 16 || tsz > 39) {
            return Checked.bad("T" + n + "SZ " + tsz + " outside 16..39");
        }
        if ((ttb >>> ips) != 0 || (ttb >>> 48) != 0) {
            return Checked.bad("TTB" + n + " beyond the effective IPS");
        }
        int ias = 64 - tsz;
        int start = g.s1StartLevel(ias);
        int startBits = g.startBits(ias, start);
        ttb &= ~((1L << Math.max(3, startBits + 3)) - 1);
        return Checked.ok(new Cd.Tt(g, tsz, start, ttb, had));
    }
}
