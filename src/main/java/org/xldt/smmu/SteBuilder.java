package org.xldt.smmu;

import static org.xldt.smmu.SteLayout.*;

/** Builds STE words (V = 1 unless told otherwise). */
public final class SteBuilder {
    private final long[] w = new long[WORDS];

    public SteBuilder() {
        V.set(w, 1);
    }

    public static SteBuilder abort() {
        return new SteBuilder().config(CONFIG_ABORT);
    }

    public static SteBuilder bypass() {
        return new SteBuilder().config(CONFIG_BYPASS);
    }

    /** Stage 1 only, one CD at {@code cdAddr}. */
    public static SteBuilder s1(long cdAddr) {
        return new SteBuilder().config(CONFIG_S1).s1ContextPtr(cdAddr);
    }

    /** Stage 2 only. */
    public static SteBuilder s2(int vmid, Granule g, int t0sz, int sl0, int ps, long ttb) {
        return new SteBuilder().config(CONFIG_S2).stage2(vmid, g, t0sz, sl0, ps, ttb);
    }

    /** Nested: stage 1 CD at IPA {@code cdIpa}, stage 2 as given. */
    public static SteBuilder nested(long cdIpa, int vmid, Granule g, int t0sz, int sl0, int ps,
            long ttb) {
        return new SteBuilder().config(CONFIG_NESTED).s1ContextPtr(cdIpa)
                .stage2(vmid, g, t0sz, sl0, ps, ttb);
    }

    public SteBuilder set(BitField f, long v) {
        f.set(w, v);
        return this;
    }

    public SteBuilder valid(boolean v) {
        return set(V, v ? 1 : 0);
    }

    public SteBuilder config(int c) {
        return set(CONFIG, c);
    }

    public SteBuilder s1ContextPtr(long addr) {
        w[0] = S1_CONTEXT_PTR.insert(w[0], addr >>> S1_CONTEXT_PTR.shift());
        return set(S1_CONTEXT_PTR_HI, addr >>> 52);
    }

    /** Substreams: 2^cdMax CDs, {@code fmt} as STE.S1Fmt, {@code dss} as STE.S1DSS. */
    public SteBuilder substreams(int cdMax, int fmt, int dss) {
        return set(S1CDMAX, cdMax).set(S1FMT, fmt).set(S1DSS, dss);
    }

    public SteBuilder stage2(int vmid, Granule g, int t0sz, int sl0, int ps, long ttb) {
        set(S2VMID, vmid).set(S2T0SZ, t0sz).set(S2SL0, sl0).set(S2TG, g.s2tg).set(S2PS, ps)
                .set(S2AA64, 1).set(S2R, 1);
        w[3] = S2TTB.insert(w[3], ttb >>> S2TTB.shift());
        return set(S2TTB_HI, ttb >>> 52);
    }

    public SteBuilder vmid(int vmid) {
        return set(S2VMID, vmid);
    }

    public long[] words() {
        return w.clone();
    }

    public void writeTo(Memory mem, long addr) {
        if (!mem.writeLongs(addr, w, 0, WORDS)) {
            throw new IllegalStateException(String.format("STE write aborted at 0x%x", addr));
        }
    }
}
