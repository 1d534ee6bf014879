package org.xldt.smmu;

/** Reads an event record back from its four words (for tests and the vSMMU). */
public final class EventParser {
    private EventParser() {
    }

    /** The event in {@code w}, or null if its EventID is not architected. */
    public static Event parse(long[] w) {
        EventType t = EventType.of((int) EvtLayout.EVENT_ID.get(w));
        if (t == null) {
            return null;
        }
        long addr = 0;
        if (t.hasFetchAddr()) {
            addr = EvtLayout.FETCH_ADDR.getAddr(w[3]);
        } else if (t.isTranslationRelated() && EvtLayout.S2.isSet(w)) {
            addr = EvtLayout.IPA.getAddr(w[3]);
        }
        return new Event(t, (int) EvtLayout.SID.get(w), EvtLayout.SSV.isSet(w),
                (int) EvtLayout.SSID.get(w), EvtLayout.PNU.isSet(w), EvtLayout.IND.isSet(w),
                EvtLayout.RNW.isSet(w), EvtLayout.S2.isSet(w), (int) EvtLayout.CLASS.get(w),
                EvtLayout.TTRNW.isSet(w), EvtLayout.INPUT_ADDR.get(w), addr);
    }
}
