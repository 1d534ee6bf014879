package org.xldt.smmu;

/** Translation regime of a stream (§5.2 STE.STRW; Non-secure only in this model). */
public enum StreamWorld {
    NS_EL1,
    /** NS-EL2 without E2H: one VA range (TTB0), no ASID. */
    NS_EL2,
    /** NS-EL2 with SMMU_CR2.E2H = 1: two VA ranges, ASID-tagged. */
    NS_EL2_E2H;

    public boolean usesAsid() {
        return this != NS_EL2;
    }

    public boolean twoRanges() {
        return this != NS_EL2;
    }
}
