package org.xldt.smmu;

import static org.xldt.smmu.CdLayout.*;

/**
 * Builds CD words. Defaults: V, AA64, A = 1, R = 1 (record faults), EPD1 = 1 (no TTB1),
 * IPS = 48 bits (capped to the OAS by the SMMU), as Linux's arm-smmu-v3 writes them.
 */
public final class CdBuilder {
    private final long[] w = new long[WORDS];

    public CdBuilder() {
        V.set(w, 1);
        AA64.set(w, 1);
        A.set(w, 1);
        R.set(w, 1);
        EPD1.set(w, 1);
        IPS.set(w, 5);
    }

    /** A CD with ASID {@code asid} and TTB0 tables {@code ttb0} for T0SZ {@code t0sz}. */
    public static CdBuilder of(int asid, Granule g, int t0sz, long ttb0) {
        return new CdBuilder().asid(asid).tt0(g, t0sz, ttb0);
    }

    public CdBuilder set(BitField f, long v) {
        f.set(w, v);
        return this;
    }

    public CdBuilder asid(int asid) {
        return set(ASID, asid);
    }

    public CdBuilder tt0(Granule g, int t0sz, long ttb) {
        set(EPD0, 0).set(TG0, g.tg0).set(T0SZ, t0sz);
        w[1] = TTB0.insert(w[1], ttb >>> TTB0.shift());
        return set(TTB0_HI, ttb >>> 52);
    }

    public CdBuilder tt1(Granule g, int t1sz, long ttb) {
        set(EPD1, 0).set(TG1, g.tg1).set(T1SZ, t1sz);
        w[2] = TTB1.insert(w[2], ttb >>> TTB1.shift());
        return set(TTB1_HI, ttb >>> 52);
    }

    public CdBuilder ips(int encoding) {
        return set(IPS, encoding);
    }

    public CdBuilder record(boolean r) {
        return set(R, r ? 1 : 0);
    }

    public long[] words() {
        return w.clone();
    }

    public void writeTo(Memory mem, long addr) {
        if (!mem.writeLongs(addr, w, 0, WORDS)) {
            throw new IllegalStateException(String.format("CD write aborted at 0x%x", addr));
        }
    }
}
