package org.xldt.smmu;

/**
 * Stream table geometry (Arm SMMUv3 §3.3.2, §6.3 STRTAB_BASE/_CFG, §5.1 L1STD): where the STE
 * of a StreamID lives, for the physical {@link Translator} (which caches L1STDs) and the
 * {@link VSmmu} (which reads the guest's table through guest memory).
 *
 * <p>Architectural rules applied: the effective StreamID width is MIN(LOG2SIZE, SIDSIZE); FMT
 * 0b1x is reserved and behaves as linear; reserved SPLIT values behave as 6; the base is aligned
 * by the literal LOG2SIZE (linear: ADDR[LOG2SIZE+5:0] = 0; 2-level:
 * ADDR[MAX(5, LOG2SIZE-SPLIT-1+3):0] = 0); an L1STD with Span 0, Span &gt; 12 or Span &gt;
 * SPLIT+1 is invalid, and a StreamID with SID[SPLIT-1:0] &ge; 2^(Span-1) is beyond it.
 */
record StreamTables(long base, int log2size, int effBits, boolean twoLevel, int split) {

    /** The geometry programmed in STRTAB_BASE and STRTAB_BASE_CFG. */
    static StreamTables of(long strtabBase, int strtabBaseCfg, SmmuConfig cfg) {
        int log2 = (int) Regs.STRTAB_BASE_CFG.LOG2SIZE.get(strtabBaseCfg);
        long base = Regs.STRTAB_BASE.ADDR.getAddr(strtabBase) & ((1L << cfg.oasBits()) - 1);
        boolean twoLevel = Regs.STRTAB_BASE_CFG.FMT.get(strtabBaseCfg)
                == Regs.STRTAB_BASE_CFG.FMT_2LVL;
        int split = (int) Regs.STRTAB_BASE_CFG.SPLIT.get(strtabBaseCfg);
        if (split != 6 && split != 8 && split != 10) {
            split = 6; // reserved SPLIT values behave as 6
        }
        if (!twoLevel) {
            base &= ~((1L << Math.min(63, log2 + 6)) - 1);
        } else {
            int align = Math.max(5, log2 - split - 1 + 3);
            base &= ~((1L << Math.min(63, align + 1)) - 1);
        }
        return new StreamTables(base, log2, Math.min(log2, cfg.sidSize()), twoLevel, split);
    }

    static StreamTables of(RegisterFile regs) {
        return of(regs.get64(Reg.STRTAB_BASE), regs.get32(Reg.STRTAB_BASE_CFG), regs.config());
    }

    /** False if the StreamID is beyond the table (C_BAD_STREAMID). */
    boolean inRange(long sid) {
        return effBits >= 32 || (sid >>> effBits) == 0;
    }

    /** STE address in a linear table. */
    long linearSte(long sid) {
        return base + 64 * sid;
    }

    long l1Index(long sid) {
        return sid >>> split;
    }

    /** Address of the L1STD with index {@code l1index}. */
    long l1Address(long l1index) {
        return base + 8 * l1index;
    }

    /** The L1STD {@code desc} at {@code l1index}, or null if its Span is invalid. */
    ConfigCache.L1Std decodeL1(long desc, long l1index) {
        int span = (int) SteLayout.L1STD_SPAN.get(desc);
        if (span == 0 || span > 12 || span > split + 1) {
            return null;
        }
        long l2 = SteLayout.L1STD_L2PTR.getAddr(desc) & ~((64L << (span - 1)) - 1);
        long first = l1index << split;
        return new ConfigCache.L1Std(l1index, first, first + (1L << split) - 1, span, l2);
    }

    /** STE address through a valid L1STD, or -1 if the StreamID is beyond its Span. */
    long l2Ste(ConfigCache.L1Std l1, long sid) {
        long low = sid & ((1L << split) - 1);
        if ((low >>> (l1.span() - 1)) != 0) {
            return -1;
        }
        return l1.l2ptr() + 64 * low;
    }

    /** Reads {@code words} 64-bit words at {@code addr} into the caller's buffer. */
    interface WordReader {
        boolean read(long addr, int words);
    }

    /** An STE fetch: the decoded legal STE, or the fault (with FetchAddr for F_STE_FETCH). */
    record Fetch(Ste ste, EventType fault, long fetchAddr) {
        static Fetch fault(EventType t, long addr) {
            return new Fetch(null, t, addr);
        }
    }

    /**
     * Locates, reads and decodes the STE of {@code sid} with {@code cfg}'s rules: C_BAD_STREAMID
     * beyond the table or an L1STD's Span, F_STE_FETCH on a read abort or an STE address beyond
     * the OAS (a permitted choice, §3.4.3), C_BAD_STE for V = 0 or an ILLEGAL STE. {@code rd}
     * fills {@code buf}; {@code l1cache} (may be null) caches valid L1STDs by index.
     */
    Fetch fetch(long sid, WordReader rd, long[] buf, LongMap<ConfigCache.L1Std> l1cache,
            SmmuConfig cfg, boolean e2h) {
        if (!inRange(sid)) {
            return Fetch.fault(EventType.C_BAD_STREAMID, 0);
        }
        long steAddr;
        if (!twoLevel) {
            steAddr = linearSte(sid);
        } else {
            long l1index = l1Index(sid);
            ConfigCache.L1Std l1 = l1cache == null ? null : l1cache.get(l1index);
            if (l1 == null) {
                long l1addr = l1Address(l1index);
                if (!rd.read(l1addr, 1)) {
                    return Fetch.fault(EventType.F_STE_FETCH, l1addr);
                }
                l1 = decodeL1(buf[0], l1index);
                if (l1 == null) {
                    return Fetch.fault(EventType.C_BAD_STREAMID, 0);
                }
                if (l1cache != null) {
                    l1cache.put(l1index, l1);
                }
            }
            steAddr = l2Ste(l1, sid);
            if (steAddr < 0) {
                return Fetch.fault(EventType.C_BAD_STREAMID, 0);
            }
        }
        if ((steAddr >>> cfg.oasBits()) != 0 || !rd.read(steAddr, SteLayout.WORDS)) {
            return Fetch.fault(EventType.F_STE_FETCH, steAddr);
        }
        if (!SteLayout.V.isSet(buf)) {
            return Fetch.fault(EventType.C_BAD_STE, 0);
        }
        Checked<Ste> d = SteDecoder.decode(buf, cfg, e2h);
        return d.isOk() ? new Fetch(d.value(), null, 0) : Fetch.fault(EventType.C_BAD_STE, 0);
    }
}
