package org.xldt.smmu;

/** Translation granules, with their CD.TG0, CD.TG1, STE.S2TG and command TG encodings. */
public enum Granule {
    G4K(12, 0b00, 0b10, 0b00, 0b01),
    G16K(14, 0b10, 0b01, 0b10, 0b10),
    G64K(16, 0b01, 0b11, 0b01, 0b11);

    /** log2 of the granule size. */
    public final int shift;
    /** Bits resolved per level (granule shift − 3). */
    public final int stride;
    public final int tg0;
    public final int tg1;
    public final int s2tg;
    public final int cmdTg;

    Granule(int shift, int tg0, int tg1, int s2tg, int cmdTg) {
        this.shift = shift;
        this.stride = shift - 3;
        this.tg0 = tg0;
        this.tg1 = tg1;
        this.s2tg = s2tg;
        this.cmdTg = cmdTg;
    }

    public long size() {
        return 1L << shift;
    }

    /** log2 of the input range one descriptor at {@code level} maps. */
    public int levelShift(int level) {
        return shift + stride * (3 - level);
    }

    /**
     * Whether a block descriptor is permitted at this level with 48-bit addressing (Armv8-A:
     * 4K at levels 1 and 2; 16K at level 2; 64K at level 2 — level 1 blocks of 16K/64K and
     * level 0 blocks need 52-bit addressing, which is not implemented).
     */
    public boolean blockAllowed(int level) {
        return this == G4K ? (level == 1 || level == 2) : level == 2;
    }

    /** Stage 1 start level for an input size of {@code iasBits} (Armv8-A: 4 − levels). */
    public int s1StartLevel(int iasBits) {
        int levels = (iasBits - shift + stride - 1) / stride;
        return 4 - levels;
    }

    /** Stage 2 start level encoded by STE.S2SL0 (4K: 2 − SL0; 16K and 64K: 3 − SL0). */
    public int s2StartLevel(int sl0) {
        return this == G4K ? 2 - sl0 : 3 - sl0;
    }

    /** Index bits of the start-level table (more than a stride for concatenated tables). */
    public int startBits(int iasBits, int startLevel) {
        return iasBits - levelShift(startLevel);
    }

    public static Granule ofTg0(int v) {
        return find(v, g -> g.tg0);
    }

    public static Granule ofTg1(int v) {
        return find(v, g -> g.tg1);
    }

    public static Granule ofS2tg(int v) {
        return find(v, g -> g.s2tg);
    }

    public static Granule ofCmdTg(int v) {
        return find(v, g -> g.cmdTg);
    }

    private static Granule find(int v, java.util.function.ToIntFunction<Granule> enc) {
        for (Granule g : values()) {
            if (enc.applyAsInt(g) == v) {
                return g;
            }
        }
        return null;
    }
}
