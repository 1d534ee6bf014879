package org.xldt.smmu;

/**
 * A decoded, legal Context Descriptor. {@code tt0}/{@code tt1} are null when walks through that
 * TTB are disabled (EPDx = 1, or TTB1 in an NS-EL2 StreamWorld).
 */
public record Cd(int asid, int ipsBits, boolean affd, boolean wxn, boolean pan, boolean record,
        boolean tbi0, boolean tbi1, Tt tt0, Tt tt1) {

    /** One translation table: granule, TxSZ, start level, aligned base, HADx. */
    public record Tt(Granule granule, int tsz, int startLevel, long ttb, boolean had) {

        public int iasBits() {
            return 64 - tsz;
        }

        public int startBits() {
            return iasBits() - granule.levelShift(startLevel);
        }
    }
}
