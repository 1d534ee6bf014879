package org.xldt.smmu;

/**
 * A decoded, legal STE with V = 1. Fields of a disabled stage are not meaningful.
 * {@code vmid} is -1 when no VMID tagging applies (stage 2 not implemented, or a non-EL1
 * StreamWorld).
 */
public record Ste(int config, StreamWorld world, int vmid, long s1ContextPtr, int s1Fmt,
        int s1CdMax, int s1Dss, int privCfg, int instCfg, S2 s2) {

    public boolean abort() {
        return (config & 0b100) == 0;
    }

    public boolean s1() {
        return !abort() && (config & 1) != 0;
    }

    public boolean s2Enabled() {
        return !abort() && (config & 2) != 0;
    }

    /** Decoded stage 2 configuration. {@code ttb} is aligned; {@code psBits} is eff_S2PS. */
    public record S2(Granule granule, int t0sz, int startLevel, int psBits, long ttb,
            boolean affd, boolean record, int vmid) {

        public int iasBits() {
            return 64 - t0sz;
        }

        /** Index bits resolved at the start level (more than a stride when concatenated). */
        public int startBits() {
            return iasBits() - granule.levelShift(startLevel);
        }
    }
}
