package org.xldt.smmu;

/**
 * One event record. {@code addr} is the FetchAddr for F_STE_FETCH/F_CD_FETCH/F_WALK_EABT and
 * the IPA for stage 2 Translation-related faults (zero otherwise). Stall and STAG are always
 * zero: this model implements no stall (IDR0.STALL_MODEL = 0b01).
 */
public record Event(EventType type, int sid, boolean ssv, int ssid, boolean pnu, boolean ind,
        boolean rnw, boolean s2, int clazz, boolean ttRnW, long inputAddr, long addr) {

    /** An event that carries only the stream identity (C_BAD_STE, C_BAD_CD, ...). */
    public static Event config(EventType type, int sid, int ssid) {
        return new Event(type, sid, ssid >= 0, Math.max(ssid, 0), false, false, false, false, 0,
                false, 0, 0);
    }

    /** The same event for another StreamID (a vSMMU forwarding a physical event). */
    public Event withSid(int newSid) {
        return new Event(type, newSid, ssv, ssid, pnu, ind, rnw, s2, clazz, ttRnW, inputAddr,
                addr);
    }

    /** The 32-byte record, as four little-endian words. */
    public long[] toWords() {
        long[] w = new long[EvtLayout.WORDS];
        EvtLayout.EVENT_ID.set(w, type.id);
        EvtLayout.SID.set(w, sid & 0xffffffffL);
        // C_BAD_SUBSTREAMID carries a SubstreamID but no SSV qualifier (§7.3.9).
        if (type != EventType.C_BAD_SUBSTREAMID) {
            EvtLayout.SSV.set(w, ssv ? 1 : 0);
        }
        if (ssv || type == EventType.C_BAD_SUBSTREAMID) {
            EvtLayout.SSID.set(w, ssid);
        }
        boolean walkish = type.isTranslationRelated() || type == EventType.F_WALK_EABT;
        if (walkish) {
            EvtLayout.PNU.set(w, pnu ? 1 : 0);
            EvtLayout.IND.set(w, ind ? 1 : 0);
            EvtLayout.RNW.set(w, rnw ? 1 : 0);
            EvtLayout.S2.set(w, s2 ? 1 : 0);
            EvtLayout.CLASS.set(w, clazz);
            EvtLayout.TTRNW.set(w, ttRnW ? 1 : 0);
            EvtLayout.INPUT_ADDR.set(w, inputAddr);
        }
        if (type.hasFetchAddr()) {
            w[3] = EvtLayout.FETCH_ADDR.insert(w[3], addr >>> EvtLayout.FETCH_ADDR.shift());
        } else if (type.isTranslationRelated() && s2) {
            w[3] = EvtLayout.IPA.insert(w[3], addr >>> EvtLayout.IPA.shift());
        }
        return w;
    }
}
