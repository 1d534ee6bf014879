package org.xldt.smmu;

/**
 * Attributes of an incoming transaction: read or write, privileged (PnU) or not, instruction
 * (InD) or data. The eight combinations are preallocated, so passing one allocates nothing.
 */
public final class Access {
    public final boolean write;
    public final boolean privileged;
    public final boolean instruction;

    private static final Access[] ALL = new Access[8];

    static {
        for (int i = 0; i < 8; i++) {
            ALL[i] = new Access((i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
        }
    }

    public static final Access READ = of(false, false, false);
    public static final Access WRITE = of(true, false, false);
    public static final Access PRIV_READ = of(false, true, false);
    public static final Access PRIV_WRITE = of(true, true, false);
    public static final Access INSTR = of(false, false, true);
    public static final Access PRIV_INSTR = of(false, true, true);

    private Access(boolean write, boolean privileged, boolean instruction) {
        this.write = write;
        this.privileged = privileged;
        this.instruction = instruction;
    }

    public static Access of(boolean write, boolean privileged, boolean instruction) {
        return ALL[(write ? 1 : 0) | (privileged ? 2 : 0) | (instruction ? 4 : 0)];
    }

    public Access withPrivileged(boolean p) {
        return of(write, p, instruction);
    }

    public Access withInstruction(boolean i) {
        return of(write, privileged, i);
    }

    @Override
    public String toString() {
        return (write ? "W" : "R") + (privileged ? "P" : "U") + (instruction ? "I" : "D");
    }
}
