package org.xldt.smmu;

/**
 * Permission masks used in TLB entries: privileged R/W/X in bits 0–2, unprivileged R/W/X in
 * bits 3–5.
 */
public final class Perms {
    private Perms() {
    }

    public static final int PR = 1;
    public static final int PW = 2;
    public static final int PX = 4;
    public static final int UR = 8;
    public static final int UW = 16;
    public static final int UX = 32;
    public static final int ALL = 63;

    /** The bit an access needs (instruction fetches need X only; writes are always data). */
    public static int needed(Access a) {
        int b = a.write ? PW : a.instruction ? PX : PR;
        return a.privileged ? b : b << 3;
    }

    /** The {@link DmaResult.Perm} bits granted to accesses of this privilege. */
    public static int forPrivilege(int perms, boolean privileged) {
        return privileged ? perms & 7 : (perms >>> 3) & 7;
    }
}
