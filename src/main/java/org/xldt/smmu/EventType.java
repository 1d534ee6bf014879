package org.xldt.smmu;

/** Architected event numbers (Arm SMMUv3 §7.3). */
public enum EventType {
    F_UUT(0x01),
    C_BAD_STREAMID(0x02),
    F_STE_FETCH(0x03),
    C_BAD_STE(0x04),
    F_BAD_ATS_TREQ(0x05),
    F_STREAM_DISABLED(0x06),
    F_TRANSL_FORBIDDEN(0x07),
    C_BAD_SUBSTREAMID(0x08),
    F_CD_FETCH(0x09),
    C_BAD_CD(0x0A),
    F_WALK_EABT(0x0B),
    F_TRANSLATION(0x10),
    F_ADDR_SIZE(0x11),
    F_ACCESS(0x12),
    F_PERMISSION(0x13),
    F_TLB_CONFLICT(0x20),
    F_CFG_CONFLICT(0x21),
    E_PAGE_REQUEST(0x24),
    F_VMS_FETCH(0x25);

    public final int id;

    EventType(int id) {
        this.id = id;
    }

    /** The four Translation-related faults, whose recording CD.R / STE.S2R control (§5.5). */
    public boolean isTranslationRelated() {
        return this == F_TRANSLATION || this == F_ADDR_SIZE || this == F_ACCESS
                || this == F_PERMISSION;
    }

    /** Events whose word 3 holds FetchAddr. */
    public boolean hasFetchAddr() {
        return this == F_STE_FETCH || this == F_CD_FETCH || this == F_WALK_EABT
                || this == F_VMS_FETCH;
    }

    private static final EventType[] BY_ID = new EventType[256];

    static {
        for (EventType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    /** The type with this number, or null. */
    public static EventType of(int id) {
        return BY_ID[id & 0xff];
    }
}
