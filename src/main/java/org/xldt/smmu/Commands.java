package org.xldt.smmu;

import static org.xldt.smmu.CmdLayout.*;

/** Encodes commands as two words, using the fields declared in {@link CmdLayout}. */
public final class Commands {
    private Commands() {
    }

    /** A command of {@code op} with the given fields set (field, value, field, value ...). */
    public static long[] of(Opcode op, Object... fieldValues) {
        long[] c = new long[2];
        OPCODE.set(c, op.code);
        for (int i = 0; i < fieldValues.length; i += 2) {
            BitField f = (BitField) fieldValues[i];
            long v = ((Number) fieldValues[i + 1]).longValue();
            if (f == ADDR || f == IPA || f == MSIADDR) {
                c[1] = f.insert(c[1], v >>> f.shift());
            } else {
                f.set(c, v);
            }
        }
        return c;
    }

    public static long[] prefetchConfig(int sid) {
        return of(Opcode.PREFETCH_CONFIG, SID, sid & 0xffffffffL);
    }

    public static long[] cfgiSte(int sid, boolean leaf) {
        return of(Opcode.CFGI_STE, SID, sid & 0xffffffffL, LEAF, leaf ? 1 : 0);
    }

    public static long[] cfgiSteRange(int sid, int range) {
        return of(Opcode.CFGI_STE_RANGE, SID, sid & 0xffffffffL, RANGE, range);
    }

    public static long[] cfgiAll() {
        return cfgiSteRange(0, 31);
    }

    public static long[] cfgiCd(int sid, int ssid, boolean leaf) {
        return of(Opcode.CFGI_CD, SID, sid & 0xffffffffL, SSID, ssid, LEAF, leaf ? 1 : 0);
    }

    public static long[] cfgiCdAll(int sid) {
        return of(Opcode.CFGI_CD_ALL, SID, sid & 0xffffffffL);
    }

    public static long[] tlbiNhAll(int vmid) {
        return of(Opcode.TLBI_NH_ALL, VMID, vmid);
    }

    public static long[] tlbiNhAsid(int vmid, int asid) {
        return of(Opcode.TLBI_NH_ASID, VMID, vmid, ASID, asid);
    }

    public static long[] tlbiNhVa(int vmid, int asid, long va, boolean leaf) {
        return of(Opcode.TLBI_NH_VA, VMID, vmid, ASID, asid, ADDR, va, LEAF, leaf ? 1 : 0);
    }

    public static long[] tlbiNhVaa(int vmid, long va, boolean leaf) {
        return of(Opcode.TLBI_NH_VAA, VMID, vmid, ADDR, va, LEAF, leaf ? 1 : 0);
    }

    /**
     * A range TLBI by address ({@code op} one of the *_VA, *_VAA, S2_IPA opcodes): range =
     * (num+1)·2^scale granules of {@code g}, {@code ttl} the level hint (0 = none).
     */
    public static long[] tlbiRange(Opcode op, int vmid, int asid, long addr, boolean leaf,
            Granule g, int ttl, int num, int scale) {
        long[] c = of(op, op == Opcode.TLBI_S2_IPA ? IPA : ADDR, addr, LEAF, leaf ? 1 : 0,
                TG, g.cmdTg, TTL, ttl, NUM, num, SCALE, scale);
        if (op.fields.contains(VMID)) {
            VMID.set(c, vmid);
        }
        if (op.fields.contains(ASID)) {
            ASID.set(c, asid);
        }
        return c;
    }

    public static long[] tlbiEl2All() {
        return of(Opcode.TLBI_EL2_ALL);
    }

    public static long[] tlbiEl2Asid(int asid) {
        return of(Opcode.TLBI_EL2_ASID, ASID, asid);
    }

    public static long[] tlbiEl2Va(int asid, long va, boolean leaf) {
        return of(Opcode.TLBI_EL2_VA, ASID, asid, ADDR, va, LEAF, leaf ? 1 : 0);
    }

    public static long[] tlbiEl2Vaa(long va, boolean leaf) {
        return of(Opcode.TLBI_EL2_VAA, ADDR, va, LEAF, leaf ? 1 : 0);
    }

    public static long[] tlbiS12Vmall(int vmid) {
        return of(Opcode.TLBI_S12_VMALL, VMID, vmid);
    }

    public static long[] tlbiS2Ipa(int vmid, long ipa, boolean leaf) {
        return of(Opcode.TLBI_S2_IPA, VMID, vmid, IPA, ipa, LEAF, leaf ? 1 : 0);
    }

    public static long[] tlbiNsnhAll() {
        return of(Opcode.TLBI_NSNH_ALL);
    }

    public static long[] sync(int cs) {
        return of(Opcode.SYNC, CS, cs);
    }

    public static long[] syncMsi(long addr, int data) {
        return of(Opcode.SYNC, CS, CS_IRQ, MSIADDR, addr, MSIDATA, data & 0xffffffffL);
    }
}
